using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// A token piped from Get-WaToken carries where it is kept (StoredIn): Update-WaToken rotates that place, Revoke-WaToken
/// revokes that token, and an object that is neither a token nor a stored secret is refused with one error and no report.
/// Run against the emulator and the SecretManagement stand-in (its WithMetadata vault is the default one).
/// </summary>
public sealed class PipedPlaceTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wa-piped-").FullName;
    private EmulatorSession _s = null!;
    private string _vaultToken = string.Empty;
    private string _envToken = string.Empty;

    private string Env => Path.Combine(_folder, "app.env");

    public async Task InitializeAsync()
    {
        _s = await EmulatorSession.StartAsync();
        _s.Ps.Runspace.SessionStateProxy.SetVariable("env", Env);
        var r = _s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + """
            $su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
            ($su | New-WaToken | Save-WaToken -Vault WithMetadata).Fingerprint
            ($su | New-WaToken | Save-WaToken -EnvFile $env).Fingerprint
            """).AssertClean();
        _vaultToken = r.Output[0].ToString();
        _envToken = r.Output[1].ToString();
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string? EnvFingerprint(string variable) =>
        File.ReadAllLines(Env).Where(l => l.StartsWith(variable + "=", StringComparison.Ordinal)).Select(l => ScriptedSecrets.Fingerprint(l[(variable.Length + 1)..])).LastOrDefault();

    private string VaultFingerprint() => _s.Run("(Get-WaToken -Vault WithMetadata).Fingerprint").AssertClean().Output.Single().ToString();

    [Fact]
    public void Get_WaToken_from_a_dotenv_piped_to_Update_WaToken_rotates_that_dotenv_and_not_the_default_vault()
    {
        var rotation = _s.Run("Get-WaToken -EnvFile $env | Update-WaToken").AssertClean().One("WaTokenRotation");

        Assert.Equal(Env + ", variable WHATSAPP_ACCESS_TOKEN", rotation.S("StoredIn"));
        Assert.Equal(_envToken, rotation.S("PreviousFingerprint"));
        Assert.NotEqual(_envToken, EnvFingerprint("WHATSAPP_ACCESS_TOKEN"));
        Assert.Equal(rotation.S("Fingerprint"), EnvFingerprint("WHATSAPP_ACCESS_TOKEN"));
        Assert.True(_s.Emulator.State.FindTokenByFingerprint(_envToken)!.Revoked);
        Assert.Equal(_vaultToken, VaultFingerprint());
        Assert.False(_s.Emulator.State.FindTokenByFingerprint(_vaultToken)!.Revoked);
    }

    [Fact]
    public async Task WhatIf_of_a_piped_dotenv_token_names_that_dotenv()
    {
        var host = new TestHost { Answer = "Yes" };
        using var ps = new PsSession(host, importModule: true);
        ps.Run(SecretManagementStandIn.Import + EmulatorSession.Connect, _s.Vars()).AssertClean();
        ps.Runspace.SessionStateProxy.SetVariable("env", Env);

        ps.Run("Get-WaToken -EnvFile $env | Update-WaToken -WhatIf").AssertClean();

        Assert.Contains(Env, host.Text);
        Assert.DoesNotContain("vault WithMetadata", host.Text);
        Assert.Equal(_envToken, EnvFingerprint("WHATSAPP_ACCESS_TOKEN"));
        await Task.CompletedTask;
    }

    [Fact]
    public void A_piped_vault_secret_is_rotated_in_that_vault_under_that_name()
    {
        _s.Run("$null = Get-WaToken -EnvFile $env | Save-WaToken -Vault WithMetadata -Name OTHER_TOKEN").AssertClean();

        var rotation = _s.Run("Get-WaToken -Vault WithMetadata -Name OTHER_TOKEN | Update-WaToken").AssertClean().One("WaTokenRotation");

        Assert.Equal("vault WithMetadata, secret OTHER_TOKEN", rotation.S("StoredIn"));
        Assert.Equal(_envToken, rotation.S("PreviousFingerprint"));
        Assert.Equal(_vaultToken, VaultFingerprint());
    }

    [Theory]
    [InlineData("Get-WaToken -EnvFile $env | Update-WaToken -Vault WithMetadata")]
    [InlineData("Get-WaToken -Vault WithMetadata | Update-WaToken -EnvFile $env")]
    [InlineData("Get-WaToken -Vault WithMetadata | Update-WaToken -Name OTHER_TOKEN")]
    [InlineData("Get-WaToken -EnvFile $env | Test-WaToken -Vault WithMetadata")]
    [InlineData("Get-SecretInfo -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN | Test-WaToken -EnvFile $env")]
    [InlineData("Get-WaToken -EnvFile $env | Test-WaToken -Name OTHER_TOKEN")]
    public void A_piped_place_and_an_explicit_place_that_disagree_are_an_error_and_nothing_is_done(string command)
    {
        int tokens = _s.Emulator.State.GetTokens().Count;
        _s.Emulator.ResetRequestLog();

        var r = _s.Run(command);

        var error = Assert.Single(r.AllErrors());
        Assert.StartsWith("PlaceConflict,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(r.Output);
        Assert.Empty(_s.Emulator.Requests);
        Assert.Equal(tokens, _s.Emulator.State.GetTokens().Count);
        Assert.Equal(_envToken, EnvFingerprint("WHATSAPP_ACCESS_TOKEN"));
        Assert.Equal(_vaultToken, VaultFingerprint());
    }

    [Fact]
    public void A_piped_place_and_the_same_place_named_again_agree()
    {
        var rotation = _s.Run("Get-WaToken -EnvFile $env | Update-WaToken -EnvFile $env").AssertClean().One("WaTokenRotation");

        Assert.Equal(_envToken, rotation.S("PreviousFingerprint"));
    }

    [Fact]
    public void Get_WaToken_piped_to_Revoke_WaToken_revokes_that_token_and_no_other()
    {
        _s.Emulator.ResetRequestLog();

        var revocation = _s.Run("Get-WaToken -EnvFile $env | Revoke-WaToken -Confirm:$false -PassThru").AssertClean().One("WaTokenRevocation");

        Assert.Equal(_envToken, revocation.S("Fingerprint"));
        Assert.True(_s.Emulator.State.FindTokenByFingerprint(_envToken)!.Revoked);
        Assert.False(_s.Emulator.State.FindTokenByFingerprint(_vaultToken)!.Revoked);
        Assert.Single(_s.Emulator.Requests);
    }

    [Theory]
    [InlineData("Get-WaSystemUser -Name svc", "Test-WaToken")]
    [InlineData("Get-WaSystemUser -Name svc", "Update-WaToken")]
    [InlineData("Get-WaWhatsAppAccount", "Test-WaToken")]
    [InlineData("Get-WaWhatsAppAccount", "Update-WaToken")]
    [InlineData("'WHATSAPP_ACCESS_TOKEN'", "Test-WaToken")]
    [InlineData("'WHATSAPP_ACCESS_TOKEN'", "Update-WaToken")]
    [InlineData("'WHATSAPP_ACCESS_TOKEN'", "Get-WaToken")]
    [InlineData("Get-WaSystemUser -Name svc", "Get-WaToken")]
    [InlineData("Get-WaSystemUser -Name svc", "Save-WaToken -EnvFile $env")]
    [InlineData("'WHATSAPP_ACCESS_TOKEN'", "Save-WaToken")]
    public void An_object_that_is_neither_a_token_nor_a_stored_secret_is_refused_with_one_error_and_no_report(string producer, string consumer)
    {
        int tokens = _s.Emulator.State.GetTokens().Count;
        _s.Emulator.ResetRequestLog();
        int produced = _s.Run(producer).AssertClean().Output.Count;
        int producerRequests = _s.Emulator.Requests.Count;
        _s.Emulator.ResetRequestLog();

        var r = _s.Run(producer + " | " + consumer);

        // One error for each object piped, and nothing else: no report, no warning, no request beyond the producer's.
        Assert.Equal(produced, r.AllErrors().Count);
        Assert.All(r.AllErrors(), error =>
        {
            Assert.StartsWith("NotATokenInput,", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("Get-WaToken", error.ErrorDetails.RecommendedAction);
        });
        Assert.Empty(r.Output);
        Assert.Empty(r.Warnings);
        Assert.Equal(producerRequests, _s.Emulator.Requests.Count);
        Assert.Equal(tokens, _s.Emulator.State.GetTokens().Count);
        Assert.DoesNotContain(_s.Emulator.State.GetTokens(), t => t.Revoked);
    }

    /// <summary>
    /// A string does not bind to a command whose token parameter is mandatory: PowerShell itself refuses it, before the
    /// command runs, with one error (InputObjectMissingMandatory), and nothing is sent.
    /// </summary>
    [Theory]
    [InlineData("Revoke-WaToken -Confirm:$false")]
    public void A_string_piped_where_a_token_is_mandatory_is_refused_by_PowerShell_with_one_error_and_nothing_sent(string consumer)
    {
        _s.Emulator.ResetRequestLog();

        var r = _s.Run("'WHATSAPP_ACCESS_TOKEN' | " + consumer);

        var error = Assert.Single(r.AllErrors());
        Assert.IsAssignableFrom<System.Management.Automation.ParameterBindingException>(error.Exception);
        Assert.Empty(r.Output);
        Assert.Empty(_s.Emulator.Requests);
    }

    [Fact]
    public void A_piped_token_binds_to_Test_WaToken_with_an_explicit_Connection_too()
    {
        var report = _s.Run("Get-WaToken -EnvFile $env | Test-WaToken -Connection (Get-WaConnection)").AssertClean().One("WaTokenReport");

        Assert.Equal(_envToken, report.S("Fingerprint"));
        Assert.Equal(Env + ", variable WHATSAPP_ACCESS_TOKEN", report.S("StoredIn"));
    }

    [Fact]
    public void Get_SecretInfo_output_still_binds_as_a_stored_secret()
    {
        var report = _s.Run("Get-SecretInfo -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN | Test-WaToken").AssertClean().One("WaTokenReport");

        Assert.Equal(_vaultToken, report.S("Fingerprint"));
        Assert.Equal("Healthy", report.S("Status"));
    }
}
