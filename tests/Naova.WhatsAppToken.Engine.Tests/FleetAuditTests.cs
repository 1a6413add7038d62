using System.Net;
using System.Security;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// DebugTokensAsync against the emulator over real HTTP: batches of 50, single calls only for what a batch could not
/// answer, outcomes in input order, and no more batches in flight than AuditConcurrency.
/// </summary>
public sealed class FleetAuditTests
{
    private const int Fleet = 120; // three batches: 50, 50 and 20

    [Fact]
    public async Task Batches_of_50_answer_every_token_in_input_order()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var (tokens, invalid) = await FleetAsync(emulator);
        using var client = Client(emulator);
        emulator.ResetRequestLog();
        var progress = new List<int>();

        var outcomes = await client.DebugTokensAsync(tokens, new SyncProgress(progress), CancellationToken.None);

        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(3, client.DebugTokenRequests);
        Assert.All(emulator.Requests, r => Assert.Equal("POST", r.Method));
        AssertInOrder(outcomes, invalid);
        Assert.Equal(Fleet, progress.Max());
    }

    [Fact]
    public async Task When_Meta_refuses_debug_token_in_a_batch_each_token_is_asked_on_its_own()
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions { DebugTokenInBatch = false });
        var (tokens, invalid) = await FleetAsync(emulator);
        using var client = Client(emulator);
        emulator.ResetRequestLog();

        var outcomes = await client.DebugTokensAsync(tokens, null, CancellationToken.None);

        Assert.Equal(3 + Fleet, emulator.RequestCount);
        Assert.Equal(Fleet, emulator.Requests.Count(r => r.Path.EndsWith("/debug_token", StringComparison.Ordinal)));
        // The single calls carry the token in a body, never in the URL.
        Assert.All(emulator.Requests, r => Assert.DoesNotContain("input_token", r.QueryKeys));
        AssertInOrder(outcomes, invalid);
    }

    [Fact]
    public async Task Items_a_batch_left_unanswered_are_asked_again_singly_and_only_they()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var (tokens, invalid) = await FleetAsync(emulator);
        using var client = Client(emulator);
        client.AuditConcurrency = 1; // so "the next batch" is the first fifty
        emulator.ResetRequestLog();
        emulator.Faults.NullBatchItemsAt(3, 17, 49);

        var outcomes = await client.DebugTokensAsync(tokens, null, CancellationToken.None);

        Assert.Equal(3 + 3, emulator.RequestCount);
        Assert.Equal(3, emulator.Requests.Count(r => r.Path.EndsWith("/debug_token", StringComparison.Ordinal)));
        AssertInOrder(outcomes, invalid);
    }

    [Fact]
    public async Task No_more_batches_are_in_flight_than_AuditConcurrency_and_more_than_one_is()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var tokens = (await BulkTokens.MakeAsync(emulator, 500)).Select(Secure).ToArray();
        var gauge = new InFlightGauge(new HttpClientHandler());
        using var client = Client(emulator, gauge);
        client.AuditConcurrency = 3;

        var outcomes = await client.DebugTokensAsync(tokens, null, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Data!.IsValid));
        Assert.Equal(10, gauge.Requests);
        Assert.InRange(gauge.MaxInFlight, 2, 3);
    }

    // The tokens a batch could not answer are asked one by one (here all of them: Meta refuses debug_token in a
    // batch) within the same limit as the batches: never two requests at once with AuditConcurrency 1.
    [Fact]
    public async Task Tokens_asked_one_by_one_after_a_batch_keep_within_AuditConcurrency()
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions { DebugTokenInBatch = false });
        var (tokens, invalid) = await FleetAsync(emulator);
        var gauge = new InFlightGauge(new HttpClientHandler(), holdFirst: false);
        using var client = Client(emulator, gauge);
        client.AuditConcurrency = 1;

        var outcomes = await client.DebugTokensAsync(tokens, null, CancellationToken.None);

        AssertInOrder(outcomes, invalid);
        Assert.Equal(3 + Fleet, gauge.Requests);
        Assert.Equal(1, gauge.MaxInFlight);
    }

    // The audit owns the gate its batches take turns at. Disposed while a batch is still at Meta (the pipeline was
    // stopped), it lets that batch end and release the gate first: a gate disposed under it faulted the batch.
    [Fact]
    public async Task An_audit_disposed_while_a_batch_is_at_Meta_lets_that_batch_end_cleanly()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var graph = new FakeGraph(async (_, _, _) =>
        {
            await release.Task;
            return FakeGraph.Error(190, status: HttpStatusCode.Unauthorized, message: "(#190) Error validating access token");
        });
        using var client = Kit.Client(graph);
        var audit = client.StartAudit(null, CancellationToken.None);
        for (int i = 0; i < 50; i++) audit.Add(Secure(Kit.InputToken)); // a full batch leaves at once
        await graph.FirstRequest;

        audit.Dispose();
        release.SetResult();
        await audit.FinishAsync();

        Assert.True(graph.Count >= 1);
        Assert.Throws<ObjectDisposedException>(() => audit.Add(Secure(Kit.InputToken)));
    }

    /// <summary>A fleet where every seventh token was invalidated by "Meta": the validity pattern proves the order.</summary>
    private static async Task<(SecureString[] Tokens, bool[] Invalid)> FleetAsync(GraphEmulator emulator)
    {
        var texts = await BulkTokens.MakeAsync(emulator, Fleet);
        var invalid = texts.Select((_, i) => i % 7 == 3).ToArray();
        for (int i = 0; i < texts.Count; i++)
            if (invalid[i]) Assert.True(emulator.State.InvalidateToken(texts[i], 460));
        return (texts.Select(Secure).ToArray(), invalid);
    }

    private static void AssertInOrder(IReadOnlyList<DebugTokenOutcome> outcomes, bool[] invalid)
    {
        Assert.Equal(invalid.Length, outcomes.Count);
        for (int i = 0; i < invalid.Length; i++)
        {
            Assert.Null(outcomes[i].Error);
            Assert.Equal(!invalid[i], outcomes[i].Data!.IsValid);
            if (invalid[i]) Assert.Equal(460, outcomes[i].Data!.Error!.Subcode);
        }
    }

    private static GraphClient Client(GraphEmulator emulator, HttpMessageHandler? handler = null) =>
        new(new GraphConnectionInfo(emulator.Seed.BusinessId, emulator.Seed.AppId, Secure(emulator.Seed.AdminUserToken), Secure(emulator.Seed.AppSecret),
            new GraphSettings(emulator.BaseUri)), handler);

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private sealed class SyncProgress(List<int> seen) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (seen) seen.Add(value);
        }
    }

    /// <summary>
    /// Counts requests in flight. With <paramref name="holdFirst"/>, the first request waits until a second one arrives
    /// (or 10 s pass), so a client that runs batches side by side shows it without any timing; one that runs them one
    /// by one shows a maximum of 1.
    /// </summary>
    private sealed class InFlightGauge(HttpMessageHandler inner, bool holdFirst = true) : DelegatingHandler(inner)
    {
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _max;
        private int _requests;

        public int MaxInFlight => Volatile.Read(ref _max);

        public int Requests => Volatile.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            int number = Interlocked.Increment(ref _requests);
            int now = Interlocked.Increment(ref _inFlight);
            int seen;
            while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }
            try
            {
                if (now >= 2) _second.TrySetResult();
                if (number == 1 && holdFirst) await Task.WhenAny(_second.Task, Task.Delay(TimeSpan.FromSeconds(10), ct));
                return await base.SendAsync(request, ct);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
