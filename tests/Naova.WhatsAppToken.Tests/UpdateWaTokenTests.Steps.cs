using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

public partial class UpdateWaTokenTests
{
    [Fact]
    public async Task A_mistyped_WhatsApp_account_is_refused_before_anything_is_kept_made_or_revoked()
    {
        await using var f = await Fixture.StartAsync();

        var r = f.Run(Update + " -WhatsAppBusinessAccountId 999999999999999 -Confirm:$false");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("WhatsAppAccountNotReadable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("999999999999999", error.ErrorDetails.Message);
        Assert.Contains("Get-WaWhatsAppAccount", error.ErrorDetails.RecommendedAction);
        Assert.Empty(r.Output);
        Assert.Equal(1, f.TokensOfUser);
        Assert.Equal(f.First, f.Stored);
        Assert.Null(f.Kept);
        Assert.True(f.Works(f.First));
    }

    [Fact]
    public async Task The_WhatsApp_account_given_is_the_one_the_new_token_reads()
    {
        await using var f = await Fixture.StartAsync();

        var r = f.Run(Update + " -WhatsAppBusinessAccountId $waba -Confirm:$false").AssertClean();

        var rotation = r.One("WaTokenRotation");
        Assert.Equal("Completed", rotation.S("Step"));
        Assert.Equal(f.Session.Seed.WabaId, rotation.S("VerifiedWhatsAppBusinessAccountId"));
    }

    [Fact]
    public async Task Each_verbose_line_of_a_rotation_comes_with_the_progress_of_the_step_that_wrote_it()
    {
        await using var f = await Fixture.StartAsync();
        var seen = new List<(string Stream, string Text)>();
        using var ps = PowerShell.Create();
        ps.Runspace = f.Session.Ps.Runspace;
        ps.Streams.Progress.DataAdded += (_, e) => seen.Add(("progress", ps.Streams.Progress[e.Index].StatusDescription));
        ps.Streams.Verbose.DataAdded += (_, e) => seen.Add(("verbose", ps.Streams.Verbose[e.Index].Message));

        ps.AddScript(Update + " -Confirm:$false -Verbose").Invoke();

        Assert.Empty(ps.Streams.Error);
        // Each of the rotation's own lines, and the step it belongs to: the progress written just before it says so.
        var steps = new (string Line, string Step)[]
        {
            ("is also kept in", "Keeping the current token in"),
            ("created for", "Making the new token"),
            ("is stored in", "Storing the new token in"),
            ("verified: valid", "Verifying token"),
            ("Revoked token", "Revoking token"),
            ("Removed the revoked token", "Removing the revoked token"),
        };
        foreach (var (line, step) in steps)
        {
            int at = seen.FindIndex(s => s.Stream == "verbose" && s.Text.Contains(line, StringComparison.Ordinal));
            Assert.True(at > 0, "no verbose line with '" + line + "'");
            Assert.Equal("progress", seen[at - 1].Stream);
            Assert.StartsWith(step, seen[at - 1].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_kept_unsaved_for_another_secret_is_not_adopted_and_stays_kept()
    {
        await using var f = await Fixture.StartAsync();
        // A save of another secret failed: its token is kept for that secret, and a rotation of this one must not take it.
        string other = f.Run($$"""
            $t = New-WaToken -SystemUserId {{f.SystemUserId}}
            $t.GetType().GetProperty('MeantFor', [Reflection.BindingFlags]'NonPublic,Instance').SetValue($t, 'WABA2_TOKEN')
            $global:WaUnsavedToken = $t
            $t.Fingerprint
            """).AssertClean().Output.Single().ToString();

        var r = f.Run(Update + " -Confirm:$false").AssertClean();

        string made = r.One("WaTokenRotation").S("Fingerprint")!;
        Assert.NotEqual(other, made);
        Assert.Equal(made, f.Stored);
        Assert.True(f.Works(other));
        Assert.Equal(other, f.Run("$WaUnsavedToken.Fingerprint").AssertClean().Output.Single().ToString());
    }

    [Fact]
    public async Task A_renewal_whose_answer_is_lost_says_Meta_may_hold_a_new_token_not_that_none_was_made()
    {
        await using var f = await Fixture.StartAsync("SixtyDays");
        f.Emulator.Clock.Advance(TimeSpan.FromDays(50)); // due: fewer than 15 days left
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true }, 1, "/oauth/access_token");

        var r = f.Run(Update + " -Confirm:$false");

        var error = Assert.Single(r.Errors);
        Assert.Equal(2, f.TokensOfUser); // Meta made one; nothing holds it yet
        Assert.Equal(f.First, f.Stored);
        Assert.DoesNotContain("No new token was made", error.ErrorDetails.Message);
        Assert.Contains("may hold a new token", error.ErrorDetails.Message);
        Assert.Contains(".journal", error.ErrorDetails.Message);
    }
}
