using System.Net;

namespace Naova.WhatsAppToken.Emulator.Tests;

/// <summary>
/// The latency fault tells a test when a request is held and when its client gave up on it: how a client's
/// cancellation is proven from the server's side, without timing anything.
/// </summary>
public sealed class FaultAbortTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_request_cancelled_by_its_client_while_held_is_counted_as_aborted()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Latency = TimeSpan.FromMinutes(10);
        using var cts = new CancellationTokenSource();
        Task<HttpResponseMessage> call = g.Http.GetAsync(g.WithAuth($"v26.0/{g.Seed.BusinessId}?fields=id", g.Admin), cts.Token);

        await g.Emulator.Faults.FirstHeld.WaitAsync(Guard);
        Assert.Equal(0, g.Emulator.Faults.AbortedRequests);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await g.Emulator.Faults.FirstAborted.WaitAsync(Guard);

        Assert.Equal(1, g.Emulator.Faults.HeldRequests);
        Assert.Equal(1, g.Emulator.Faults.AbortedRequests);
        Assert.Empty(g.Emulator.Requests); // never answered, so never recorded as answered
        string hold = Assert.Single(g.Emulator.Faults.Holds);
        Assert.StartsWith($"GET /v26.0/{g.Seed.BusinessId} (connection ", hold);
        Assert.EndsWith(", before handling): aborted", hold);
    }

    [Fact]
    public async Task Holds_say_how_each_hold_ended_and_Clear_empties_them()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Latency = TimeSpan.FromMinutes(10);
        Task<HttpResponseMessage> held = g.Http.GetAsync(g.WithAuth($"v26.0/{g.Seed.AppId}?fields=id", g.Admin));
        await g.Emulator.Faults.FirstHeld.WaitAsync(Guard);
        Assert.EndsWith(", before handling): held", Assert.Single(g.Emulator.Faults.Holds));

        g.Emulator.Faults.ReleaseHeld();
        (await held.WaitAsync(Guard)).EnsureSuccessStatusCode();
        Assert.EndsWith(": released", Assert.Single(g.Emulator.Faults.Holds));

        g.Emulator.Faults.Clear();
        Assert.Empty(g.Emulator.Faults.Holds);
        g.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(1);
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}?fields=id", g.Admin)).AssertOk();
        Assert.Equal($"GET /v26.0/{g.Seed.BusinessId}", Assert.Single(g.Emulator.Faults.Holds).Split(" (")[0]);
        Assert.EndsWith(": answered", g.Emulator.Faults.Holds[0]);
    }

    [Fact]
    public async Task Clear_resets_the_counts_and_a_request_without_latency_is_not_held()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(1);
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}?fields=id", g.Admin)).AssertOk();
        Assert.True(g.Emulator.Faults.FirstHeld.IsCompleted);
        Assert.Equal(1, g.Emulator.Faults.HeldRequests);

        g.Emulator.Faults.Clear();
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}?fields=id", g.Admin)).AssertOk();
        Assert.Equal(0, g.Emulator.Faults.HeldRequests);
        Assert.Equal(0, g.Emulator.Faults.AbortedRequests);
        Assert.False(g.Emulator.Faults.FirstHeld.IsCompleted);
        Assert.False(g.Emulator.Faults.FirstAborted.IsCompleted);
        Assert.Equal(2, g.Emulator.Requests.Count(r => r.Status == (int)HttpStatusCode.OK));
    }
}
