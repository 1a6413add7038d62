using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The .env as the application sees it (issue 24, cases 3, 4 and 17): after a rotation the application's file, under
/// every name it has and read as the application's user, holds the new, working token; or the rotation is refused
/// before Meta is asked (the emulator's token count unchanged). A link loop or a dangling link is named as one.
/// </summary>
public sealed class EnvFileAsTheAppSeesItTests : IDisposable
{
    private const string Mint = EmulatorSession.Connect +
        "$su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba\n";

    private readonly ITestOutputHelper _out;
    private readonly string _folder = Directory.CreateTempSubdirectory("naova-appview-").FullName;

    public EnvFileAsTheAppSeesItTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int SystemUserTokens(EmulatorSession s) => s.Emulator.State.GetTokens().Count(t => t.Type == "SYSTEM_USER");

    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    private static string[] ValidTokens(EmulatorSession s) =>
        s.Emulator.State.GetTokensOf(Assert.Single(s.Emulator.State.GetSystemUsers()).Id).Where(t => t.IsValidAt(s.Emulator.Clock.Now)).Select(t => t.Fingerprint).ToArray();

    /// <summary>The fingerprint of the token the .env text assigns to WHATSAPP_ACCESS_TOKEN, read as the application reads it.</summary>
    private static string TokenIn(string envText) =>
        Fingerprint(envText.Split('\n').Single(l => l.StartsWith("WHATSAPP_ACCESS_TOKEN=", StringComparison.Ordinal)).Split('=', 2)[1].Trim());

    /// <summary>Saves a first token to <paramref name="path"/>, then lets <paramref name="prepare"/> make the file the application's.</summary>
    private static string FirstToken(EmulatorSession s, string path, Action prepare)
    {
        s.Ps.Run("$null", s.Vars()).AssertClean();
        s.Ps.Run(Mint + "$null = $su | New-WaToken | Save-WaToken -EnvFile $path", new { path }).AssertClean();
        prepare();
        return Assert.Single(ValidTokens(s));
    }

    [SkippableUnixFact]
    public async Task Update_through_one_name_of_a_hard_linked_env_leaves_every_name_holding_the_new_working_token()
    {
        string path = Path.Combine(_folder, ".env"), app = Path.Combine(_folder, "app.env");
        await using var s = await EmulatorSession.StartAsync();
        string first = FirstToken(s, path, () => TestUser.Run("ln", path, app));
        Assert.Equal(first, TokenIn(File.ReadAllText(app)));

        var rotation = s.Ps.Run("Update-WaToken -EnvFile $path", new { path }).AssertClean().One("WaTokenRotation");

        Assert.Equal("Completed", rotation.S("Step"));
        string now = Assert.Single(ValidTokens(s));
        Assert.NotEqual(first, now);
        Assert.Equal(now, TokenIn(File.ReadAllText(app)));
        Assert.Equal("Healthy", s.Ps.Run("Test-WaToken -EnvFile $app", new { app }).AssertClean().One("WaTokenReport").S("Status"));
        Assert.Equal(TestUser.Run("stat", "-c", "%i %h", path), TestUser.Run("stat", "-c", "%i %h", app));
        Assert.EndsWith(" 2\n", TestUser.Run("stat", "-c", "%i %h", app));
    }

    [RootFact]
    public async Task Update_by_root_of_an_application_s_owner_only_env_keeps_it_the_application_s_with_the_new_working_token()
    {
        if (OperatingSystem.IsWindows()) return; // RootFact skips it there already
        using var user = TestUser.Create();
        _out.WriteLine($"ran as root against user {user.Name} ({user.Id}:{user.Group}), made for this test");
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        string path = Path.Combine(_folder, ".env");
        await using var s = await EmulatorSession.StartAsync();
        string first = FirstToken(s, path, () =>
        {
            TestUser.Run("chown", user.Id + ":" + user.Group, path);
            TestUser.Run("chmod", "600", path);
        });
        Assert.Equal(first, TokenIn(user.Read(path)));

        var rotation = s.Ps.Run("Update-WaToken -EnvFile $path", new { path }).AssertClean().One("WaTokenRotation");

        Assert.Equal("Completed", rotation.S("Step"));
        Assert.Equal((user.Id, user.Group, "600"), TestUser.Status(path));
        string now = Assert.Single(ValidTokens(s));
        Assert.NotEqual(first, now);
        Assert.Equal(now, TokenIn(user.Read(path)));
    }

    [SkippableUnixFact]
    public async Task A_symbolic_link_loop_is_named_a_loop_by_Save_Get_and_Update_and_nothing_is_made()
    {
        string a = Path.Combine(_folder, "a.env"), b = Path.Combine(_folder, "b.env");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);
        await using var s = await EmulatorSession.StartAsync();
        s.Ps.Run("$null", s.Vars()).AssertClean();

        var save = s.Ps.Run(Mint + "$su | New-WaToken | Save-WaToken -EnvFile $path", new { path = a });
        var get = s.Ps.Run("Get-WaToken -EnvFile $path", new { path = a });
        var update = s.Ps.Run("Update-WaToken -EnvFile $path", new { path = a });

        foreach (var (command, r) in new[] { ("SaveWaToken", save), ("GetWaToken", get), ("UpdateWaToken", update) })
        {
            var error = r.SingleError();
            _out.WriteLine(command + ": " + error.FullyQualifiedErrorId + ": " + (error.ErrorDetails?.Message ?? error.Exception.Message));
            Assert.Equal("EnvFileLinkLoop,Naova.WhatsAppToken.Commands." + command + "Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("loop", error.ErrorDetails!.Message);
            Assert.Contains(a, error.ErrorDetails!.Message);
            Assert.Contains("ln -sf", error.ErrorDetails.RecommendedAction);
        }
        Assert.Equal(0, SystemUserTokens(s));
        Assert.Equal(b, new FileInfo(a).LinkTarget);
        Assert.Equal(a, new FileInfo(b).LinkTarget);
    }

    [SkippableUnixFact]
    public async Task A_dangling_link_is_named_with_its_target_and_the_target_s_missing_folder()
    {
        string target = Path.Combine(_folder, "releases", "7", ".env");
        string link = Path.Combine(_folder, ".env");
        File.CreateSymbolicLink(link, target);
        await using var s = await EmulatorSession.StartAsync();
        s.Ps.Run("$null", s.Vars()).AssertClean();

        var save = s.Ps.Run(Mint + "$su | New-WaToken | Save-WaToken -EnvFile $path", new { path = link });
        var get = s.Ps.Run("Get-WaToken -EnvFile $path", new { path = link });

        foreach (var (command, r) in new[] { ("SaveWaToken", save), ("GetWaToken", get) })
        {
            var error = r.SingleError();
            _out.WriteLine(command + ": " + error.FullyQualifiedErrorId + ": " + (error.ErrorDetails?.Message ?? error.Exception.Message));
            Assert.Equal("EnvFileDanglingLink,Naova.WhatsAppToken.Commands." + command + "Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("'" + link + "' is a symbolic link to '" + target + "'", error.ErrorDetails!.Message);
            Assert.Contains(Path.GetDirectoryName(target)!, error.ErrorDetails.RecommendedAction);
        }
        // As with a missing folder, Save-WaToken refuses the destination before New-WaToken runs: no token is made.
        Assert.Equal(0, SystemUserTokens(s));
        Assert.Equal(true, s.Ps.Run("$null -eq $WaUnsavedToken").Output.Single().BaseObject);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.False(Directory.Exists(Path.GetDirectoryName(target)));
    }
}
