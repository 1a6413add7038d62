using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// DotEnvFile writes the .env the application reads (issue 24): its owner, group and mode kept, every name of a
/// hard-linked file holding the new content, and a link loop or a dangling link said as such.
/// </summary>
public sealed class DotEnvAsTheAppSeesItTests : IDisposable
{
    private const string Key = "WHATSAPP_ACCESS_TOKEN";

    private readonly ITestOutputHelper _out;
    private readonly string _folder = Directory.CreateTempSubdirectory("naova-appenv-").FullName;

    public DotEnvAsTheAppSeesItTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [RootFact]
    public void Root_writing_an_application_s_owner_only_env_keeps_its_owner_group_and_mode()
    {
        if (OperatingSystem.IsWindows()) return; // RootFact skips it there already
        using var app = TestUser.Create();
        _out.WriteLine($"ran as root against user {app.Name} ({app.Id}:{app.Group}), made for this test");
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "# app\n" + Key + "=EAAold\n");
        TestUser.Run("chown", app.Id + ":" + app.Group, path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.True(EnvFile.KeepsOwner(path));
        DotEnvFile.Set(path, Key, "EAAnew");

        Assert.Equal((app.Id, app.Group, "600"), TestUser.Status(path));
        Assert.Equal("# app\n" + Key + "=EAAnew\n", app.Read(path));
        Assert.Equal(new[] { ".env" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Only_root_or_the_owner_in_the_file_s_group_may_give_a_new_file_the_old_one_s_owner()
    {
        uint[] none = [];
        Assert.True(UnixFile.MayGive((1001, 1001), 0, 0, none)); // root, for any owner
        Assert.True(UnixFile.MayGive((1000, 1000), 1000, 1000, none));
        Assert.True(UnixFile.MayGive((1000, 50), 1000, 1000, [27, 50])); // a group the user is in
        Assert.False(UnixFile.MayGive((1001, 1000), 1000, 1000, [1001])); // another user's file, group shared
        Assert.False(UnixFile.MayGive((1000, 50), 1000, 1000, [27])); // the user's file, a group it is not in
    }

    [Fact]
    public void Every_name_of_a_hard_linked_env_holds_the_new_content_and_the_names_stay_one_file()
    {
        if (OperatingSystem.IsWindows()) return; // Unix links and modes; on Windows there is nothing to test
        string path = Path.Combine(_folder, ".env"), other = Path.Combine(_folder, "app.env");
        File.WriteAllText(path, "# app\n" + Key + "=EAAold-and-longer-than-the-new-one\nDEBUG=false\n");
        TestUser.Run("ln", path, other);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        string inode = TestUser.Run("stat", "-c", "%i %h", path);

        DotEnvFile.Set(path, Key, "EAAnew");
        Assert.Equal("# app\n" + Key + "=EAAnew\nDEBUG=false\n", File.ReadAllText(other));
        DotEnvFile.Set(other, Key, "EAAnew-" + new string('x', 300));
        Assert.Equal("# app\n" + Key + "=EAAnew-" + new string('x', 300) + "\nDEBUG=false\n", File.ReadAllText(path));

        Assert.Equal(inode, TestUser.Run("stat", "-c", "%i %h", other));
        Assert.EndsWith(" 2\n", inode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(other));
        Assert.Equal(new[] { ".env", "app.env" }, Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_link_loop_is_named_with_the_links_followed_and_nothing_is_written()
    {
        if (OperatingSystem.IsWindows()) return; // Unix links and modes; on Windows there is nothing to test
        string a = Path.Combine(_folder, "a.env"), b = Path.Combine(_folder, "b.env");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);

        var set = Assert.Throws<DotEnvLinkException>(() => DotEnvFile.Set(a, Key, "EAAnew"));
        var read = Assert.Throws<DotEnvLinkException>(() => DotEnvFile.Read(a, Key));

        Assert.True(set.IsLoop);
        Assert.Equal(a + " -> " + b + " -> " + a, set.Target);
        Assert.True(read.IsLoop);
        Assert.Equal(b, new FileInfo(a).LinkTarget);
        Assert.Equal(new[] { "a.env", "b.env" }, Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_dangling_link_names_its_target_and_a_write_creates_the_target_where_its_folder_is()
    {
        if (OperatingSystem.IsWindows()) return; // Unix links and modes; on Windows there is nothing to test
        string link = Path.Combine(_folder, ".env"), gone = Path.Combine(_folder, "releases", "7", ".env");
        File.CreateSymbolicLink(link, gone);

        var write = Assert.Throws<DotEnvLinkException>(() => DotEnvFile.Set(link, Key, "EAAnew"));
        var read = Assert.Throws<DotEnvLinkException>(() => DotEnvFile.Read(link, Key));
        Assert.False(write.IsLoop);
        Assert.Equal(gone, write.Target);
        Assert.Equal(gone, read.Target);
        Assert.Equal(gone, new FileInfo(link).LinkTarget);

        Directory.CreateDirectory(Path.GetDirectoryName(gone)!);
        Assert.True(DotEnvFile.Set(link, Key, "EAAnew").CreatedFile);
        Assert.Equal(gone, new FileInfo(link).LinkTarget);
        Assert.Equal(Key + "=EAAnew\n", File.ReadAllText(gone));
    }

    /// <summary>
    /// Issue 24, case 11: one .env reached by two paths (a release folder and a "current" link to it, itself reached
    /// through a linked folder) has one real path, which the rotation's lock and journal are named by.
    /// </summary>
    [Fact]
    public void One_env_reached_through_linked_folders_has_one_real_path()
    {
        string release = Path.Combine(_folder, "releases", "1");
        Directory.CreateDirectory(release);
        string env = Path.Combine(release, ".env");
        File.WriteAllText(env, Key + "=EAAold\n");
        Directory.CreateSymbolicLink(Path.Combine(_folder, "current"), Path.Combine("releases", "1"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "app"), _folder);
        File.CreateSymbolicLink(Path.Combine(release, "app.env"), ".env");

        string real = AtomicFile.RealPath(env);
        Assert.Equal(real, AtomicFile.RealPath(Path.Combine(_folder, "current", ".env")));
        Assert.Equal(real, AtomicFile.RealPath(Path.Combine(_folder, "app", "current", "app.env")));
        Assert.Equal(real, AtomicFile.RealPath(Path.Combine(_folder, "app", "current", "..", "current", ".env")));
        Assert.NotEqual(real, AtomicFile.RealPath(Path.Combine(_folder, "current", "other.env")));
    }
}
