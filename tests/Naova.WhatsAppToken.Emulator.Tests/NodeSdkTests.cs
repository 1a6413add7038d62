using System.Diagnostics;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator.Spec;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Emulator.Tests;

/// <summary>
/// Meta's own Node Business SDK (npm facebook-nodejs-business-sdk 24.0.1, installed by NodeSdk/package-lock.json with
/// npm ci, never edited) as a second client of the strict emulator, over real HTTP on 127.0.0.1. Where node or npm is
/// not on this machine the test is skipped and says so.
/// </summary>
public sealed class NodeSdkTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(RepoRoot(), "tests", "Naova.WhatsAppToken.Emulator.Tests", "NodeSdk");

    [SkippableFact]
    public async Task Metas_Node_SDK_drives_the_strict_emulator_unmodified()
    {
        string? node = OnPath("node"), npm = OnPath(OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
        Skip.If(node is null || npm is null,
            $"Meta's Node SDK needs node and npm on PATH; here node is {node ?? "missing"} and npm is {npm ?? "missing"}.");
        output.WriteLine($"node: {node} ({(await RunAsync(node!, "--version")).Out.Trim()}), npm: {npm}");

        string sdk = Path.Combine(Folder, "node_modules", "facebook-nodejs-business-sdk", "package.json");
        if (!File.Exists(sdk))
        {
            var install = await RunAsync(npm!, "ci --no-audit --no-fund");
            output.WriteLine("npm ci: " + install.Out + install.Err);
            Assert.True(install.Code == 0, "npm ci failed: " + install.Err);
        }
        using (var installed = JsonDocument.Parse(File.ReadAllText(sdk)))
            Assert.Equal("24.0.1", installed.RootElement.GetProperty("version").GetString());

        await using var emulator = await GraphEmulator.StartAsync();
        var run = await RunAsync(node!, $"sdk-test.js {emulator.BaseUri.AbsoluteUri.TrimEnd('/')} \"{emulator.Seed.SeedSource}\"");
        output.WriteLine(run.Out);
        if (run.Err.Length > 0) output.WriteLine(run.Err);

        Assert.True(run.Code == 0, $"the SDK run failed ({run.Code}): {run.Err}");
        Assert.Contains("all 7 steps passed", run.Out, StringComparison.Ordinal);
        var user = Assert.Single(emulator.State.GetSystemUsers(), u => u.Name == "sdk-service");
        Assert.Equal(new[] { "MANAGE" }, emulator.State.GetWabaAssignments(emulator.Seed.WabaId)[user.Id]);
        var token = Assert.Single(emulator.State.GetTokensOf(user.Id));
        Assert.Equal("SYSTEM_USER", token.Type);
        Assert.DoesNotContain(emulator.Seed.AdminUserToken, run.Out + run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(emulator.Seed.AppSecret, run.Out + run.Err, StringComparison.Ordinal);

        // What Meta's own SDK sent is held to Meta's specs too: a check of the check. The unknown business is unknown
        // on purpose (step 7), so it is the one request the check must refuse.
        const string Unknown = "/999999999999999";
        ConformanceReport unknown = SpecConformance.Check(emulator.Requests.Where(r => r.Path.EndsWith(Unknown, StringComparison.Ordinal)), emulator.NodeTypeOf);
        Assert.Contains("no node known", Assert.Single(unknown.Rows).Verdict, StringComparison.Ordinal);
        ConformanceReport report = SpecConformance.Check(emulator.Requests.Where(r => !r.Path.EndsWith(Unknown, StringComparison.Ordinal)), emulator.NodeTypeOf);
        output.WriteLine(report.ToTable());
        Assert.True(report.Conforms, report.ToTable());
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        // A guard, not an assertion: a hung npm or node is ended (by its own id) rather than left running.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {arguments} did not finish in 5 minutes and was ended.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NaovaPs.sln"))) return dir.FullName;
        throw new InvalidOperationException("NaovaPs.sln not found above " + AppContext.BaseDirectory);
    }
}
