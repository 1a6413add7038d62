using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>docs/graph-api.md section 5, row by row.</summary>
public class GraphErrorClassifierTests
{
    [Theory]
    [InlineData(1, null, GraphErrorKind.Transient)]
    [InlineData(2, null, GraphErrorKind.Transient)]
    [InlineData(4, null, GraphErrorKind.RateLimited)]
    [InlineData(17, 2446079, GraphErrorKind.RateLimited)]
    [InlineData(32, null, GraphErrorKind.RateLimited)]
    [InlineData(341, null, GraphErrorKind.RateLimited)]
    [InlineData(613, 1996, GraphErrorKind.RateLimited)]
    [InlineData(80008, null, GraphErrorKind.RateLimited)]
    [InlineData(80014, null, GraphErrorKind.RateLimited)]
    [InlineData(130429, null, GraphErrorKind.RateLimited)]
    [InlineData(131000, null, GraphErrorKind.Transient)]
    [InlineData(131016, null, GraphErrorKind.Transient)]
    [InlineData(131056, null, GraphErrorKind.Transient)]
    [InlineData(10, null, GraphErrorKind.PermissionMissing)]
    [InlineData(200, null, GraphErrorKind.PermissionMissing)]
    [InlineData(299, null, GraphErrorKind.PermissionMissing)]
    [InlineData(100, 33, GraphErrorKind.ObjectNotFound)]
    [InlineData(100, null, GraphErrorKind.InvalidParameter)]
    [InlineData(102, null, GraphErrorKind.Session)]
    [InlineData(190, 463, GraphErrorKind.TokenExpired)]
    [InlineData(190, 460, GraphErrorKind.TokenInvalid)]
    [InlineData(190, 467, GraphErrorKind.TokenInvalid)]
    [InlineData(190, null, GraphErrorKind.TokenInvalid)]
    [InlineData(131005, null, GraphErrorKind.WhatsAppAccessDenied)]
    [InlineData(131031, null, GraphErrorKind.WhatsAppAccountLocked)]
    [InlineData(133010, null, GraphErrorKind.PhoneNumberNotRegistered)]
    [InlineData(368, null, GraphErrorKind.PolicyBlocked)]
    public void Codes_map_to_kinds(int code, int? subcode, GraphErrorKind kind) =>
        Assert.Equal(kind, GraphErrorClassifier.Classify(400, code, subcode, "message", false));

    [Fact]
    public void Is_transient_makes_an_unknown_code_retryable_and_5xx_without_a_code_is_transient()
    {
        Assert.Equal(GraphErrorKind.Transient, GraphErrorClassifier.Classify(400, 99999, null, "x", true));
        Assert.Equal(GraphErrorKind.Transient, GraphErrorClassifier.Classify(503, null, null, null, false));
        Assert.Equal(GraphErrorKind.RateLimited, GraphErrorClassifier.Classify(429, null, null, null, false));
    }

    [Theory]
    [InlineData("API calls from the server require an appsecret_proof argument", GraphErrorKind.AppSecretProofMissing)]
    [InlineData("Invalid appsecret_proof provided in the API argument", GraphErrorKind.AppSecretProofInvalid)]
    [InlineData("(#100) Business 1 requires expiring system user access tokens: set set_token_expires_in_60_days=true", GraphErrorKind.MustUseExpiringTokens)]
    [InlineData("(#100) Invalid business_app: app 1 is not installed for system user 2.", GraphErrorKind.AppNotInstalled)]
    [InlineData("(#100) Business 1 already has 10 system users, the most it can have (10) System user limit reached", GraphErrorKind.SystemUserLimitReached)]
    public void Code_100_is_told_apart_by_Metas_words(string message, GraphErrorKind kind) =>
        Assert.Equal(kind, GraphErrorClassifier.Classify(400, 100, null, message, false));

    [Fact]
    public void Retry_is_only_for_what_can_succeed_when_repeated()
    {
        Assert.True(new GraphApiException(GraphErrorKind.RateLimited, "x").IsRetryable);
        Assert.True(new GraphApiException(GraphErrorKind.Timeout, "x").IsRetryable);
        Assert.False(new GraphApiException(GraphErrorKind.TokenExpired, "x").IsRetryable);
        Assert.False(new GraphApiException(GraphErrorKind.PermissionMissing, "x").IsRetryable);
    }
}
