using System.Collections;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Test-WaToken sends each batch of 50 as soon as it is full, while the pipeline is still delivering tokens, and still
/// writes one report per token in input order. The producer below stops after 60 tokens and waits for the emulator to
/// receive a request: an audit that sent nothing before its input ended would leave it waiting until the guard.
/// Nothing is timed: the guard only keeps a broken build from hanging the suite.
/// </summary>
public class AuditStreamingTests
{
    [Fact]
    public async Task The_first_batch_reaches_Meta_before_the_last_token_has_arrived_and_reports_keep_input_order()
    {
        await using var s = await EmulatorSession.StartAsync();
        var texts = await BulkTokens.MakeAsync(s.Emulator, 120);
        s.Run(EmulatorSession.Connect).AssertClean();
        s.Emulator.ResetRequestLog();
        // A latency of a millisecond marks the first request the emulator holds; it changes nothing else.
        s.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(1);
        var probe = new Hashtable();

        var r = s.Run("""
            & {
                for ($i = 0; $i -lt $fleet.Count; $i++) {
                    if ($i -eq 60) { $probe.SentWhileArriving = $held.Wait($guard); $probe.RequestsAt60 = $emulator.RequestCount }
                    $fleet[$i]
                }
            } | Test-WaToken
            """, new
        {
            fleet = texts.Select(EmulatorSession.Secure).ToArray(),
            held = s.Emulator.Faults.FirstHeld,
            guard = TimeSpan.FromSeconds(60),
            emulator = s.Emulator,
            probe,
        }).AssertClean();

        Assert.Equal(true, probe["SentWhileArriving"]);
        Assert.Equal(1, probe["RequestsAt60"]);
        Assert.Equal(3, s.Emulator.RequestCount);
        Assert.Equal(texts.Select(ScriptedSecrets.Fingerprint), r.Of("WaTokenReport").Select(x => x.S("Fingerprint")));
        Assert.All(r.Of("WaTokenReport"), x => Assert.Equal("Healthy", x.S("Status")));
    }
    [Fact]
    public async Task Reports_of_answered_batches_go_out_while_a_later_batch_is_still_at_Meta_after_the_input_ended()
    {
        await using var s = await EmulatorSession.StartAsync();
        var texts = await BulkTokens.MakeAsync(s.Emulator, 150); // three batches
        s.Run(EmulatorSession.Connect).AssertClean();
        s.Emulator.ResetRequestLog();
        int start = s.Emulator.Faults.RequestsSeen;
        // Every request is held (the latency is only a guard): one batch at a time, so only the first is at Meta.
        s.Emulator.Faults.Latency = TimeSpan.FromSeconds(60);
        var probe = new Hashtable();

        // The producer hands over all 150 tokens, waits for the first batch to be held, then lets the first two batches
        // be answered and the third held, and ends the input: from here on only EndProcessing can write reports.
        var r = s.Run("""
            & {
                $fleet
                $probe.FirstHeld = $held.Wait($guard)
                $emulator.Faults.LatencyFrom = $start + 3
                $emulator.Faults.ReleaseHeld()
            } | Test-WaToken -ThrottleLimit 1 | ForEach-Object {
                if (-not $probe.ContainsKey('AnsweredAtFirstReport')) {
                    $probe.AnsweredAtFirstReport = @($emulator.Requests | Where-Object { $_.Method -eq 'POST' -and $_.Path -eq '/v26.0/' }).Count
                    $emulator.Faults.ReleaseHeld()
                }
                $_
            }
            """, new
        {
            fleet = texts.Select(EmulatorSession.Secure).ToArray(),
            held = s.Emulator.Faults.FirstHeld,
            guard = TimeSpan.FromSeconds(60),
            emulator = s.Emulator,
            start,
            probe,
        }).AssertClean();

        Assert.Equal(true, probe["FirstHeld"]);
        // The first report went out while the third batch was still held: one or two batches answered (the first
        // batch's reports may leave before the second is answered), never all three.
        Assert.InRange((int)probe["AnsweredAtFirstReport"]!, 1, 2);
        Assert.Equal(3, s.Emulator.RequestCount);
        Assert.Equal(texts.Select(ScriptedSecrets.Fingerprint), r.Of("WaTokenReport").Select(x => x.S("Fingerprint")));
    }
}
