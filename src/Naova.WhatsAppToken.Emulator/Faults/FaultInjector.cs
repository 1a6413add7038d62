namespace Naova.WhatsAppToken.Emulator;

/// <summary>
/// Faults for the next requests, latency on every request, and null batch items. Thread-safe. The emulator disposes it
/// when it stops, releasing any request still held.
/// </summary>
public sealed class FaultInjector : IDisposable
{
    private readonly object _sync = new();
    private readonly List<Entry> _queue = new();
    private readonly HashSet<int> _nullPositions = new();
    private TimeSpan _latency;
    private int _nullItems;
    private int _held;
    private int _seen;
    private int _latencyFrom;
    private bool _holdAfterHandling;
    private int _aborted;
    private CancellationTokenSource _release = new();
    private TaskCompletionSource _firstHeld = NewSignal();
    private TaskCompletionSource _firstAborted = NewSignal();
    private readonly List<string> _holds = new();
    private int _generation;

    private sealed class Entry
    {
        public required FaultSpec Spec { get; init; }
        public required int Remaining { get; set; }
        public string? PathContains { get; init; }
        public int Skip { get; set; }
    }

    /// <summary>Added to every request (Task.Delay that honours the request's abort).</summary>
    public TimeSpan Latency
    {
        get { lock (_sync) return _latency; }
        set { lock (_sync) _latency = value < TimeSpan.Zero ? TimeSpan.Zero : value; }
    }

    /// <summary>Graph requests that reached the fault stage so far, held or not.</summary>
    public int RequestsSeen
    {
        get { lock (_sync) return _seen; }
    }

    /// <summary>
    /// The latency holds only the request whose ordinal (<see cref="RequestsSeen"/> after it arrives) is at least this,
    /// so a test can let a client's first requests through and hold (then kill the client during) the next. 0: every one.
    /// </summary>
    public int LatencyFrom
    {
        get { lock (_sync) return _latencyFrom; }
        set { lock (_sync) _latencyFrom = value; }
    }

    /// <summary>
    /// False (the default): the latency holds a request before it is handled, so a client that goes away meanwhile
    /// changed nothing. True: the request is handled first and its answer is held, so a client killed meanwhile leaves
    /// what Meta did (a token made, a token revoked) without ever hearing of it.
    /// </summary>
    public bool HoldAfterHandling
    {
        get { lock (_sync) return _holdAfterHandling; }
        set { lock (_sync) _holdAfterHandling = value; }
    }

    /// <summary>Requests that reached the injected latency (and so were held by it).</summary>
    public int HeldRequests
    {
        get { lock (_sync) return _held; }
    }

    /// <summary>
    /// Requests whose client went away while the latency held them: what a client's cancellation or timeout looks
    /// like from the server's side.
    /// </summary>
    public int AbortedRequests
    {
        get { lock (_sync) return _aborted; }
    }

    /// <summary>
    /// Each request the latency held (since start or the last <see cref="Clear"/>), in arrival order, with how its hold
    /// ended: "held", "answered" (the latency ran out), "released" or "aborted". What a test prints when a signal it
    /// waits for never comes.
    /// </summary>
    public IReadOnlyList<string> Holds
    {
        get { lock (_sync) return _holds.ToArray(); }
    }

    /// <summary>Completes when a request is first held by the latency (since start or the last <see cref="Clear"/>).</summary>
    public Task FirstHeld
    {
        get { lock (_sync) return _firstHeld.Task; }
    }

    /// <summary>Completes when a held request is first aborted by its client (since start or the last <see cref="Clear"/>).</summary>
    public Task FirstAborted
    {
        get { lock (_sync) return _firstAborted.Task; }
    }

    /// <summary>
    /// Ends the latency of every request held now (they are answered at once); later requests are held as before.
    /// A test holds a request with a long latency as a guard and releases it when it has seen what it came for.
    /// </summary>
    public void ReleaseHeld()
    {
        CancellationTokenSource released;
        lock (_sync)
        {
            released = _release;
            _release = new CancellationTokenSource();
        }
        released.Cancel();
        released.Dispose();
    }

