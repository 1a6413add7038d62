using System.Diagnostics;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Another module that loaded a different Refit first must not break this one. A separate process (the LoadProbe)
/// loads Refit 14.0.1 into the default context, imports the built module, and creates a system user on the emulator.
/// </summary>
public class LoadIsolationTests
{
    [Fact]
    public async Task Module_works_in_a_process_where_Refit_14_was_loaded_first_and_loads_nothing_at_import()
    {
        await using var s = await EmulatorSession.StartAsync();
        var (exit, lines) = await RunProbeAsync(s);

        Assert.True(exit == 0, "probe failed:\n" + string.Join("\n", lines.SelectMany(g => g.Select(v => g.Key + "=" + v))));
        Assert.StartsWith("14.0", lines["refit.default"].Single());
        Assert.Equal("False", lines["engine.loaded.after.import"].Single());
        Assert.Equal("ModuleLoadContext", lines["engine.context"].Single());
        Assert.Contains(lines["refit.loaded"], v => v.StartsWith("16.", StringComparison.Ordinal) && v.Contains("ModuleLoadContext"));
        Assert.Equal(Assert.Single(s.Emulator.State.GetSystemUsers()).Id, lines["systemuser.id"].Single());
    }

    private static async Task<(int Exit, ILookup<string, string> Lines)> RunProbeAsync(EmulatorSession s)
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        string probe = Path.Combine(Repo.Root, "tests", "Naova.WhatsAppToken.LoadProbe", "bin", configuration, "net10.0", "Naova.WhatsAppToken.LoadProbe.dll");
        Assert.True(File.Exists(probe), "probe not built: " + probe);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(Repo.Manifest);
        start.Environment["NAOVA_PROBE_BUSINESS"] = s.Seed.BusinessId;
        start.Environment["NAOVA_PROBE_APP"] = s.Seed.AppId;
        start.Environment["NAOVA_PROBE_TOKEN"] = s.Seed.AdminUserToken;
        start.Environment["NAOVA_PROBE_SECRET"] = s.Seed.AppSecret;
        start.Environment["NAOVA_PROBE_URI"] = s.Emulator.BaseUri.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r').Split('=', 2)).Where(p => p.Length == 2)
            .Concat([["stderr", await stderr]]).ToLookup(p => p[0], p => p[1]);
        return (process.ExitCode, lines);
    }
}
