using System.Diagnostics;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// -EnvFile must name a regular file (or a symbolic link to one): a FIFO would block the read forever, a device node
/// would be replaced by a file holding the token; and a read-only .env is not replaced through the atomic rename. Each
/// is refused before a token is made.
/// </summary>
public sealed class EnvFileKindTests : IDisposable
{
    private const string Mint = EmulatorSession.Connect +
        "$su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("naova-envkind-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static int SystemUserTokens(EmulatorSession s) => s.Emulator.State.GetTokens().Count(t => t.Type == "SYSTEM_USER");

    private static bool Make(string tool, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardError = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<PsResult> RunUnblocked(EmulatorSession s, string script, object vars, string fifo)
    {
        s.Ps.Run("$null", s.Vars()).AssertClean();
        var run = Task.Run(() => s.Ps.Run(script, vars));
        try
        {
            // A safety net only: a reader blocked on the FIFO is freed by opening its other end, and the test fails.
            return await run.WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
            await run;
            throw new Xunit.Sdk.XunitException("Save-WaToken blocked on the FIFO");
        }
    }

    [SkippableUnixFact]
    public async Task A_FIFO_is_refused_before_a_token_is_made()
    {
        string fifo = Path.Combine(_folder, "fifo.env");
        Assert.True(Make("mkfifo", fifo), "mkfifo failed");
        await using var s = await EmulatorSession.StartAsync();

        var r = await RunUnblocked(s, Mint + "$su | New-WaToken | Save-WaToken -EnvFile $path", new { path = fifo }, fifo);

        Assert.StartsWith("EnvFileNotAFile,", r.SingleError().FullyQualifiedErrorId);
        Assert.Equal(0, SystemUserTokens(s));
        Assert.Equal(true, s.Run("$null -eq $WaUnsavedToken").Output.Single().BaseObject);
    }

    [SkippableUnixFact]
    public async Task A_character_device_is_refused_and_left_a_device()
    {
        string device = Path.Combine(_folder, "null.env");
        if (!Make("mknod", device, "c", "1", "3")) return; // no mknod here (not root): nothing to test against
        await using var s = await EmulatorSession.StartAsync();
        s.Ps.Run("$null", s.Vars()).AssertClean();

        var r = s.Ps.Run(Mint + "$su | New-WaToken | Save-WaToken -EnvFile $path", new { path = device });

        Assert.StartsWith("EnvFileNotAFile,", r.SingleError().FullyQualifiedErrorId);
        Assert.Equal(0, SystemUserTokens(s));
        Assert.Equal(0, new FileInfo(device).Length);
        Assert.True(Make("test", "-c", device), "the device node was replaced");
    }

    [SkippableUnixFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes; the test is skipped on Windows
    public async Task A_read_only_env_file_is_respected_by_Save_and_Update_and_nothing_is_made()
    {
        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "# app\nWHATSAPP_ACCESS_TOKEN=old\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        byte[] before = File.ReadAllBytes(path);
        await using var s = await EmulatorSession.StartAsync();
        s.Ps.Run("$null", s.Vars()).AssertClean();

        var save = s.Ps.Run(Mint + "$su | New-WaToken | Save-WaToken -EnvFile $path", new { path });
        var update = s.Ps.Run("Update-WaToken -EnvFile $path", new { path });

        Assert.StartsWith("EnvFileReadOnly,", save.SingleError().FullyQualifiedErrorId);
        Assert.StartsWith("EnvFileReadOnly,", update.SingleError().FullyQualifiedErrorId);
        Assert.Equal(0, SystemUserTokens(s));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    [SkippableUnixFact]
    public async Task A_symbolic_link_to_a_regular_file_is_written_through_and_stays_a_link()
    {
        string target = Path.Combine(_folder, "real.env");
        string link = Path.Combine(_folder, "link.env");
        File.WriteAllText(target, "A=1\n");
        File.CreateSymbolicLink(link, target);
        await using var s = await EmulatorSession.StartAsync();
        s.Ps.Run("$null", s.Vars()).AssertClean();

        var r = s.Ps.Run(Mint + "$su | New-WaToken | Save-WaToken -EnvFile $path", new { path = link }).AssertClean();

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains("WHATSAPP_ACCESS_TOKEN=", File.ReadAllText(target));
        Assert.Equal(1, SystemUserTokens(s));
    }
}

/// <summary>A fact for what only Unix has (FIFOs, device nodes, permission bits); on Windows it has nothing to test.</summary>
public sealed class SkippableUnixFactAttribute : FactAttribute
{
    public SkippableUnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "FIFOs, device nodes and Unix modes exist on Unix only";
    }
}
