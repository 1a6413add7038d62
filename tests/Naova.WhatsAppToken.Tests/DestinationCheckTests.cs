using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Every destination is checked before Meta makes a token: in New-WaToken | Save-WaToken, Save-WaToken's BeginProcessing
/// runs before New-WaToken's ProcessRecord, so a bad vault or .env stops the pipeline with no token made. Proven by the
/// emulator's token count, which must not move. Run against the emulator and the SecretManagement stand-in (its Locked
/// vault answers Test-SecretVault with false, as a locked vault does); "SecretManagement missing" is a session without it.
/// </summary>
public sealed class DestinationCheckTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wa-dest-").FullName;
    private EmulatorSession _s = null!;

    private const string Setup = EmulatorSession.Connect + """
        $su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba

        """;

    public async Task InitializeAsync()
    {
        _s = await EmulatorSession.StartAsync();
        _s.Ps.Runspace.SessionStateProxy.SetVariable("folder", _folder);
        _s.Ps.Runspace.SessionStateProxy.SetVariable("missing", Path.Combine(_folder, "missing", "app.env"));
        _s.Ps.Runspace.SessionStateProxy.SetVariable("good", Path.Combine(_folder, "app.env"));
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("-Vault Prodution", "VaultNotFound")]
    [InlineData("-Vault Locked", "VaultNotAnswering")]
    [InlineData("-EnvFile $missing", "EnvFolderNotFound")]
    [InlineData("-EnvFile $folder", "EnvFileIsDirectory")]
    public void A_bad_destination_stops_New_WaToken_before_Meta_makes_a_token(string destination, string reason)
    {
        _s.Run(SecretManagementStandIn.Import + Setup).AssertClean();
        int tokens = _s.Emulator.State.GetTokens().Count;

        var r = _s.Run("$su | New-WaToken | Save-WaToken " + destination);

        var error = Assert.Single(r.AllErrors());
        Assert.Equal(reason + ",Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.Equal(tokens, _s.Emulator.State.GetTokens().Count);
        Assert.Empty(r.Output);
        // No token was made, so none is kept, and no command to save one again repeats the bad name.
        Assert.Empty(_s.Run("@($WaUnsavedToken).Where({ $_ })").Output);
        Assert.DoesNotContain("$WaUnsavedToken | Save-WaToken", r.AllText());
    }

    [Fact]
    public void Without_SecretManagement_New_WaToken_piped_to_Save_WaToken_makes_no_token()
    {
        _s.Run(Setup).AssertClean();
        int tokens = _s.Emulator.State.GetTokens().Count;

        var r = _s.Run("$su | New-WaToken | Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN");

        var error = Assert.Single(r.AllErrors());
        Assert.Equal("SecretManagementNotFound,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(tokens, _s.Emulator.State.GetTokens().Count);
    }

    [Theory]
    [InlineData("-Vault Prodution")]
    [InlineData("-Vault Locked")]
    [InlineData("-EnvFile $missing")]
    public void A_bad_destination_stops_Update_WaToken_before_Meta_is_asked(string destination)
    {
        _s.Run(SecretManagementStandIn.Import + Setup + "$null = $su | New-WaToken | Save-WaToken -Vault WithMetadata").AssertClean();
        int tokens = _s.Emulator.State.GetTokens().Count;
        _s.Emulator.ResetRequestLog();

        var r = _s.Run("Update-WaToken " + destination);

        Assert.Single(r.AllErrors());
        Assert.Empty(_s.Emulator.Requests);
        Assert.Equal(tokens, _s.Emulator.State.GetTokens().Count);
    }

    [Fact]
    public void A_good_destination_still_takes_the_token()
    {
        _s.Run(SecretManagementStandIn.Import + Setup).AssertClean();

        var saved = _s.Run("$su | New-WaToken | Save-WaToken -EnvFile $good").AssertClean().One("WaToken");

        Assert.Equal(Path.Combine(_folder, "app.env") + ", variable WHATSAPP_ACCESS_TOKEN", saved.S("StoredIn"));
    }
}
