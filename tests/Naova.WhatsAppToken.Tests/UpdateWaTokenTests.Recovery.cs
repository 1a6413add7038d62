using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// A token request whose answer is lost (or is a 5xx): the rotation adopts only the token its own request made, never
/// another secret's token of the same system user, and a request Meta may have handled is never sent twice.
/// </summary>
public partial class UpdateWaTokenTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lost_token_answer_never_adopts_another_secrets_token_of_the_same_system_user(bool afterHandling)
    {
        await using var f = await Fixture.StartAsync();
        string other = f.Run("$o = $su | New-WaToken; $null = $o | Save-WaToken -Vault WithMetadata -Name APP_TWO; $o.Fingerprint").AssertClean().Output[0].ToString();
        f.Emulator.Clock.Advance(TimeSpan.FromMinutes(5)); // APP_TWO's token was made a while ago
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = afterHandling }, 1, "/access_tokens");

        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");

        Assert.Equal("Completed", rotation.S("Step"));
        Assert.NotEqual(other, f.Stored);
        Assert.NotEqual(f.First, f.Stored);
        Assert.Equal(other, f.Vault.FingerprintOf("APP_TWO"));
        Assert.True(f.Works(other), "APP_TWO's token was revoked");
        Assert.True(f.Works(f.Stored));
        Assert.Equal(3, f.TokensOfUser); // the first, APP_TWO's, and one new token: none made twice
    }

    [Fact]
    public async Task A_server_error_after_Meta_made_the_token_recovers_that_token_and_makes_no_second_one()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 1, isTransient: true) with { AfterHandling = true }, 1, "/access_tokens");

        var r = f.Run(Update).AssertClean();

        Assert.Equal("Completed", r.One("WaTokenRotation").S("Step"));
        Assert.Equal(2, f.TokensOfUser);
        Assert.True(f.Works(f.Stored));
        Assert.Contains(r.Warnings, w => w.Message.Contains(f.Stored!));
    
    }

    [Fact]
    public async Task A_token_made_by_a_run_that_died_before_storing_it_is_stored_by_the_next_run_from_the_journal()
    {
        await using var f = await Fixture.StartAsync();
        // Meta makes the token, its answer is lost, and so is the fetch: this run ends knowing only what it asked.
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true }, 1, "/access_tokens");
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection(), 1, "system_user_access_tokens");
        var died = f.Run(Update);
        Assert.NotEmpty(died.Errors);
        Assert.Equal(2, f.TokensOfUser);
        Assert.Equal(f.First, f.Stored);

        // The next run (a new process: nothing in $WaUnsavedToken) reads the journal and stores that token.
        var r = f.Run("$global:WaUnsavedToken = $null\n" + Update).AssertClean();

        Assert.Equal("Completed", r.One("WaTokenRotation").S("Step"));
        Assert.Equal(2, f.TokensOfUser); // the one the dead run made, not a third
        Assert.Contains(r.Warnings, w => w.Message.Contains(f.Stored!));
        Assert.True(f.Works(f.Stored));
        Assert.False(f.Works(f.First));
    }

    [Fact]
    public async Task A_journal_with_no_token_named_does_not_adopt_the_token_another_secret_of_the_vault_holds()
    {
        await using var f = await Fixture.StartAsync();
        string first = f.Run("$o = $su | New-WaToken; $null = $o | Save-WaToken -Vault WithMetadata -Name APP_TWO; $o.Fingerprint").AssertClean().Output[0].ToString();
        // This secret's run dies knowing only what it asked (Meta made a token; its answer and the fetch are lost)...
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true }, 1, "/access_tokens");
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection(), 1, "system_user_access_tokens");
        Assert.NotEmpty(f.Run(Update).Errors);
        // ...and APP_TWO, the same system user, is rotated before the re-run: its new token is Meta's latest.
        Assert.Equal("Completed", f.Run("$global:WaUnsavedToken = $null\nUpdate-WaToken -Vault WithMetadata -Name APP_TWO").AssertClean().One("WaTokenRotation").S("Step"));
        string appTwo = f.Vault.FingerprintOf("APP_TWO")!;
        Assert.NotEqual(first, appTwo);

        var r = f.Run("$global:WaUnsavedToken = $null\n" + Update).AssertClean();

        Assert.Equal("Completed", r.One("WaTokenRotation").S("Step"));
        Assert.NotEqual(appTwo, f.Stored);
        Assert.Equal(appTwo, f.Vault.FingerprintOf("APP_TWO"));
        Assert.True(f.Works(appTwo), "APP_TWO's token was revoked");
        Assert.True(f.Works(f.Stored));
        Assert.Contains(r.Warnings, w => w.Message.Contains(appTwo, StringComparison.Ordinal) && w.Message.Contains("APP_TWO", StringComparison.Ordinal));
    }
}

/// <summary>A renewal (fb_exchange_token) whose answer is lost: sent once, and the token Meta made is the one stored.</summary>
public partial class UpdateWaTokenTests
{
    [Theory]
    [InlineData("server error")]
    [InlineData("dropped connection")]
    public async Task A_renewal_whose_answer_is_lost_after_Meta_made_the_token_is_sent_once_and_that_token_is_stored(string loss)
    {
        await using var f = await Fixture.StartAsync("SixtyDays");
        f.Emulator.Clock.Advance(TimeSpan.FromDays(50)); // due: fewer than 15 days left
        var fault = loss == "server error" ? FaultSpec.GraphError(500, 2, isTransient: true) : FaultSpec.DropConnection();
        f.Emulator.Faults.Enqueue(fault with { AfterHandling = true }, 1, "/oauth/access_token");
        f.Emulator.ResetRequestLog();

        // Retries allowed (the fixture's connection has none): a 5xx or a lost answer would otherwise be sent again.
        var r = f.Run(EmulatorSession.Connect.TrimEnd() + " -MaxRetries 3 -RetryBaseDelayMilliseconds 1\n" + Update);
        // Meta handled it: a renewal must not be sent again (it would make a second token nobody stores).
        Assert.Single(f.Emulator.Requests, q => q.Path.EndsWith("/oauth/access_token", StringComparison.Ordinal));
        Assert.Equal(2, f.TokensOfUser);
        // This run could not know the token, so it stored nothing and revoked nothing...
        Assert.NotEmpty(r.Errors);
        Assert.Equal(f.First, f.Stored);
        Assert.True(f.Works(f.First));
        // ...and the next one (a new process: nothing in $WaUnsavedToken) stores it from the journal.
        r = f.Run("$global:WaUnsavedToken = $null\n" + Update).AssertClean();

        Assert.Equal("Completed", r.One("WaTokenRotation").S("Step"));
        Assert.Equal(2, f.TokensOfUser); // the one the lost answer carried, not a third
        Assert.True(f.Works(f.Stored));
        Assert.NotEqual(f.First, f.Stored);
        Assert.False(f.Works(f.First));
        Assert.Contains(r.Warnings, w => w.Message.Contains(f.Stored!));
    }
}
