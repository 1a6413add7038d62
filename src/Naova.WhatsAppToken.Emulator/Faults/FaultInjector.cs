namespace Naova.WhatsAppToken.Emulator;

/// <summary>Faults for the next requests, latency on every request, and null batch items. Thread-safe.</summary>
public sealed class FaultInjector
{
    private readonly object _sync = new();
    private readonly List<Entry> _queue = new();
    private readonly HashSet<int> _nullPositions = new();
    private TimeSpan _latency;
    private int _nullItems;

    private sealed class Entry
    {
        public required FaultSpec Spec { get; init; }
        public required int Remaining { get; set; }
        public string? PathContains { get; init; }
    }

    /// <summary>Added to every request (Task.Delay that honours the request's abort).</summary>
    public TimeSpan Latency
    {
        get { lock (_sync) return _latency; }
        set { lock (_sync) _latency = value < TimeSpan.Zero ? TimeSpan.Zero : value; }
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
    public void Enqueue(FaultSpec spec, int count = 1, string? pathContains = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_sync) _queue.Add(new Entry { Spec = spec, Remaining = count, PathContains = pathContains });
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
        }
    }

    internal FaultSpec? TakeFor(string path)
    {
        lock (_sync)
        {
            Entry? entry = _queue.FirstOrDefault(e =>
                e.PathContains is null || path.Contains(e.PathContains, StringComparison.OrdinalIgnoreCase));
            if (entry is null) return null;
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
