using System.Text;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>DotEnvFile on disk: whole-file replacement a reader never sees half done, permissions, links, failures.</summary>
public sealed class DotEnvAtomicWriteTests : IDisposable
{
    private const string Key = "WHATSAPP_ACCESS_TOKEN";

    private readonly string _folder = Directory.CreateTempSubdirectory("naova-dotenv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_reader_sees_the_old_file_or_the_new_one_never_part_of_one()
    {
        string path = Path.Combine(_folder, ".env");
        // About 0.7 MB, so one write takes many write calls; the two versions differ only in the key's line.
        var body = new StringBuilder();
        for (int i = 0; i < 16_000; i++) body.Append("# padding line ").Append(i).Append(" so the file is large\n");
        string tokenA = "EAA" + new string('a', 200), tokenB = "EAA" + new string('b', 200);
        File.WriteAllText(path, body + Key + "=" + tokenA + "\n");
        byte[] versionA = File.ReadAllBytes(path);
        byte[] versionB = Encoding.UTF8.GetBytes(body + Key + "=" + tokenB + "\n");

        int reads = 0, torn = 0;
        using var firstRead = new ManualResetEventSlim();
        using var done = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (true)
            {
                bool last = done.IsCancellationRequested;
                byte[] seen;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var copy = new MemoryStream())
                {
                    stream.CopyTo(copy);
                    seen = copy.ToArray();
                }
                reads++;
                if (!seen.AsSpan().SequenceEqual(versionA) && !seen.AsSpan().SequenceEqual(versionB)) torn++;
                firstRead.Set();
                if (last) return;
            }
        });
        firstRead.Wait();
        for (int i = 0; i < 20; i++) DotEnvFile.Set(path, Key, i % 2 == 0 ? tokenB : tokenA);
        done.Cancel();
        await reader;

        Assert.Equal(0, torn);
        Assert.True(reads >= 2, "reads: " + reads);
        Assert.Equal(versionA, File.ReadAllBytes(path)); // 20 writes, the last one writes A back
        Assert.Equal(new[] { ".env" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_new_file_is_readable_by_its_owner_only_and_an_existing_file_keeps_its_mode()
    {
        string created = Path.Combine(_folder, "new.env");
        var change = DotEnvFile.Set(created, Key, "EAAnew");
        Assert.True(change.CreatedFile);
        Assert.Equal(DotEnvChangeKind.Added, change.Kind);
        Assert.Equal("EAAnew", DotEnvFile.Read(created, Key));

        string existing = Path.Combine(_folder, "existing.env");
        File.WriteAllText(existing, "A=1\n");
        if (OperatingSystem.IsWindows()) return; // Unix modes only; on Windows File.Replace keeps the file's ACL.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(created));
        var shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(existing, shared);
        Assert.False(DotEnvFile.Set(existing, Key, "EAAnew").CreatedFile);
        Assert.Equal(shared, File.GetUnixFileMode(existing));
        Assert.Equal("A=1\nWHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(existing));
    }

    [Fact]
    public void Writing_through_a_symbolic_link_updates_its_target_and_keeps_the_link()
    {
        if (OperatingSystem.IsWindows()) return; // creating a link needs a privilege there
        string target = Path.Combine(_folder, "real.env");
        string link = Path.Combine(_folder, ".env");
        File.WriteAllText(target, "A=1\n");
        File.CreateSymbolicLink(link, target);
        DotEnvFile.Set(link, Key, "EAAnew");
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("A=1\nWHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file_and_the_target_as_it_was()
    {
        string folderInTheWay = Path.Combine(_folder, ".env");
        Directory.CreateDirectory(folderInTheWay);
        Assert.ThrowsAny<IOException>(() => DotEnvFile.Set(folderInTheWay, Key, "EAAnew"));
        Assert.Empty(Directory.GetFiles(_folder));
        Assert.True(Directory.Exists(folderInTheWay));

        Assert.Throws<DirectoryNotFoundException>(() => DotEnvFile.Set(Path.Combine(_folder, "missing", ".env"), Key, "EAAnew"));
    }

    [Fact]
    public void Nothing_is_written_when_the_value_is_already_there_or_NoClobber_refuses()
    {
        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "WHATSAPP_ACCESS_TOKEN=EAAsame\n");
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.Equal(DotEnvChangeKind.Unchanged, DotEnvFile.Set(path, Key, "EAAsame").Kind);
        Assert.Equal(DotEnvChangeKind.Refused, DotEnvFile.Set(path, Key, "EAAother", noClobber: true).Kind);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.Equal("EAAsame", DotEnvFile.Read(path, Key));
    }
}
