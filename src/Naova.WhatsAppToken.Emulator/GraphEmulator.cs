using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.Http;
using Naova.WhatsAppToken.Emulator.Seed;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>
/// A local, stateful emulator of the parts of Meta's Graph API in docs/graph-api.md, on Kestrel,
/// bound to a loopback address only.
/// </summary>
public sealed class GraphEmulator : IAsyncDisposable
{
    private readonly RequestLog _log = new();
    private readonly GraphCore _core;
    private WebApplication? _app;
    private int _acceptedConnections;
    private int _openConnections;
    private TaskCompletionSource _connectionClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GraphEmulator(EmulatorSeed seed, EmulatorClock clock, EmulatorState state, EmulatorOptions options)
    {
        Seed = seed;
        Clock = clock;
        State = state;
        Options = options;
        Faults.Latency = options.InitialLatency;
        _core = new GraphCore(state, clock, options, Faults) { Observer = _log.Saw };
    }

    /// <summary>"http://127.0.0.1:PORT/" (with the trailing slash).</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");
    public EmulatorSeed Seed { get; }
    public EmulatorClock Clock { get; }
    public EmulatorState State { get; }
    public FaultInjector Faults { get; } = new();
    public EmulatorOptions Options { get; }

    /// <summary>HTTP requests received (a batch counts as 1; /_emulator calls are not counted).</summary>
    public int RequestCount => _log.Count;

    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>
    /// The time the emulator spent serving Graph requests since it started, summed over requests (reading, handling,
    /// writing; injected latency excluded): what a benchmark must know is the emulator's, not the client's.
    /// </summary>
    public TimeSpan ServingTime => TimeSpan.FromSeconds(_log.ServingTicks / (double)System.Diagnostics.Stopwatch.Frequency);

    public void ResetRequestLog() => _log.Reset();

    /// <summary>
    /// TCP connections Kestrel accepted since the start (/_emulator calls included; never reset): how a client's
    /// connection reuse is seen from outside it.
    /// </summary>
    public int AcceptedConnections => Volatile.Read(ref _acceptedConnections);

    /// <summary>TCP connections open now: a client that frees its connection is seen closing it.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Waits (no clock: each close wakes it) until at most <paramref name="count"/> connections are open.</summary>
    public async Task WaitForOpenConnectionsAsync(int count, CancellationToken ct)
    {
        while (true)
        {
            Task closed = Volatile.Read(ref _connectionClosed).Task;
            if (OpenConnections <= count) return;
            await closed.WaitAsync(ct);
        }
    }

    private async Task CountConnectionAsync(Microsoft.AspNetCore.Connections.ConnectionDelegate next, Microsoft.AspNetCore.Connections.ConnectionContext connection)
    {
        Interlocked.Increment(ref _acceptedConnections);
        Interlocked.Increment(ref _openConnections);
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
            Interlocked.Exchange(ref _connectionClosed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Whether any call or batch item carried <paramref name="text"/> as a parameter value or token (compared by fingerprint).</summary>
    public bool Received(string text) => _log.Received(text);

    /// <summary>The fingerprints (TokenText.Fingerprint) of the input_token of every debug_token asked, in order, batch items included.</summary>
    public IReadOnlyList<string> InspectedTokens => _log.Inspected();

    /// <summary>The node type (as Meta's specs name it) of an id the emulator knows, or null.</summary>
    public string? NodeTypeOf(string id) => State.NodeTypeOf(id);

    /// <summary>Starts Kestrel on http://127.0.0.1:0 (a free port), unless <see cref="EmulatorOptions.Port"/> says otherwise.</summary>
    public static async Task<GraphEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatorOptions();
        if (!IPAddress.IsLoopback(options.ListenAddress))
            throw new ArgumentException($"The emulator only binds a loopback address, not {options.ListenAddress}.", nameof(options));
        (SeedFile seedFile, string source) = SeedFile.Load(options.SeedPath);
        var clock = new EmulatorClock(options.StartTime ?? DateTimeOffset.UtcNow);
        var state = new EmulatorState(World.FromSeed(seedFile, clock.Now, options));
        var emulator = new GraphEmulator(new EmulatorSeed(seedFile, source), clock, state, options);
        await emulator.StartServerAsync(ct);
        return emulator;
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(Options.ListenAddress, Options.Port, listen => listen.Use(next => connection => CountConnectionAsync(next, connection)));
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        _app = builder.Build();
        var front = new HttpFront(_core, Faults, _log, Clock, new ControlEndpoints(this), State.BusinessId,
            Options.HonourMethodOverride);
        _app.Run(front.InvokeAsync);
        await _app.StartAsync(ct);

        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        _core.BaseUri = BaseUri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        WebApplication app = _app;
        _app = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await app.StopAsync(timeout.Token); }
        finally
        {
            await app.DisposeAsync();
            Faults.Dispose();
        }
    }
}
