using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>Revoke-WaToken against the emulator's state: one token through /oauth/revoke, or all of a system user's.</summary>
public class RevokeWaTokenTests
{
    private const string TwoTokens = EmulatorSession.Connect + """
        $su = New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba
        $a = $su | New-WaToken
        $b = $su | New-WaToken
        """;

    [Fact]
    public async Task One_token_from_a_WaToken_is_revoked_through_oauth_revoke_with_the_secret_in_the_body_and_the_other_keeps_working()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(TwoTokens).AssertClean();
        var (a, b) = Fingerprints(s);
        s.Emulator.ResetRequestLog();

        var r = s.Run("$a | Revoke-WaToken -Confirm:$false -PassThru").AssertClean();

        var revocation = r.One("WaTokenRevocation");
        Assert.Equal(a, revocation.S("Fingerprint"));
        Assert.Equal(false, revocation.P("AllTokens"));
        Assert.True(s.Emulator.State.FindTokenByFingerprint(a)!.Revoked);
        Assert.False(s.Emulator.State.FindTokenByFingerprint(b)!.Revoked);
        var request = Assert.Single(s.Emulator.Requests);
        Assert.Equal("POST", request.Method);
        Assert.EndsWith("/oauth/revoke", request.Path);
        Assert.Empty(request.QueryKeys);
        Assert.Contains("client_secret", request.BodyKeys);
        Assert.Contains("revoke_token", request.BodyKeys);
        Assert.Equal(TokenLocation.Header, request.TokenIn);
        Assert.DoesNotContain("EAA", r.AllText());

