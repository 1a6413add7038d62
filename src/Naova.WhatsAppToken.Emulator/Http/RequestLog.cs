namespace Naova.WhatsAppToken.Emulator.Http;

/// <summary>The request count and the recorded requests. Thread-safe.</summary>
internal sealed class RequestLog
{
    private readonly object _sync = new();
    private readonly List<RecordedRequest> _requests = new();
    private int _count;

    public int Count
    {
        get { lock (_sync) return _count; }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_sync) return _requests.ToArray();
    }

    public void Received()
    {
        lock (_sync) _count++;
    }

    public void Record(RecordedRequest request)
    {
        lock (_sync) _requests.Add(request);
    }

    public void Reset()
    {
        lock (_sync)
        {
            _requests.Clear();
            _count = 0;
        }
    }
}
