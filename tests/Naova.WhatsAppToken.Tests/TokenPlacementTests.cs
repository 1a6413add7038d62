using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// On the wire, as the emulator recorded it, for every cmdlet that calls Graph: with an app that requires
/// appsecret_proof (as Meta can), every call still succeeds, every call made with a user or system-user token
/// carries the proof, and no query string carries a token or a secret. The emulator records parameter names only.
/// </summary>
public class TokenPlacementTests
{
    private static readonly string[] SecretNames = { "access_token", "input_token", "client_secret", "fb_exchange_token", "revoke_token" };

    private const string EveryGraphCmdlet = """
        Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri
        $t = New-WaSystemUser -Name placement -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
        $null = Get-WaSystemUser
        $null = Get-WaWhatsAppAccount
        $null = Get-WaApp
        $null = Test-WaToken -Token $t.Token
        $null = Revoke-WaToken -Token $t.Token -Confirm:$false
        $null = Revoke-WaToken -All -SystemUserId $t.SystemUserId -Confirm:$false
        """;

    [Fact]
    public async Task Every_call_with_a_user_token_carries_its_proof_and_no_query_carries_a_token()
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { RequireAppSecretProof = true });

        s.Run(EveryGraphCmdlet).AssertClean();

        var requests = s.Emulator.Requests;
        Assert.True(requests.Count >= 12, $"{requests.Count} requests");
        Assert.All(requests, r => Assert.InRange(r.Status, 200, 299));
        foreach (var r in requests)
        {
            Assert.False(r.TokenIn.HasFlag(TokenLocation.Query), $"{r.Method} {r.Path} carries its token in the query");
            foreach (string name in SecretNames)
                Assert.DoesNotContain(name, r.QueryKeys);
            bool appCredentials = r.Path.EndsWith("/debug_token", StringComparison.Ordinal) || r.Path.Contains("/oauth/", StringComparison.Ordinal) ||
                                  r.Path.TrimEnd('/').EndsWith("v26.0", StringComparison.Ordinal); // batch of debug_token, made with the app token
            if (!appCredentials)
                Assert.True(r.QueryKeys.Contains("appsecret_proof") || r.BodyKeys.Contains("appsecret_proof"), $"{r.Method} {r.Path} has no appsecret_proof");
        }
        Assert.Contains(requests, r => r.Path.Contains("/oauth/revoke", StringComparison.Ordinal) && r.BodyKeys.Contains("revoke_token"));
    }

    [Fact]
    public async Task The_debug_token_fallback_sends_the_token_under_test_in_a_body_not_the_url()
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { DebugTokenInBatch = false });
        s.Run("""
            Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri
            $t = New-WaSystemUser -Name fallback -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
            """).AssertClean();
        s.Emulator.ResetRequestLog();

        var report = s.Run("Test-WaToken -Token $t.Token").AssertClean().One("WaTokenReport");

        Assert.Equal("Healthy", report.S("Status"));
        var single = Assert.Single(s.Emulator.Requests, r => r.Path.EndsWith("/debug_token", StringComparison.Ordinal));
        // Graph does not read a GET's body: the read goes as POST with method=GET, which Graph serves as the GET.
        Assert.Equal(("POST", "GET"), (single.Method, single.ServedAs));
        Assert.Contains("input_token", single.BodyKeys);
        Assert.DoesNotContain("input_token", single.QueryKeys);
    }
}