        Assert.Equal("Failed", s.Run("$a | Test-WaToken").AssertClean().One("WaTokenReport").S("Status"));
        Assert.Equal("Healthy", s.Run("$b | Test-WaToken").AssertClean().One("WaTokenReport").S("Status"));
    }

    [Fact]
    public async Task All_revokes_every_token_of_that_system_user_and_no_other()
    {
        await using var s = await EmulatorSession.StartAsync();
        var userId = s.Run(TwoTokens + "\n$other = New-WaSystemUser -Name svc2 | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken\n$su.SystemUserId")
            .AssertClean().Output.Last().ToString();
        s.Emulator.ResetRequestLog();

        var revocation = s.Run("Revoke-WaToken -All -SystemUserId $su.SystemUserId -Confirm:$false -PassThru").AssertClean().One("WaTokenRevocation");

        Assert.Equal(true, revocation.P("AllTokens"));
        Assert.Equal(userId, revocation.S("SystemUserId"));
        Assert.All(s.Emulator.State.GetTokensOf(userId), t => Assert.True(t.Revoked));
        Assert.Equal(2, s.Emulator.State.GetTokensOf(userId).Count);
        var other = Assert.Single(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER" && t.UserId != userId);
        Assert.False(other.Revoked);
        var request = Assert.Single(s.Emulator.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.EndsWith(userId + "/access_tokens", request.Path);
    }

    [Theory]
    [InlineData("Revoke-WaToken -All -SystemUserId $su.SystemUserId")]
    [InlineData("$a | Revoke-WaToken")]
    public async Task A_host_that_can_not_ask_gets_ConfirmationNeeded_and_nothing_is_revoked(string command)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(TwoTokens).AssertClean();
        s.Emulator.ResetRequestLog();

        var r = s.Run(command);

        // A cmdlet's terminating error ends its statement; a script would go on, so it lands in the error stream here.
        var error = Assert.Single(r.Errors);
        Assert.Equal("ConfirmationNeeded,Naova.WhatsAppToken.Commands.RevokeWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Confirm:$false", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(s.Emulator.State.GetTokens(), t => t.Revoked);
        Assert.Empty(s.Emulator.Requests);
    }

    [Fact]
    public async Task WhatIf_revokes_nothing_and_calls_nothing()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(TwoTokens).AssertClean();
        s.Emulator.ResetRequestLog();

        s.Run("$a | Revoke-WaToken -WhatIf; Revoke-WaToken -All -SystemUserId $su.SystemUserId -WhatIf").AssertClean();

        Assert.DoesNotContain(s.Emulator.State.GetTokens(), t => t.Revoked);
        Assert.Empty(s.Emulator.Requests);
    }

    /// <summary>
    /// -WhatIf:$false is no -WhatIf, even where $WhatIfPreference is on (a script run with -WhatIf, a runbook's
    /// -WhatIf:$DryRun): -Force then answers the confirmation, in a host that can not ask. With the preference alone,
    /// -Force revokes nothing.
    /// </summary>
    [Theory]
    [InlineData("$a | Revoke-WaToken -Force -WhatIf:$false", 1)]
    [InlineData("$a | Revoke-WaToken -Force", 0)]
    public async Task Force_with_WhatIf_false_revokes_where_WhatIfPreference_is_on(string command, int revoked)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(TwoTokens).AssertClean();

        s.Run("$WhatIfPreference = $true; " + command + "; $WhatIfPreference = $false").AssertClean();

        Assert.Equal(revoked, s.Emulator.State.GetTokens().Count(t => t.Revoked));
    }

    /// <summary>
    /// A token piped from Get-WaToken carries where it is stored: the confirmation names that place, so the person asked
    /// knows which application's token it is, and -PassThru says it. The next piped token, stored nowhere, is not said to
    /// be there (PowerShell resets what the pipeline bound between records).
    /// </summary>
    [Fact]
    public async Task A_token_piped_from_Get_WaToken_is_named_with_where_it_is_stored_in_the_question_and_the_output()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var host = new TestHost { Answer = "Yes" };
        using var ps = new PsSession(host, importModule: true);
        string folder = Directory.CreateTempSubdirectory("naova-revoke-").FullName;
        try
        {
            string path = Path.Combine(folder, ".env");
            var vars = new
            {
                biz = emulator.Seed.BusinessId, app = emulator.Seed.AppId, waba = emulator.Seed.WabaId, uri = emulator.BaseUri,
                admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken), secret = EmulatorSession.Secure(emulator.Seed.AppSecret), path,
            };
            ps.Run(TwoTokens + "\n$null = $a | Save-WaToken -EnvFile $path", vars).AssertClean();

            string stored = ps.Run("(Get-WaToken -EnvFile $path).Fingerprint").AssertClean().Output.Single().ToString();
            var r = ps.Run("Get-WaToken -EnvFile $path | Revoke-WaToken -PassThru").AssertClean();

            string place = path + ", variable WHATSAPP_ACCESS_TOKEN";
            Assert.Contains("token " + stored + ", stored in " + place, Assert.Single(host.Questions));
            Assert.Equal(place, r.One("WaTokenRevocation").S("StoredIn"));

            var both = ps.Run("$c = $su | New-WaToken; (Get-WaToken -EnvFile $path), $c | Revoke-WaToken -Force -PassThru").AssertClean();
            Assert.Equal(2, both.Output.Count);
            Assert.Equal(place, both.Output[0].Properties["StoredIn"].Value);
            Assert.Null(both.Output[1].Properties["StoredIn"].Value);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("No", false)]
    [InlineData("Yes", true)]
    public async Task An_interactive_host_is_asked_once_and_its_answer_decides(string answer, bool revoked)
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var host = new TestHost { Answer = answer };
        using var ps = new PsSession(host, importModule: true);
        var vars = new
        {
            biz = emulator.Seed.BusinessId, app = emulator.Seed.AppId, waba = emulator.Seed.WabaId, uri = emulator.BaseUri,
            admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken), secret = EmulatorSession.Secure(emulator.Seed.AppSecret),
        };
        ps.Run(TwoTokens, vars).AssertClean();

        ps.Run("$a | Revoke-WaToken").AssertClean();

        Assert.Equal(1, host.Prompts);
        var tokens = emulator.State.GetTokens().Where(t => t.Type == "SYSTEM_USER").ToArray();
        Assert.Equal(revoked ? 1 : 0, tokens.Count(t => t.Revoked));
    }

    [Fact]
    public async Task Without_the_app_secret_one_token_can_not_be_revoked_and_the_error_says_how_to_connect()
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { RequireAppSecretProof = false });
        s.Run(TwoTokens).AssertClean();
        s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -GraphUri $uri").AssertClean();
        s.Emulator.ResetRequestLog();

        // Not piped: $a carries the connection it was made with, which has the secret.
        var r = s.Run("Revoke-WaToken -Token $a.Token -Confirm:$false");

        var error = Assert.Single(r.Errors);
        Assert.Equal("AppSecretRequired,Naova.WhatsAppToken.Commands.RevokeWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-AppSecret", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(s.Emulator.State.GetTokens(), t => t.Revoked);
        Assert.Empty(s.Emulator.Requests);
    }

    private static (string A, string B) Fingerprints(EmulatorSession s)
    {
        var r = s.Run("$a.Fingerprint; $b.Fingerprint").AssertClean();
        return (r.Output[0].ToString(), r.Output[1].ToString());
    }
}
