using System.Diagnostics;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Rotation;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// Issue 24, cases 8 and 9: the state folder where Update-WaToken keeps its lock and journal is private (made 0700, its
/// user's), one another user could write is not used and the error says the fix, no write there follows a link, and
/// no read there hangs on a FIFO. Unix only: on Windows the folder is under the user's own %LOCALAPPDATA%.
/// </summary>
[Collection(StateFolderCollection.Name)]
public sealed class StateFolderTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private const string Place = "vault Prod, secret WHATSAPP_ACCESS_TOKEN";

    private readonly ITestOutputHelper _out;
    private readonly string _work = Directory.CreateTempSubdirectory("naova-statefolder-").FullName;
    private readonly string? _before = Environment.GetEnvironmentVariable(StateFolder.Variable);
    private readonly string _root;

    public StateFolderTests(ITestOutputHelper output)
    {
        _out = output;
        _root = Path.Combine(_work, "state");
        Environment.SetEnvironmentVariable(StateFolder.Variable, _root);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(StateFolder.Variable, _before);
        Directory.Delete(_work, recursive: true);
    }

    private string Rotations => Path.Combine(_root, "rotations");

    private static RotationLock? Take() => RotationLock.Take(Place, TimeSpan.Zero, _ => { }, CancellationToken.None, out _);

    [Fact]
    public void A_new_state_folder_is_made_private_to_its_user()
    {
        if (OperatingSystem.IsWindows()) return;
        using (Take()) { }

        foreach (string folder in new[] { _root, Rotations })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFile.EffectiveUser(), UnixFile.EntryStatus(folder)!.Value.User);
        }
    }

    [Fact]
    public void A_state_folder_others_can_write_is_not_used_and_the_error_gives_the_fix()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(Rotations);
        var open = (UnixFileMode)Convert.ToInt32("777", 8);
        File.SetUnixFileMode(_root, open);
        File.SetUnixFileMode(Rotations, open);

        var refused = Assert.ThrowsAny<UnauthorizedAccessException>(() => Take()?.Dispose());

        _out.WriteLine(refused.Message);
        Assert.Contains("chmod 700 '" + _root + "'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Rotations));
    }

    [Fact]
    public void A_link_where_the_lock_s_owner_file_goes_is_not_followed_and_what_it_names_is_untouched()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(Rotations);
        string victim = Path.Combine(_work, "other-app.env");
        File.WriteAllText(victim, "OTHER_TOKEN=the-other-application-s\n");
        File.CreateSymbolicLink(StateFolder.FileFor(Place, ".lock.owner"), victim);

        var refused = Assert.ThrowsAny<UnauthorizedAccessException>(() => Take()?.Dispose());

        _out.WriteLine(refused.Message);
        Assert.Contains("not a regular file", refused.Message, StringComparison.Ordinal);
        Assert.Equal("OTHER_TOKEN=the-other-application-s\n", File.ReadAllText(victim));
    }

    [Fact]
    public void A_link_where_the_journal_s_temporary_file_goes_is_not_followed_and_what_it_names_is_untouched()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(Rotations);
        var journal = new RotationJournal(Place);
        string victim = Path.Combine(_work, "other-app.env");
        File.WriteAllText(victim, "OTHER_TOKEN=the-other-application-s\n");
        File.CreateSymbolicLink(journal.Path + ".tmp", victim);

        Assert.ThrowsAny<Exception>(() => journal.Write(new JournalEntry { Place = Place, Step = RotationJournal.Asked, SystemUserId = "1", AppId = "2" }));

        Assert.Equal("OTHER_TOKEN=the-other-application-s\n", File.ReadAllText(victim));
    }

    [Fact]
    public async Task A_FIFO_at_the_journal_s_path_is_not_read_and_nothing_hangs()
    {
        if (OperatingSystem.IsWindows()) return;
        Directory.CreateDirectory(Rotations);
        var journal = new RotationJournal(Place);
        using (var mkfifo = Process.Start("mkfifo", journal.Path))
            await mkfifo.WaitForExitAsync();
        _out.WriteLine("made with mkfifo: " + journal.Path);

        var read = Task.Run(journal.Read);
        try
        {
            Assert.Null(await read.WaitAsync(Guard));
        }
        catch (TimeoutException)
        {
            // Unblock the reader this test started (a writer opens and closes the FIFO), so the run can end.
            using (new FileStream(journal.Path, FileMode.Open, FileAccess.Write)) { }
            Assert.Fail("RotationJournal.Read blocked on a FIFO at " + journal.Path);
        }
    }
}

/// <summary>The tests that point the process's NAOVA_WHATSAPPTOKEN_STATE at a folder of theirs run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StateFolderCollection
{
    public const string Name = "The process's state folder";
}
