using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The .env as the application sees it (issue 24, case 17): a link loop or a dangling link is named as one.
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
        // As with a missing folder, Save-WaToken keeps the token it could not write, for the command its error gives.
        Assert.Equal(1, SystemUserTokens(s));
        Assert.Equal(false, s.Ps.Run("$null -eq $WaUnsavedToken").Output.Single().BaseObject);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.False(Directory.Exists(Path.GetDirectoryName(target)));
    }
}
