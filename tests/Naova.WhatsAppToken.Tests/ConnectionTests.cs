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

    [Fact]
    public async Task Each_runspace_has_its_own_default_connection()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();
        using var otherJob = new PsSession();

        var r = otherJob.Run("Get-WaConnection");
        Assert.Equal("NotConnected,Naova.WhatsAppToken.Commands.GetWaConnectionCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
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
        Assert.NotEmpty(s.Ps.Run("Get-WaConnection").Errors);
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
        Assert.NotEmpty(ps.Run("Get-WaConnection").Errors);
    }
}
