using System.Diagnostics;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>
/// The emulator's time. It ticks with real time from its start value (so a client's own
/// appsecret_time stays close to it in a long session), and tests move it with Set/Advance.
/// </summary>
public sealed class EmulatorClock
{
    private readonly object _sync = new();
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private DateTimeOffset _base;

    public EmulatorClock(DateTimeOffset start) => _base = start;

    public DateTimeOffset Now
    {
        get { lock (_sync) return _base + _elapsed.Elapsed; }
    }

    /// <summary>Unix seconds of <see cref="Now"/>.</summary>
    public long UnixNow => Now.ToUnixTimeSeconds();

    public void Set(DateTimeOffset now)
    {
        lock (_sync) { _base = now; _elapsed.Restart(); }
    }

    public void Advance(TimeSpan by)
    {
        lock (_sync) _base += by;
    }
}
