using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>The doc's four steps as one pipeline, against the emulator over real HTTP, asserting on what the emulator then holds.</summary>
public class PipelineTests
{
    private const string DesignPipeline = EmulatorSession.Connect + """
        New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
          Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE |
          New-WaToken -Expiration Never |
          Test-WaToken
        """;

    [Fact]
    public async Task Design_pipeline_creates_grants_makes_a_permanent_token_and_reports_it_healthy()
    {
        await using var s = await EmulatorSession.StartAsync();
        var report = s.Run(DesignPipeline).AssertClean().One("WaTokenReport");

        var user = Assert.Single(s.Emulator.State.GetSystemUsers());
        Assert.Equal("naova-whatsapp-service", user.Name);
        Assert.Equal("ADMIN", user.Role);
        Assert.Contains(s.Seed.AppId, user.InstalledAppIds);
        Assert.Equal(new[] { "MANAGE" }, s.Emulator.State.GetWabaAssignments(s.Seed.WabaId)[user.Id]);
        var token = Assert.Single(s.Emulator.State.GetTokensOf(user.Id));
        Assert.Null(token.ExpiresAt);

        Assert.Equal(token.Fingerprint, report.S("Fingerprint"));
        Assert.Equal("Healthy", report.S("Status"));
        Assert.Equal(true, report.P("IsValid"));
        Assert.Equal("SYSTEM_USER", report.S("Type"));
        Assert.Null(report.P("ExpiresAt"));
        Assert.Equal("Never", report.S("Expires"));
        Assert.Equal(user.Id, report.S("SystemUserId"));
        Assert.Empty(report.Strings("MissingScopes"));
        Assert.Empty(report.Strings("Problems"));
        Assert.Equal(new[] { "business_management", "whatsapp_business_management", "whatsapp_business_messaging" }, report.Strings("Scopes").OrderBy(x => x));
    }
}
