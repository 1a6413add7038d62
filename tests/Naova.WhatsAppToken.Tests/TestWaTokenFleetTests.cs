using System.Security;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Test-WaToken as a fleet audit against the emulator: batches of 50, one report per token in input order (a Failed
/// one, saying why, where a check could not be made), and -FailOn turning a bad audit into a terminating error.
/// Nothing here is timed; the benchmark measures speed.
/// </summary>
public class TestWaTokenFleetTests
{
    [Fact]
    public async Task A_thousand_tokens_take_at_most_21_requests_and_get_one_report_each_in_input_order()
    {
        await using var s = await EmulatorSession.StartAsync();
        var (fleet, fingerprints, invalid) = await FleetAsync(s, 1000);
        s.Emulator.ResetRequestLog();

        var r = s.Run(EmulatorSession.Connect + "$fleet | Test-WaToken").AssertClean();

        Assert.InRange(s.Emulator.RequestCount, 1, 24); // Connect-WaBusiness's check (business, app, admin token, its role), then 20 batches of 50
        var reports = r.Of("WaTokenReport");
        Assert.Equal(fingerprints, reports.Select(x => x.S("Fingerprint")));
        Assert.Equal(invalid.Select(bad => bad ? "Failed" : "Healthy"), reports.Select(x => x.S("Status")));
        Assert.Contains(r.Progress, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
        Assert.Contains(r.Progress, p => p.PercentComplete == 100);
    }

    [Fact]
    public async Task Without_debug_token_in_batches_each_token_is_asked_on_its_own_and_still_reported_in_order()
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { DebugTokenInBatch = false });
        var (fleet, fingerprints, invalid) = await FleetAsync(s, 120);
        s.Run(EmulatorSession.Connect).AssertClean();
        s.Emulator.ResetRequestLog();

        var r = s.Run("$fleet | Test-WaToken").AssertClean();

        Assert.Equal(3 + 120, s.Emulator.RequestCount); // 3 refused batches, then 120 single calls
        var reports = r.Of("WaTokenReport");
        Assert.Equal(fingerprints, reports.Select(x => x.S("Fingerprint")));
        Assert.Equal(invalid.Select(bad => bad ? "Failed" : "Healthy"), reports.Select(x => x.S("Status")));
    }

    [Fact]
    public async Task A_token_whose_check_failed_gets_a_Failed_report_that_says_why_in_its_place()
    {
        await using var s = await EmulatorSession.StartAsync();
        var (_, fingerprints, _) = await FleetAsync(s, 60, invalidEvery: 0);
        s.Run(EmulatorSession.Connect).AssertClean();
        // The batch leaves item 5 unanswered, and its own request then fails.
        s.Emulator.Faults.NullBatchItemsAt(5);
        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(400, 100, message: "(#100) The emulator refuses this one"), 1, "/debug_token");

        var r = s.Run("$fleet | Test-WaToken -ThrottleLimit 1").AssertClean();

        var reports = r.Of("WaTokenReport");
        Assert.Equal(fingerprints, reports.Select(x => x.S("Fingerprint")));
        Assert.Equal(59, reports.Count(x => x.S("Status") == "Healthy"));
        Assert.Equal("Unknown", reports[5].S("Status"));
        var problem = System.Management.Automation.PSObject.AsPSObject(Assert.Single((object[])reports[5].P("Problems")!));
        Assert.Equal("CheckFailed", problem.S("Kind"));
        Assert.Contains("The emulator refuses this one", problem.S("Message"));
        Assert.False(string.IsNullOrWhiteSpace(problem.S("Remedy")));
    }

    [Fact]
    public async Task When_Meta_refuses_the_caller_one_error_says_why_and_every_token_gets_an_Unknown_report()
    {
        await using var s = await EmulatorSession.StartAsync();
        var (_, fingerprints, _) = await FleetAsync(s, 3, invalidEvery: 0);
        s.Ps.Runspace.SessionStateProxy.SetVariable("wrong", EmulatorSession.Secure("0123456789abcdef0123456789abcdef"));

        var r = s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $wrong -GraphUri $uri -SkipCheck; $fleet | Test-WaToken");

        Assert.StartsWith("TokenInvalid,", Assert.Single(r.Errors).FullyQualifiedErrorId);
        var reports = r.Of("WaTokenReport");
        Assert.Equal(fingerprints, reports.Select(x => x.S("Fingerprint")));
        Assert.All(reports, x => Assert.Equal("Unknown", x.S("Status"))); // Meta judged none of them
    }

    [Fact]
    public async Task FailOn_Failed_ends_with_a_summary_after_every_report()
    {
        await using var s = await EmulatorSession.StartAsync();
        var (_, fingerprints, _) = await FleetAsync(s, 3, invalidEvery: 0);
        s.Emulator.State.InvalidateTokenByFingerprint(fingerprints[1], 460);

        var r = s.Run(EmulatorSession.Connect + "$fleet | Test-WaToken -FailOn Failed");

        Assert.Equal(fingerprints, r.Of("WaTokenReport").Select(x => x.S("Fingerprint")));
        var error = Assert.Single(r.Errors);
        Assert.Equal("AuditFailed,Naova.WhatsAppToken.Commands.TestWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Contains("2 Healthy, 0 Warning, 1 Failed", error.ErrorDetails.Message);
        Assert.Contains(fingerprints[1], error.ErrorDetails.Message);
        Assert.DoesNotContain(fingerprints[0], error.ErrorDetails.Message);
        var atFault = Assert.Single((object[])error.TargetObject);
        Assert.Equal(fingerprints[1], System.Management.Automation.PSObject.AsPSObject(atFault).S("Fingerprint"));
    }

    [Fact]
    public async Task FailOn_Warning_fails_on_a_token_that_expires_soon_and_FailOn_Failed_does_not()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "$t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken -Expiration SixtyDays").AssertClean();
        s.Emulator.Clock.Advance(TimeSpan.FromDays(50));

        var failed = s.Run("$t | Test-WaToken -FailOn Failed").AssertClean();
        Assert.Equal("Warning", failed.One("WaTokenReport").S("Status"));

        var warning = s.Run("$t | Test-WaToken -FailOn Warning");
        Assert.Equal("Warning", warning.One("WaTokenReport").S("Status"));
        Assert.StartsWith("AuditFailed,", Assert.Single(warning.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task A_stored_token_that_can_not_be_read_gets_its_error_and_a_Failed_report()
    {
        string folder = Directory.CreateTempSubdirectory("wa-audit-").FullName;
        string env = Path.Combine(folder, ".env");
        File.WriteAllText(env, "PORT=8080\n");
        try
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Ps.Runspace.SessionStateProxy.SetVariable("env", env);

            var r = s.Run(EmulatorSession.Connect + "Test-WaToken -EnvFile $env");

            Assert.StartsWith("EnvVariableNotFound,", Assert.Single(r.Errors).FullyQualifiedErrorId);
            var report = r.One("WaTokenReport");
            Assert.Equal("Failed", report.S("Status"));
            Assert.Contains(env, report.S("StoredIn"));
            Assert.Equal("NotRead", System.Management.Automation.PSObject.AsPSObject(Assert.Single((object[])report.P("Problems")!)).S("Kind"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A fleet in $fleet (SecureString[]), where every <paramref name="invalidEvery"/>-th token was invalidated by "Meta".</summary>
    private static async Task<(SecureString[] Fleet, string[] Fingerprints, bool[] Invalid)> FleetAsync(EmulatorSession s, int count, int invalidEvery = 97)
    {
        var texts = await BulkTokens.MakeAsync(s.Emulator, count);
        var invalid = texts.Select((_, i) => invalidEvery > 0 && i % invalidEvery == 7).ToArray();
        for (int i = 0; i < texts.Count; i++)
            if (invalid[i]) s.Emulator.State.InvalidateToken(texts[i], 460);
        var fleet = texts.Select(EmulatorSession.Secure).ToArray();
        s.Ps.Runspace.SessionStateProxy.SetVariable("fleet", fleet);
        return (fleet, texts.Select(ScriptedSecrets.Fingerprint).ToArray(), invalid);
    }
}