    public void Dispose()
    {
        CancellationTokenSource release;
        lock (_sync) release = _release;
        release.Cancel();
        release.Dispose();
    }

    /// <summary>Faults still queued (the sum of their remaining counts).</summary>
    public int Pending
    {
        get { lock (_sync) return _queue.Sum(e => e.Remaining); }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests whose path contains <paramref name="pathContains"/>
    /// (any request when null; case-insensitive) get <paramref name="spec"/>. Control calls to
    /// /_emulator are never matched.
    /// </summary>
    /// <param name="skip">How many matching requests go through untouched first (e.g. a connect's own reads).</param>
    public void Enqueue(FaultSpec spec, int count = 1, string? pathContains = null, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        lock (_sync) _queue.Add(new Entry { Spec = spec, Remaining = count, PathContains = pathContains, Skip = skip });
    }

    /// <summary>The next <paramref name="count"/> batch items (across batches) come back as JSON null, not run.</summary>
    public void NullBatchItems(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_sync) _nullItems += count;
    }

    /// <summary>In the next batch, the items at these zero-based positions come back as JSON null, not run.</summary>
    public void NullBatchItemsAt(params int[] positions)
    {
        lock (_sync) _nullPositions.UnionWith(positions);
    }

    public void Clear()
    {
        lock (_sync)
        {
            _queue.Clear();
            _nullPositions.Clear();
            _nullItems = 0;
            _latency = TimeSpan.Zero;
            _holdAfterHandling = false;
            _held = 0;
            _aborted = 0;
            _firstHeld = NewSignal();
            _firstAborted = NewSignal();
            _holds.Clear();
            _generation++;
        }
    }

    /// <summary>
    /// Applies the latency to one request (<paramref name="what"/>: its method and path, for <see cref="Holds"/>); false
    /// when its client aborted it meanwhile (nothing more to do).
    /// </summary>
    internal async Task<bool> HoldAsync(string what, CancellationToken requestAborted)
    {
        TimeSpan latency;
        TaskCompletionSource held;
        CancellationToken release;
        int hold, generation;
        lock (_sync)
        {
            _seen++;
            latency = _latency;
            if (latency <= TimeSpan.Zero || _seen < _latencyFrom) return true;
            _held++;
            held = _firstHeld;
            release = _release.Token;
            hold = _holds.Count;
            generation = _generation;
            _holds.Add(what + ": held");
        }
        held.TrySetResult();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, release);
        try
        {
            await Task.Delay(latency, either.Token);
            Ended(hold, generation, what, "answered");
            return true;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            Ended(hold, generation, what, "released");
            return true; // released: answered now
        }
        catch (OperationCanceledException)
        {
            TaskCompletionSource aborted;
            lock (_sync)
            {
                _aborted++;
                aborted = _firstAborted;
            }
            Ended(hold, generation, what, "aborted");
            aborted.TrySetResult();
            return false;
        }
    }

    // A Clear since the hold began emptied the list: that hold is no longer reported.
    private void Ended(int hold, int generation, string what, string how)
    {
        lock (_sync)
        {
            if (generation == _generation) _holds[hold] = what + ": " + how;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal FaultSpec? TakeFor(string path)
    {
        lock (_sync)
        {
            Entry? entry = _queue.FirstOrDefault(e =>
                e.PathContains is null || path.Contains(e.PathContains, StringComparison.OrdinalIgnoreCase));
            if (entry is null) return null;
            if (entry.Skip > 0)
            {
                entry.Skip--;
                return null;
            }
            if (--entry.Remaining == 0) _queue.Remove(entry);
            return entry.Spec;
        }
    }

    internal bool TakeNullBatchItem()
    {
        lock (_sync)
        {
            if (_nullItems == 0) return false;
            _nullItems--;
            return true;
        }
    }

    internal IReadOnlySet<int> TakeBatchPositions()
    {
        lock (_sync)
        {
            var positions = new HashSet<int>(_nullPositions);
            _nullPositions.Clear();
            return positions;
        }
    }
}
