using System.Globalization;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>The doc's troubleshooting list as rules: each kind of token gets the right status and problem.</summary>
public class TokenDiagnosticianTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static DebugTokenData Permanent() => new()
    {
        AppId = "1", Type = "SYSTEM_USER", IsValid = true, ExpiresAt = 0, DataAccessExpiresAt = 0, IssuedAt = Now.AddDays(-1).ToUnixTimeSeconds(),
        Scopes = [.. WhatsAppScopes.Required], UserId = "42",
        GranularScopes = [new() { Scope = "whatsapp_business_management" }, new() { Scope = "whatsapp_business_messaging" }],
    };

    private static TokenDiagnosis Diagnose(DebugTokenData data) => TokenDiagnostician.Diagnose(TokenFacts.From(data), new TokenDiagnosisOptions { Now = Now, ExpectedAppId = "1" });

    private static TokenProblemKind[] Kinds(TokenDiagnosis d) => d.Findings.Select(f => f.Kind).ToArray();

    [Fact]
    public void A_permanent_system_user_token_with_all_scopes_is_healthy_and_reaches_every_waba()
    {
        var d = Diagnose(Permanent());
        Assert.Equal(TokenHealth.Healthy, d.Health);
        Assert.Empty(d.Findings);
        Assert.True(d.ReachesAllWhatsAppAccounts);
    }

    [Fact]
    public void Listed_target_ids_are_the_wabas_reached()
    {
        var data = Permanent();
        data.GranularScopes = [new() { Scope = "whatsapp_business_management", TargetIds = ["9", "7"] }, new() { Scope = "whatsapp_business_messaging", TargetIds = ["7"] }];
        var d = Diagnose(data);
        Assert.Equal(["7", "9"], d.WhatsAppAccountIds);
        Assert.False(d.ReachesAllWhatsAppAccounts);
    }

    [Fact]
    public void An_empty_target_list_is_a_warning_that_the_token_reaches_no_waba()
    {
        var data = Permanent();
        data.GranularScopes = [new() { Scope = "whatsapp_business_management", TargetIds = [] }];
        var d = Diagnose(data);
        Assert.Equal(TokenHealth.Warning, d.Health);
        Assert.Equal([TokenProblemKind.NoWhatsAppAccount], Kinds(d));
    }

    [Fact]
    public void A_missing_scope_fails_and_is_named()
    {
        var data = Permanent();
        data.Scopes = ["business_management", "whatsapp_business_management"];
        var d = Diagnose(data);
        Assert.Equal(TokenHealth.Failed, d.Health);
        Assert.Equal(["whatsapp_business_messaging"], d.MissingScopes);
        Assert.Equal("whatsapp_business_messaging", Assert.Single(d.Findings).Details[0]);
    }

    [Fact]
    public void A_temporary_user_token_fails_as_temporary()
    {
        var data = Permanent();
        data.Type = "USER";
        data.ExpiresAt = Now.AddHours(1).ToUnixTimeSeconds();
        var d = Diagnose(data);
        Assert.Equal(TokenHealth.Failed, d.Health);
        Assert.Contains(TokenProblemKind.Temporary, Kinds(d));
    }

    [Fact]
    public void A_persons_never_expiring_token_is_a_warning_not_a_failure()
    {
        var data = Permanent();
        data.Type = "USER";
        var d = Diagnose(data);
        Assert.Equal(TokenHealth.Warning, d.Health);
        Assert.Equal([TokenProblemKind.NotSystemUser], Kinds(d));
    }

    [Theory]
    [InlineData(40, TokenHealth.Healthy, TokenProblemKind.NotPermanent)]
    [InlineData(15, TokenHealth.Warning, TokenProblemKind.ExpiresSoon)]
    [InlineData(3, TokenHealth.Warning, TokenProblemKind.ExpiresSoon)]
    public void A_60_day_token_is_a_note_then_a_warning_as_its_end_nears(int daysLeft, TokenHealth health, TokenProblemKind kind)
    {
        var data = Permanent();
        data.ExpiresAt = Now.AddDays(daysLeft).ToUnixTimeSeconds();
        var d = Diagnose(data);
        Assert.Equal(health, d.Health);
        var finding = Assert.Single(d.Findings);
        Assert.Equal(kind, finding.Kind);
        Assert.Equal(daysLeft.ToString(CultureInfo.InvariantCulture), finding.Details[1]);
    }

    [Fact]
    public void An_expired_token_fails_as_expired_whether_Meta_says_463_or_the_date_has_passed()
    {
        var byCode = Permanent();
        byCode.IsValid = false;
        byCode.Error = new DebugTokenError { Code = 190, Subcode = 463, Message = "Session has expired" };
        Assert.Equal([TokenProblemKind.Expired], Kinds(Diagnose(byCode)));

        var byDate = Permanent();
        byDate.Type = "USER";
        byDate.IsValid = false;
        byDate.ExpiresAt = Now.AddDays(-1).ToUnixTimeSeconds();
        Assert.Equal([TokenProblemKind.Expired], Kinds(Diagnose(byDate)));
        Assert.Equal(TokenHealth.Failed, Diagnose(byDate).Health);
    }

    [Fact]
    public void A_lapsed_system_user_token_that_had_an_expiry_is_a_lapsed_60_day_token()
    {
        var lapsed = Permanent();
        lapsed.IsValid = false;
        lapsed.ExpiresAt = Now.AddDays(-1).ToUnixTimeSeconds();
        var finding = Assert.Single(Diagnose(lapsed).Findings);
        Assert.Equal(TokenProblemKind.ExpiredSixtyDay, finding.Kind);
        Assert.Equal(TokenHealth.Failed, finding.Severity);
    }

    [Fact]
    public void An_invalidated_token_fails_as_invalid_and_its_message_is_redacted()
    {
        var data = Permanent();
        data.IsValid = false;
        data.Error = new DebugTokenError { Code = 190, Subcode = 467, Message = "The session is invalid for EAAB1234567890abcdefghijkl" };
        var finding = Assert.Single(Diagnose(data).Findings);
        Assert.Equal(TokenProblemKind.Invalid, finding.Kind);
        Assert.DoesNotContain("EAAB1234567890", finding.Details[0]);
    }

    /// <summary>
    /// Issue 24, case 18: debug_token's answer for text Meta can not read as a token (graph-api.md section 5: a plain 190,
    /// no subcode) names no app, type or user: that is not a token that was revoked, it is none Meta knows.
    /// </summary>
    [Fact]
    public void Text_Meta_does_not_know_as_a_token_is_unrecognized_not_invalid()
    {
        var data = new DebugTokenData
        {
            IsValid = false, Scopes = [],
            Error = new DebugTokenError { Code = 190, Message = "Invalid OAuth access token - Cannot parse access token" },
        };
        var finding = Assert.Single(Diagnose(data).Findings);
        Assert.Equal(TokenProblemKind.Unrecognized, finding.Kind);
        Assert.Equal(TokenHealth.Failed, finding.Severity);
    }

    [Fact]
    public void A_token_of_another_app_is_a_warning()
    {
        var data = Permanent();
        data.AppId = "2";
        Assert.Equal([TokenProblemKind.OtherApp], Kinds(Diagnose(data)));
    }

    [Fact]
    public void Findings_come_worst_first()
    {
        var data = Permanent();
        data.Type = "USER";
        data.AppId = "2";
        data.Scopes = ["business_management"];
        var severities = Diagnose(data).Findings.Select(f => f.Severity).ToArray();
        Assert.Equal(severities.OrderByDescending(x => x), severities);
        Assert.Equal(TokenHealth.Failed, severities[0]);
    }
}
