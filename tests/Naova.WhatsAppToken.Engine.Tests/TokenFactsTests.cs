using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// debug_token's wire answer becomes typed facts in one mapping (TokenFacts.From): every field, Unix seconds as dates
/// where 0 means never, Meta's type word as an enum, granular scopes with "every asset" said outright.
/// </summary>
public class TokenFactsTests
{
    [Fact]
    public void Every_field_of_a_debug_token_answer_becomes_a_typed_fact()
    {
        var issued = new DateTimeOffset(2026, 11, 1, 8, 30, 0, TimeSpan.Zero);
        var facts = TokenFacts.From(new DebugTokenData
        {
            AppId = "100", Application = "Naova", Type = "SYSTEM_USER", IsValid = true, UserId = "42",
            IssuedAt = issued.ToUnixTimeSeconds(), ExpiresAt = issued.AddDays(60).ToUnixTimeSeconds(), DataAccessExpiresAt = issued.AddDays(90).ToUnixTimeSeconds(),
            Scopes = ["business_management", "whatsapp_business_messaging"],
            GranularScopes = [new() { Scope = "whatsapp_business_messaging", TargetIds = ["7", "8"] }, new() { Scope = "business_management" }],
        });

        Assert.True(facts.IsValid);
        Assert.Equal(TokenType.SystemUser, facts.Type);
        Assert.Equal("SYSTEM_USER", facts.TypeName);
        Assert.Equal(("100", "Naova", "42"), (facts.AppId, facts.Application, facts.UserId));
        Assert.Equal(issued, facts.IssuedAt);
        Assert.Equal(issued.AddDays(60), facts.ExpiresAt);
        Assert.Equal(issued.AddDays(90), facts.DataAccessExpiresAt);
        Assert.Equal(TimeSpan.Zero, facts.IssuedAt!.Value.Offset);
        Assert.Equal(new[] { "business_management", "whatsapp_business_messaging" }, facts.Scopes);
        Assert.Equal(2, facts.GranularScopes.Count);
        Assert.Equal(new[] { "7", "8" }, facts.GranularScopes[0].TargetIds);
        Assert.False(facts.GranularScopes[0].CoversEveryAsset);
        Assert.True(facts.GranularScopes[1].CoversEveryAsset);
        Assert.Empty(facts.GranularScopes[1].TargetIds);
        Assert.Null(facts.ErrorCode);
    }

    [Fact]
    public void Zero_and_absent_times_are_never_and_absent_lists_are_empty()
    {
        var facts = TokenFacts.From(new DebugTokenData { IsValid = true, ExpiresAt = 0, DataAccessExpiresAt = null, IssuedAt = null });

        Assert.Null(facts.ExpiresAt);
        Assert.Null(facts.DataAccessExpiresAt);
        Assert.Null(facts.IssuedAt);
        Assert.Empty(facts.Scopes);
        Assert.Empty(facts.GranularScopes);
        Assert.Equal(TokenType.Unknown, facts.Type);
        Assert.Null(facts.TypeName);
    }

    [Fact]
    public void An_invalid_token_keeps_Meta_s_error()
    {
        var facts = TokenFacts.From(new DebugTokenData { IsValid = false, Error = new DebugTokenError { Code = 190, Subcode = 463, Message = "Session has expired" } });

        Assert.False(facts.IsValid);
        Assert.Equal((190, 463, "Session has expired"), (facts.ErrorCode!.Value, facts.ErrorSubcode!.Value, facts.ErrorMessage));
    }

    /// <summary>Each of Meta's type words (docs/graph-api.md, debug_token) to the member of its name; every member but Unknown has one.</summary>
    [Theory]
    [InlineData("SYSTEM_USER", TokenType.SystemUser)]
    [InlineData("USER", TokenType.User)]
    [InlineData("PAGE", TokenType.Page)]
    [InlineData("APP", TokenType.App)]
    [InlineData("system_user", TokenType.SystemUser)]
    [InlineData("BUSINESS_INTEGRATION", TokenType.Unknown)]
    [InlineData(null, TokenType.Unknown)]
    public void Meta_s_type_word_maps_to_the_type_of_its_name(string? word, TokenType type) => Assert.Equal(type, TokenFacts.TypeOf(word));

    [Fact]
    public void Every_token_type_but_Unknown_is_reached_from_a_word_of_Meta_s()
    {
        string[] words = ["SYSTEM_USER", "USER", "PAGE", "APP"];
        var reached = words.Select(TokenFacts.TypeOf).ToHashSet();

        Assert.Equal(Enum.GetValues<TokenType>().Where(t => t != TokenType.Unknown).OrderBy(t => t), reached.OrderBy(t => t));
    }
}
