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

    /// <summary>
    /// Two writers of one record at once (two processes keeping an unsaved token for the same system user and app, or
    /// saving it): neither fails, the record left is one of theirs, whole, and no temporary file is left behind.
    /// </summary>
    [Fact]
    public async Task Two_writers_of_one_record_at_once_both_succeed_and_leave_one_whole_record()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = StateFolder.FileFor(Place, ".unsaved");
        StateFolder.Prepare();
        string[] writers = { "a", "b", "c", "d" };
        void Write(string who)
        {
            for (int i = 0; i < 500; i++) StateFolder.WriteNew(path, new[] { "writer=" + who, "i=" + i });
        }

        await Task.WhenAll(writers.Select(w => Task.Run(() => Write(w)))).WaitAsync(Guard);

        var values = StateFolder.ReadValues(path);
        Assert.NotNull(values);
        Assert.Contains(values["writer"], writers);
        Assert.Equal("499", values["i"]);
        Assert.Equal(new[] { Path.GetFileName(path) }, Directory.GetFileSystemEntries(Rotations).Select(Path.GetFileName));
    }

    /// <summary>
    /// The check of every entry of the folder, made before a lock or a journal is used, while another process writes
    /// and removes its record there: an entry that went away between the listing and its check is gone, not unsafe. (A
    /// rotation that took it for unsafe ran without its lock and journal.)
    /// </summary>
    [Fact]
    public async Task Checking_the_folder_while_another_writer_writes_and_removes_its_record_does_not_refuse_it()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = StateFolder.FileFor("vault Other, secret OTHER_TOKEN", ".unsaved");
        StateFolder.Prepare();
        using var stop = new CancellationTokenSource();
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // As fast as a file can come and go, so that some go between the check's listing and its look at them.
        var writer = Task.Run(() =>
        {
            int writes = 0;
            while (!stop.IsCancellationRequested)
            {
                File.WriteAllText(path, "n=" + writes++ + "\n");
                File.Delete(path);
                writing.TrySetResult();
            }
            return writes;
        });
        int checks = 0;
        try
        {
            await writing.Task.WaitAsync(Guard);
            for (; checks < 20000; checks++) StateFolder.Prepare();
        }
        finally
        {
            stop.Cancel();
        }
        int writes = await writer.WaitAsync(Guard);
        _out.WriteLine($"{checks} checks while the other writer wrote and removed its record {writes} times");
        Assert.True(writes > 1, "the other writer did not run alongside the checks");
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
