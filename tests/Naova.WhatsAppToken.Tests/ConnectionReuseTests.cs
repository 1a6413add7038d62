using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// One HTTP client per connection, seen from the emulator's side: it counts the TCP connections Kestrel accepted and
/// those still open. A session's commands (each its own pipeline) share one TCP connection; Disconnect-WaBusiness and
/// the closing of the runspace close it; Ctrl+C cancels a request without breaking the connection's client.
/// Nothing is timed: the guard only keeps a broken build from hanging the suite.
/// </summary>
public class ConnectionReuseTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private const string DocPipeline =
        "New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE | New-WaToken -Expiration Never | Test-WaToken";

    // Twenty commands after the pipeline, each run as its own pipeline, as a user types them at a prompt.
    private static readonly string[] TwentyMore = Enumerable.Range(0, 20).Select(i => (i % 5) switch
    {
        0 => "Get-WaSystemUser",
        1 => "Get-WaWhatsAppAccount",
        2 => "Get-WaApp",
        3 => "New-WaSystemUser -Name naova-whatsapp-service -Role Admin",
        _ => "Get-WaSystemUser -Name naova-whatsapp-service | Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE",
    }).ToArray();

    [Fact]
    public async Task Connect_the_docs_pipeline_and_twenty_more_commands_use_one_TCP_connection()
    {
        await using var s = await EmulatorSession.StartAsync();
        int before = s.Emulator.AcceptedConnections;

        s.Run(EmulatorSession.Connect).AssertClean();
        Assert.Equal("Healthy", s.Run(DocPipeline).AssertClean().One("WaTokenReport").S("Status"));
        foreach (string command in TwentyMore) s.Run(command).AssertClean();

        Assert.True(s.Emulator.RequestCount > 22, $"only {s.Emulator.RequestCount} requests");
        Assert.Equal(1, s.Emulator.AcceptedConnections - before);
        Assert.Equal(1, s.Emulator.OpenConnections);
    }

    [Fact]
    public async Task Disconnect_closes_the_connection_and_a_held_connection_object_opens_a_new_one_when_used()
    {
        await using var s = await EmulatorSession.StartAsync();
        var connection = s.Run(EmulatorSession.Connect.TrimEnd() + " -PassThru -Default").AssertClean().One("WaConnection");
        s.Run("Get-WaSystemUser").AssertClean();
        Assert.Equal(1, s.Emulator.OpenConnections);

        s.Run("Disconnect-WaBusiness").AssertClean();
        using (var guard = new CancellationTokenSource(Guard)) await s.Emulator.WaitForOpenConnectionsAsync(0, guard.Token);
        int before = s.Emulator.AcceptedConnections;

        s.Run("Get-WaSystemUser -Connection $c; Get-WaApp -Connection $c", new { c = connection }).AssertClean();

        Assert.Equal(1, s.Emulator.AcceptedConnections - before);
    }

    [Fact]
    public async Task Closing_the_runspace_closes_its_connections()
    {
        await using var emulator = await Emulator.GraphEmulator.StartAsync();
        using (var job = new PsSession())
        {
            var vars = new
            {
                biz = emulator.Seed.BusinessId, app = emulator.Seed.AppId, admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken),
                secret = EmulatorSession.Secure(emulator.Seed.AppSecret), uri = emulator.BaseUri,
            };
            job.Run(EmulatorSession.Connect + "Get-WaSystemUser", vars).AssertClean();
            Assert.Equal(1, emulator.OpenConnections);
        }

        using var guard = new CancellationTokenSource(Guard);
        await emulator.WaitForOpenConnectionsAsync(0, guard.Token);
        Assert.Equal(0, emulator.OpenConnections);
    }

    [Fact]
    public async Task A_stopped_command_leaves_the_connection_usable_for_the_next_command()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();
        s.Emulator.Faults.Latency = TimeSpan.FromMinutes(10);
        using (var ps = PowerShell.Create())
        {
            ps.Runspace = s.Ps.Runspace;
            ps.AddScript("Get-WaSystemUser");
            var invocation = ps.InvokeAsync();
            await s.SeenAsync(s.Emulator.Faults.FirstHeld, "Get-WaSystemUser's request", Guard);
            await Task.Run(ps.Stop);
            await Assert.ThrowsAsync<PipelineStoppedException>(() => invocation.WaitAsync(Guard));
        }
        await s.SeenAsync(s.Emulator.Faults.FirstAborted, "the stopped command's request aborted by its client", Guard);
        s.Emulator.Faults.Clear();
        int before = s.Emulator.AcceptedConnections;

        // The cancelled request took its TCP connection with it; the client itself was not disposed: one new connection serves both.
        s.Run("Get-WaSystemUser; Get-WaApp").AssertClean();

        Assert.Equal(1, s.Emulator.AcceptedConnections - before);
    }
}
