using System.Diagnostics;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// A real pwsh 7.6.10 child process (the repository's local tool, `dotnet tool run pwsh`), with its own HOME (SecretStore
/// keeps its files there) and, where this machine has them, the real SecretManagement and SecretStore from
/// ../shared/psmodules on PSModulePath; without them, the SecretManagement stand-in. <see cref="RealSecretStore"/> says
/// which one ran.
/// </summary>
public static class RealPwsh
{
    public static string SharedModules { get; } = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "psmodules"));

    public static bool RealSecretStore => Directory.Exists(Path.Combine(SharedModules, "Microsoft.PowerShell.SecretStore"));

    /// <summary>Runs <paramref name="scriptPath"/> with <paramref name="environment"/>; answers its exit code and its output lines.</summary>
    public static async Task<(int Exit, string[] Lines, string Errors)> RunAsync(string scriptPath, IDictionary<string, string> environment)
    {
        string home = Directory.CreateTempSubdirectory("wa-pwsh-home-").FullName;
        try
        {
            string userHome = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var restore = await RunDotnetAsync(["tool", "restore"], userHome, null);
            Assert.True(restore.Exit == 0, "dotnet tool restore failed: " + restore.Output);

            var environmentWithHome = new Dictionary<string, string>(environment)
            {
                ["HOME"] = home,
                // The tool and NuGet's packages stay where they are; only pwsh (and SecretStore) get the fresh HOME.
                ["DOTNET_CLI_HOME"] = userHome,
                ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(userHome, ".nuget", "packages"),
                ["PSModulePath"] = RealSecretStore ? SharedModules : string.Empty,
                ["NAOVA_MODULE"] = Repo.Manifest,
                ["NAOVA_STANDIN"] = SecretManagementStandIn.Manifest,
                ["NAOVA_REAL_SECRETSTORE"] = RealSecretStore ? "1" : "0",
            };
            var run = await RunDotnetAsync(["tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", scriptPath], userHome, environmentWithHome);
            return (run.Exit, run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray(), run.Errors);
        }
        finally
        {
            try { Directory.Delete(home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<(int Exit, string Output, string Errors)> RunDotnetAsync(string[] arguments, string userHome, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_HOME"] = userHome;
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment != null)
            foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
