using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// DotEnvFile writes the .env the application reads (issue 24): a link loop or a dangling link said as such.
/// </summary>
public sealed class DotEnvAsTheAppSeesItTests : IDisposable
{
    private const string Key = "WHATSAPP_ACCESS_TOKEN";

    private readonly string _folder = Directory.CreateTempSubdirectory("naova-appenv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

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
}
