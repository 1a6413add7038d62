using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Ctrl+C (PowerShell.Stop, which calls StopProcessing) cancels the Graph request in flight at once: against an
/// emulator that would hold the request for ten minutes, Stop() from another thread ends the command with
/// PipelineStoppedException, and the emulator sees that request aborted by its client and no request after it.
/// Nothing is timed: the guard only keeps a broken build from hanging the suite.
/// </summary>
public class CancellationTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private const string Connect = "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri";

    public static TheoryData<string, string, string> Commands() => new()
    {
        // name, setup (run first, no latency), command stopped in flight
        { "Connect-WaBusiness", "", Connect },
        { "Get-WaSystemUser", Connect, "Get-WaSystemUser" },
        { "New-WaSystemUser", Connect, "New-WaSystemUser -Name stopped-user" },
        { "New-WaToken", Connect + "\n$g = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba", "New-WaToken -SystemUserId $g.SystemUserId" },
        { "Test-WaToken", Connect + "\n$t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken", "Test-WaToken -Token $t.Token" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Stop_cancels_the_request_in_flight_and_the_command_ends_with_PipelineStoppedException(string name, string setup, string command)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(setup).AssertClean();
        int tokensBefore = s.Emulator.State.GetTokens().Count;
        s.Emulator.ResetRequestLog();
        s.Emulator.Faults.Latency = TimeSpan.FromMinutes(10);

        using var ps = PowerShell.Create();
        ps.Runspace = s.Ps.Runspace;
        ps.AddScript(command);
        Task<PSDataCollection<PSObject>> invocation = ps.InvokeAsync();

        await s.SeenAsync(s.Emulator.Faults.FirstHeld, "the command's request", Guard);
        await Task.Run(ps.Stop);
        var stopped = await Record.ExceptionAsync(() => invocation.WaitAsync(Guard));
        await s.SeenAsync(s.Emulator.Faults.FirstAborted, "the stopped command's request aborted by its client", Guard);

        Assert.IsType<PipelineStoppedException>(stopped);
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Equal(1, s.Emulator.Faults.HeldRequests);
        Assert.Equal(1, s.Emulator.Faults.AbortedRequests);
        Assert.Equal(1, s.Emulator.RequestCount); // no retry, no fallback after the stop
        Assert.Empty(ps.Streams.Error);
        Assert.Equal(tokensBefore, s.Emulator.State.GetTokens().Count);
        _ = name;
    }

    /// <summary>
    /// Issue 24, case 12: Ctrl+C while Meta holds its answer to the token request. Meta made a never-expiring token that
    /// only the lost answer named: the host is told what Meta may hold and how it is found, and the next New-WaToken for
    /// that system user takes that very token (fetched, and issued between the question and the stop) instead of
    /// making a second one. Synchronised on the emulator having handled the request and the client having gone away.
    /// </summary>
    [Fact]
    public async Task Stopped_while_Meta_holds_its_answer_the_next_New_WaToken_takes_that_token_and_makes_no_second()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var host = new TestHost();
        using var session = new PsSession(host, importModule: true);
        var vars = new
        {
            biz = emulator.Seed.BusinessId, app = emulator.Seed.AppId, admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken),
            secret = EmulatorSession.Secure(emulator.Seed.AppSecret), uri = emulator.BaseUri, waba = emulator.Seed.WabaId,
        };
        session.Run(Connect + "\n$g = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba", vars).AssertClean();
        emulator.Faults.HoldAfterHandling = true;
        emulator.Faults.Latency = TimeSpan.FromMinutes(10);

        using (var ps = PowerShell.Create())
        {
            ps.Runspace = session.Runspace;
            ps.AddScript("New-WaToken -SystemUserId $g.SystemUserId");
            var invocation = ps.InvokeAsync();
            await EmulatorSession.SeenAsync(emulator, emulator.Faults.FirstHeld, "the token request", Guard);
            await Task.Run(ps.Stop);
            await Assert.ThrowsAsync<PipelineStoppedException>(() => invocation.WaitAsync(Guard));
        }
        await EmulatorSession.SeenAsync(emulator, emulator.Faults.FirstAborted, "the stopped token request aborted by its client", Guard);
        var made = Assert.Single(emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
        string told = host.Text;
        emulator.Faults.Clear();

        var again = session.Run("New-WaToken -SystemUserId $g.SystemUserId").AssertClean();
        Assert.Single(emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
        Assert.Equal(made.Fingerprint, again.One("WaToken").S("Fingerprint"));
        Assert.Contains("Meta may have made it", told);
        Assert.Contains("Run New-WaToken for that system user again", told);
        Assert.Contains(again.Warnings, w => w.Message.Contains(made.Fingerprint, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_runspace_works_again_after_a_stop()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect).AssertClean();
        s.Emulator.Faults.Latency = TimeSpan.FromMinutes(10);
        using (var ps = PowerShell.Create())
        {
            ps.Runspace = s.Ps.Runspace;
            ps.AddScript("Get-WaSystemUser");
            var invocation = ps.InvokeAsync();
            await s.SeenAsync(s.Emulator.Faults.FirstHeld, "the command's request", Guard);
            await Task.Run(ps.Stop);
            await Assert.ThrowsAsync<PipelineStoppedException>(() => invocation.WaitAsync(Guard));
        }
        s.Emulator.Faults.Clear();

        s.Run("New-WaSystemUser -Name after-stop").AssertClean().One("WaSystemUser");
        Assert.Single(s.Emulator.State.GetSystemUsers());
    }
}
