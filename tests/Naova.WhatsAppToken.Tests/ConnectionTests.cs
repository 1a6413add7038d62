using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

public class ConnectionTests
{
    [Fact]
    public async Task Get_WaConnection_shows_the_business_and_a_fingerprint_but_no_secret()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "Get-WaConnection").AssertClean();
        var connection = r.One("WaConnection");
        Assert.Equal(s.Seed.BusinessId, connection.S("BusinessId"));
        Assert.Equal(s.Seed.BusinessName, connection.S("BusinessName"));
        Assert.Equal(true, connection.P("HasAppSecret"));
        Assert.Matches("^[0-9a-f]{12}$", connection.S("AccessTokenFingerprint"));
        Assert.DoesNotContain(connection.Properties, p => p.Value is System.Security.SecureString);
        string text = r.AllText();
        Assert.DoesNotContain(s.Seed.AdminUserToken, text);
        Assert.DoesNotContain(s.Seed.AppSecret, text);
    }

    /// <summary>As Get-MgContext and Get-AzContext: nothing, and no error, when not connected, so a script can ask.</summary>
    [Fact]
    public void Get_WaConnection_returns_nothing_and_no_error_when_not_connected()
    {
        using var ps = new PsSession();
        var r = ps.Run("$ErrorActionPreference = 'Stop'; $c = Get-WaConnection; $null -eq $c; if (-not (Get-WaConnection)) { 'not connected' }").AssertClean();
        Assert.Equal(new object[] { true, "not connected" }, r.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(r.Verbose.Concat(ps.Run("Get-WaConnection -Verbose").Verbose), v => v.Message.Contains("no default connection"));
    }

    [Fact]
    public async Task Each_runspace_has_its_own_default_connection()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();
        using var otherJob = new PsSession();

        Assert.Empty(otherJob.Run("Get-WaConnection").AssertClean().Output);
        var create = otherJob.Run("New-WaSystemUser -Name svc");
        Assert.Equal("NotConnected,Naova.WhatsAppToken.Commands.NewWaSystemUserCommand", create.SingleError().FullyQualifiedErrorId);
        Assert.Contains("Connect-WaBusiness", create.SingleError().ErrorDetails.RecommendedAction);
        Assert.Empty(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task An_explicit_connection_object_works_without_any_session_default_and_flows_down_the_pipeline()
    {
        await using var s = await EmulatorSession.StartAsync();
        var connection = s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -PassThru; Disconnect-WaBusiness")
            .AssertClean().One("WaConnection");
        using var job = new PsSession();
        var report = job.Run("New-WaSystemUser -Name svc -Connection $c | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken | Test-WaToken",
            new { c = connection, waba = s.Seed.WabaId }).AssertClean().One("WaTokenReport");
        Assert.Equal("Healthy", report.S("Status"));
        Assert.Single(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task A_wrong_app_secret_fails_the_connection_check_with_the_remedy_and_leaves_no_default()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect, new
        {
            biz = s.Seed.BusinessId, app = s.Seed.AppId, admin = EmulatorSession.Secure(s.Seed.AdminUserToken),
            secret = EmulatorSession.Secure("not-the-secret"), uri = s.Emulator.BaseUri,
        });
        var error = r.SingleError();
        Assert.Equal("AppSecretProofInvalid,Naova.WhatsAppToken.Commands.ConnectWaBusinessCommand", error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("app secret", error.ErrorDetails.RecommendedAction);
        Assert.Empty(s.Ps.Run("Get-WaConnection").AssertClean().Output);
    }

    [Fact]
    public void Plain_http_is_refused_off_loopback_before_any_call()
    {
        using var ps = new PsSession();
        var r = ps.Run("Connect-WaBusiness -BusinessId 1 -AppId 2 -AccessToken $t -GraphUri http://graph.example.com/ -SkipCheck",
            new { t = EmulatorSession.Secure("x") });
        var error = r.SingleError();
        Assert.Equal("InvalidGraphUri,Naova.WhatsAppToken.Commands.ConnectWaBusinessCommand", error.FullyQualifiedErrorId);
        Assert.Contains("https", error.Exception.Message);
        Assert.Empty(ps.Run("Get-WaConnection").AssertClean().Output);
    }
}
