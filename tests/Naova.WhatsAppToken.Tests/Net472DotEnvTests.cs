using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// .env writes by the net472 engine on Unix, where PowerShell 7.2/7.3 run it: the permissions and symbolic links the
/// README promises, as the net8.0 and net10.0 builds keep them. Until now that build created a new .env 0644 (by the
/// umask), turned an existing 0600 one into 0644, and replaced a symbolic link by a regular file holding the token.
/// Owner and group (root writing an application's file) and hard links are kept as by the other builds (issue 24).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Net472DotEnvTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _folder = Directory.CreateTempSubdirectory("naova-net472-env-").FullName;
    private readonly Net472Engine _engine = Net472Engine.Load();

    [SkippableUnixFact]
    public void A_new_env_file_is_created_owner_only()
    {
        string path = Path.Combine(_folder, ".env");

        Set(path, "WHATSAPP_ACCESS_TOKEN", "EAAnew");

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal("WHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(_folder)); // no temporary file left behind
    }

    [SkippableUnixFact]
    public void An_existing_env_file_keeps_its_mode()
    {
        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "# app\nWHATSAPP_ACCESS_TOKEN=old\n");
        var groupReadable = OwnerOnly | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, groupReadable);

        Set(path, "WHATSAPP_ACCESS_TOKEN", "EAAnew");

        Assert.Equal(groupReadable, File.GetUnixFileMode(path));
        Assert.Equal("# app\nWHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(path));
    }

    [SkippableUnixFact]
    public void A_symbolic_link_is_kept_and_the_file_at_the_end_of_its_chain_is_updated()
    {
        // .env -> config/app.env -> ../secrets/real.env: relative links, each resolved from its own folder.
        Directory.CreateDirectory(Path.Combine(_folder, "config"));
        Directory.CreateDirectory(Path.Combine(_folder, "secrets"));
        string real = Path.Combine(_folder, "secrets", "real.env");
        File.WriteAllText(real, "OTHER=1\nWHATSAPP_ACCESS_TOKEN=old\n");
        File.SetUnixFileMode(real, OwnerOnly);
        string middle = Path.Combine(_folder, "config", "app.env");
        File.CreateSymbolicLink(middle, Path.Combine("..", "secrets", "real.env"));
        string link = Path.Combine(_folder, ".env");
        File.CreateSymbolicLink(link, Path.Combine("config", "app.env"));

        Assert.Equal(real, _engine.Static("DotEnv.AtomicFile", "ResolveTarget", link));
        Set(link, "WHATSAPP_ACCESS_TOKEN", "EAAnew");

        Assert.Equal(Path.Combine("config", "app.env"), new FileInfo(link).LinkTarget);
        Assert.Equal(Path.Combine("..", "secrets", "real.env"), new FileInfo(middle).LinkTarget);
        Assert.Equal("OTHER=1\nWHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(real));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(real));
    }

    [RootFact]
    public void Root_keeps_an_application_s_env_its_owner_s()
    {
        using var app = TestUser.Create();
        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "WHATSAPP_ACCESS_TOKEN=old\n");
        TestUser.Run("chown", app.Id + ":" + app.Group, path);
        File.SetUnixFileMode(path, OwnerOnly);

        Set(path, "WHATSAPP_ACCESS_TOKEN", "EAAnew");

        Assert.Equal((app.Id, app.Group, "600"), TestUser.Status(path));
        Assert.Equal("WHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(path));
    }

    [SkippableUnixFact]
    public void Every_name_of_a_hard_linked_env_gets_the_new_content()
    {
        string path = Path.Combine(_folder, ".env"), other = Path.Combine(_folder, "app.env");
        File.WriteAllText(path, "WHATSAPP_ACCESS_TOKEN=old-and-longer\n");
        TestUser.Run("ln", path, other);

        Set(path, "WHATSAPP_ACCESS_TOKEN", "EAAnew");

        Assert.Equal("WHATSAPP_ACCESS_TOKEN=EAAnew\n", File.ReadAllText(other));
        Assert.Equal(TestUser.Run("stat", "-c", "%i %h", path), TestUser.Run("stat", "-c", "%i %h", other));
    }

    private void Set(string path, string key, string value) => _engine.Static("DotEnv.DotEnvFile", "Set", path, key, value, false);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
