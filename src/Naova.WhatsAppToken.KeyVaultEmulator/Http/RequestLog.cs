namespace Naova.WhatsAppToken.KeyVaultEmulator.Http;

internal sealed class RequestLog
{
    private readonly List<RecordedRequest> _requests = new();

    public void Add(RecordedRequest request)
    {
        lock (_requests) _requests.Add(request);
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_requests) return _requests.ToList();
    }

    public void Reset()
    {
        lock (_requests) _requests.Clear();
    }
}
