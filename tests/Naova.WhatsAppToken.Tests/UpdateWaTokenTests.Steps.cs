using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

public partial class UpdateWaTokenTests
{
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
}
