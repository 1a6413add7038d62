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

    private long _servingTicks;

    /// <summary>Stopwatch ticks spent serving Graph requests (reading, handling, writing), injected latency excluded.</summary>
    public long ServingTicks => Interlocked.Read(ref _servingTicks);

    public void Served(long ticks) => Interlocked.Add(ref _servingTicks, ticks);

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
            _values.Clear();
            _inspected.Clear();
        }
    }

    // What callers sent, as fingerprints only (never the text): every parameter value and token of every call and batch
    // item, and the input_token of every debug_token, so a test can prove what a command did (not) send.
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _inspected = new();

    public void Saw(Core.GraphRequest request)
    {
        lock (_sync)
        {
            // A batch item borrows the batch's token and proof (the same strings, fifty times): seen with the batch already.
            Core.GraphRequest? batch = request.Batch;
            if (!string.IsNullOrEmpty(request.Token) && !ReferenceEquals(request.Token, batch?.Token)) _values.Add(State.TokenText.Fingerprint(request.Token));
            foreach (var pair in request.Parameters.All)
            {
                if (batch != null && ReferenceEquals(pair.Value, batch.Parameters.Get(pair.Key))) continue;
                string fingerprint = State.TokenText.Fingerprint(pair.Value);
                _values.Add(fingerprint);
                if (pair.Key == "input_token" && IsDebugToken(request.Path)) _inspected.Add(fingerprint);
            }
        }
    }

    private static bool IsDebugToken(string path)
    {
        try { return Core.GraphPath.Parse(path).Segments is ["debug_token"]; }
        catch (Core.GraphException) { return false; }
    }

    public bool Received(string text)
    {
        lock (_sync) return _values.Contains(State.TokenText.Fingerprint(text));
    }

    public IReadOnlyList<string> Inspected()
    {
        lock (_sync) return _inspected.ToArray();
    }
}
