using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Nothing that is not a WhatsApp token leaves the process, whichever command is given it: every command that can send
/// a secret to Meta (Test-, Update-, Revoke-WaToken) is run with a password and with the app secret, from a vault, a
/// .env and as a SecureString, and the emulator's request log (which records every request it is sent) must stay empty.
/// Run against the emulator and the SecretManagement stand-in.
/// </summary>
public sealed class NonTokenSecretTests : IAsyncLifetime
{
    private const string Password = "Sup3r-Secret_db#pass!2026";

    private readonly string _folder = Directory.CreateTempSubdirectory("wa-nontoken-").FullName;
    private EmulatorSession _s = null!;

    public async Task InitializeAsync()
    {
        _s = await EmulatorSession.StartAsync();
        string env = Path.Combine(_folder, ".env");
        File.WriteAllText(env, "DB_PASSWORD=" + Password + "\nMETA_APP_SECRET=" + _s.Seed.AppSecret + "\n");
        _s.Ps.Runspace.SessionStateProxy.SetVariable("env", env);
        _s.Ps.Runspace.SessionStateProxy.SetVariable("pw", EmulatorSession.Secure(Password));
        _s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + """
            Set-Secret -Vault WithMetadata -Name DB_PASSWORD -Secret $pw
            Set-Secret -Vault WithMetadata -Name META_APP_SECRET -Secret $secret
            """).AssertClean();
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("Get-WaToken -Vault WithMetadata -Name META_APP_SECRET | Revoke-WaToken -Confirm:$false", "Revoke")]
    [InlineData("Get-WaToken -Vault WithMetadata -Name DB_PASSWORD | Revoke-WaToken -Confirm:$false", "Revoke")]
    [InlineData("Get-WaToken -EnvFile $env -Variable DB_PASSWORD | Revoke-WaToken -Force", "Revoke")]
    [InlineData("$pw | Revoke-WaToken -Confirm:$false", "Revoke")]
    [InlineData("Revoke-WaToken -Token $secret -Confirm:$false", "Revoke")]
    [InlineData("Update-WaToken -Vault WithMetadata -Name DB_PASSWORD", "Update")]
    [InlineData("Update-WaToken -Vault WithMetadata -Name DB_PASSWORD -WhatIf", "Update")]
    [InlineData("Update-WaToken -Vault WithMetadata -Name META_APP_SECRET -SystemUserId 123", "Update")]
    [InlineData("Update-WaToken -EnvFile $env -Variable DB_PASSWORD", "Update")]
    [InlineData("Get-SecretInfo -Vault WithMetadata -Name DB_PASSWORD | Update-WaToken", "Update")]
    [InlineData("Get-WaToken -Vault WithMetadata -Name DB_PASSWORD | Update-WaToken", "Update")]
    public void A_command_that_would_send_a_secret_refuses_one_that_is_not_a_Meta_token_and_sends_nothing(string command, string verb)
    {
        _s.Emulator.ResetRequestLog();

        var r = _s.Run(command);

        var error = Assert.Single(r.AllErrors());
        Assert.Equal("NotAToken,Naova.WhatsAppToken.Commands." + verb + "WaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(r.Output);
        Assert.Empty(_s.Emulator.Requests);
        Assert.DoesNotContain(Password, r.AllText());
        Assert.DoesNotContain(_s.Seed.AppSecret, r.AllText());
    }

    [Theory]
    [InlineData("Get-WaToken -Vault WithMetadata -Name DB_PASSWORD | Test-WaToken")]
    [InlineData("Get-WaToken -Vault WithMetadata -Name META_APP_SECRET | Test-WaToken")]
    [InlineData("$pw | Test-WaToken")]
    [InlineData("Test-WaToken -Token $secret")]
    [InlineData("Test-WaToken -Vault WithMetadata -Name DB_PASSWORD")]
    [InlineData("Test-WaToken -EnvFile $env -Variable META_APP_SECRET")]
    [InlineData("Get-SecretInfo -Vault WithMetadata | Test-WaToken")]
    public void Test_WaToken_skips_a_secret_that_is_not_a_Meta_token_and_sends_nothing(string command)
    {
        _s.Emulator.ResetRequestLog();

        var r = _s.Run(command).AssertClean();

        Assert.NotEmpty(r.Of("WaTokenReport"));
        Assert.All(r.Of("WaTokenReport"), report => Assert.Equal("Skipped", report.S("Status")));
        Assert.Empty(_s.Emulator.Requests);
        Assert.DoesNotContain(Password, r.AllText());
    }
}
