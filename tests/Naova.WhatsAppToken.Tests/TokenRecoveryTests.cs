using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Meta gives a token in one answer only. When the request reached Meta but its answer was lost, New-WaToken
/// must neither lose that token nor mint a second one: it fetches it (fetch_only) and says so.
/// </summary>
public class TokenRecoveryTests
{
    private const string Prepare = EmulatorSession.Connect + "$user = New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba\n";

    [Theory]
    [InlineData("drop")]
    [InlineData("truncated")]
    public async Task A_token_whose_answer_was_lost_is_fetched_not_made_twice(string fault)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Prepare).AssertClean();
        var spec = fault == "drop" ? FaultSpec.DropConnection() : FaultSpec.TruncatedJson();
        s.Emulator.Faults.Enqueue(spec with { AfterHandling = true }, 1, "/access_tokens");

        var r = s.Run("$user | New-WaToken").AssertClean();

        var minted = Assert.Single(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
        Assert.Equal(minted.Fingerprint, r.One("WaToken").S("Fingerprint"));
        Assert.Contains(r.Warnings, w => w.Message.Contains(minted.Fingerprint) && w.Message.Contains("Test-WaToken"));
        Assert.Single(s.Emulator.Requests, q => q.Method == "POST" && q.Path.EndsWith("/access_tokens", StringComparison.Ordinal) && !q.Path.Contains("system_user_access_tokens"));
    }

    [Fact]
    public async Task When_Meta_answered_with_an_error_nothing_is_fetched_and_the_error_stands()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Prepare).AssertClean();
        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(400, 100, message: "(#100) Invalid parameter"), 1, "/access_tokens");

        var r = s.Run("$user | New-WaToken");

        Assert.StartsWith("InvalidParameter,", r.SingleError().FullyQualifiedErrorId);
        Assert.DoesNotContain(s.Emulator.Requests, q => q.Path.Contains("system_user_access_tokens"));
        Assert.DoesNotContain(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_server_error_is_never_retried_into_a_second_token(bool afterHandling)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect.TrimEnd() + " -RetryBaseDelayMilliseconds 10\n$user = New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba\n").AssertClean();
        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 1, isTransient: true) with { AfterHandling = afterHandling }, 1, "/access_tokens");

        var r = s.Run("$user | New-WaToken").AssertClean();

        var minted = Assert.Single(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
        Assert.Equal(minted.Fingerprint, r.One("WaToken").S("Fingerprint"));
        // Made after the 5xx: fetched and said so. Not made: Meta holds nothing newer, so it was asked once more.
        if (afterHandling) Assert.Contains(r.Warnings, w => w.Message.Contains(minted.Fingerprint));
        else Assert.Empty(r.Warnings);
    }
}
