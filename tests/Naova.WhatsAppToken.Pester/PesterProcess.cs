using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Naova.WhatsAppToken.Pester;

/// <summary>The repository root: the folder holding NaovaPs.sln, above this assembly.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NaovaPs.sln"))) return dir.FullName;
        throw new InvalidOperationException("NaovaPs.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// Which pwsh runs a Pester file: the tool manifest's (<see cref="Tool"/>, pwsh 7.6 on the machine's .NET), or one that
/// the build makes from NuGet under tests/hosts (<see cref="Pwsh74"/>), whose results go to a folder of their own.
/// </summary>
public sealed class PesterHost
{
    private PesterHost(string? lane, string? project)
    {
        Lane = lane;
        Project = project;
    }

    /// <summary><c>dotnet tool run pwsh</c>: .config/dotnet-tools.json's pwsh, on the .NET the machine has.</summary>
    public static PesterHost Tool { get; } = new(null, null);

    /// <summary>
    /// tests/hosts/Pwsh74: PowerShell 7.4.22 on .NET 8, self-contained, published by the build into
    /// bin/&lt;configuration&gt;/pwsh/ (what Azure Automation's PowerShell 7.4 runtime runs).
    /// </summary>
    public static PesterHost Pwsh74 { get; } = new("pwsh74", Path.Combine(Repo.Root, "tests", "hosts", "Pwsh74", "Pwsh74.csproj"));

    /// <summary>The subfolder of the results where this host's files go (null: the results folder itself).</summary>
    public string? Lane { get; }

    /// <summary>The host's project, which the Pester files read to know which PowerShell they should be running in.</summary>
    public string? Project { get; }

    /// <summary>The pwsh executable the build published; null for the tool, which runs through dotnet.</summary>
    public string? Executable => Project == null
        ? null
        : Path.Combine(Path.GetDirectoryName(Project)!, "bin", PesterProcess.Configuration, "pwsh", OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");

    public override string ToString() => Executable ?? "pwsh from the tool manifest";
}

/// <summary>
/// One Pester file in a real pwsh: <c>dotnet tool run pwsh -NoProfile -NonInteractive</c> from the repository root
/// (the tool manifest's pwsh 7.6.10), or another <see cref="PesterHost"/>, with no standard input, a HOME of its own
/// (SecretManagement's vault registry, SecretStore's files and PSResourceGet's repositories live there, so a run
/// neither sees nor changes the user's), <c>../shared/psmodules</c> first on PSModulePath where it exists, and a mark
/// in its environment that every process it starts inherits, so that whatever is still running afterwards is found and
/// named.
/// </summary>
public sealed class PesterProcess
{
    internal const string Mark = "NAOVA_PROCESS_MARK";

    /// <summary>Only a guard against a run that waits for ever (a prompt, a lock): far above what a file takes.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    private PesterProcess(string name, PesterHost host)
    {
        Name = name;
        _host = host;
    }

    private readonly PesterHost _host;

    public string Name { get; }

    public List<string> Problems { get; } = new();

    /// <summary>Problems that are not a Pester test's or block's failure: a timeout, a process left, no result.</summary>
    private int _otherProblems;

    public List<string> Lines { get; } = new();

    public PesterSummary? Summary { get; private set; }

    /// <summary>TestResults/Pester, where .ci/run counts them; NAOVA_PESTER_RESULTS elsewhere (a nested run's own).</summary>
    public static string ResultsFolder => Environment.GetEnvironmentVariable("NAOVA_PESTER_RESULTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Repo.Root, "TestResults", "Pester");

    /// <summary>The configuration this assembly was built in, which built the module folder and the emulator too.</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>Pester 5.9.1's manifest, where restore put the package (or NUGET_PACKAGES, or ~/.nuget/packages).</summary>
    public static string PesterManifest
    {
        get
        {
            var roots = new[]
            {
                Metadata("NuGetPackageRoot"),
                Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            };
            foreach (string? root in roots)
            {
                if (string.IsNullOrEmpty(root)) continue;
                string manifest = Path.Combine(root, "pester", "5.9.1", "tools", "Pester.psd1");
                if (File.Exists(manifest)) return manifest;
            }
            throw new FileNotFoundException("Pester 5.9.1 is not in the NuGet packages folder (looked in " + string.Join(", ", roots.Where(r => !string.IsNullOrEmpty(r))) + "): restore tests/Naova.WhatsAppToken.Pester.");
        }
    }

    /// <summary>The real SecretManagement and SecretStore beside the clone (CI and this machine), when they are there.</summary>
    public static string? SharedModules
    {
        get
        {
            string folder = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "psmodules"));
            return Directory.Exists(folder) ? folder : null;
        }
    }

    /// <param name="sharedModules">False: ../shared/psmodules is left off PSModulePath, so the file runs against the
    /// SecretManagement stand-in, as on a machine that has neither real module.</param>
    /// <param name="host">The pwsh to run it in; the tool manifest's by default.</param>
    public static PesterProcess Run(string file, bool sharedModules = true, PesterHost? host = null)
    {
        host ??= PesterHost.Tool;
        string name = Path.GetFileName(file).Replace(".Tests.ps1", string.Empty, StringComparison.OrdinalIgnoreCase) + (sharedModules ? string.Empty : "-standin");
        var run = new PesterProcess(name, host) { _sharedModules = sharedModules };
        string folder = host.Lane == null ? ResultsFolder : Path.Combine(ResultsFolder, host.Lane);
        Directory.CreateDirectory(folder);
        string resultFile = Path.Combine(folder, name + ".json");
        string xmlFile = Path.Combine(folder, name + ".xml");
        File.Delete(resultFile);
        string home = Path.Combine(Path.GetTempPath(), "naova-pester-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        string mark = Guid.NewGuid().ToString("N");
        try
        {
            run.Execute(file, home, mark, resultFile, xmlFile);
        }
        finally
        {
            try { Directory.Delete(home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        // The counts first (what .ci/run sums), then what the file ran in, which .ci/run names per lane.
        File.WriteAllText(Path.Combine(folder, name + ".counts"),
            $"passed={run.Summary?.Passed ?? 0} failed={(run.Summary?.FailedTotal ?? 0) + run._otherProblems} skipped={(run.Summary?.Skipped ?? 0) + (run.Summary?.NotRun ?? 0)}\n" +
            $"powershell={run.Summary?.PowerShell ?? "unknown"}\nruntime={run.Summary?.Runtime ?? "unknown"}\ndependencies={run.Summary?.Dependencies ?? "none"}\n");
        File.WriteAllLines(Path.Combine(folder, name + ".log"), run.Lines);
        return run;
    }

    private void Execute(string file, string home, string mark, string resultFile, string xmlFile)
    {
        string? executable = _host.Executable;
        if (executable != null && !File.Exists(executable))
        {
            Problems.Add($"{Name}: {executable} is not there: the build publishes it (dotnet build {_host.Project}).");
            _otherProblems++;
            return;
        }
        var start = new ProcessStartInfo(executable ?? "dotnet") { WorkingDirectory = Repo.Root };
        if (executable == null) foreach (string tool in new[] { "tool", "run", "pwsh" }) start.ArgumentList.Add(tool);
        foreach (string argument in new[]
                 {
                     "-NoProfile", "-NonInteractive", "-File", Path.Combine(Repo.Root, "tests", "Pester", "Invoke-Suite.ps1"),
                     "-Path", file, "-PesterManifest", PesterManifest, "-ResultFile", resultFile, "-XmlFile", xmlFile,
                 })
            start.ArgumentList.Add(argument);
        Prepare(start.Environment, home, mark, _sharedModules);
        // Which PowerShell the file should find itself in: Environment.Tests.ps1 reads the host's project for it. Set
        // only here: a run nested in a host's (build.ps1 -Task Test) must not inherit it.
        start.Environment.Remove("NAOVA_PESTER_HOST");
        if (_host.Project != null) start.Environment["NAOVA_PESTER_HOST"] = _host.Project;

        var process = ChildProcess.Run(start, Limit, Mark, mark);
        Lines.AddRange(process.Lines);
        if (process.TimedOut)
        {
            Problems.Add($"{Name}: still running after {Limit.TotalMinutes} minutes (something waits or prompts): stopped.");
            _otherProblems++;
        }
        foreach (var (pid, command) in process.Left)
        {
            Problems.Add($"{Name}: left process {pid} running: {command}");
            _otherProblems++;
        }

        if (File.Exists(resultFile))
        {
            Summary = JsonSerializer.Deserialize<PesterSummary>(File.ReadAllText(resultFile));
            if (Summary == null) Problems.Add($"{Name}: empty result file {resultFile}");
        }
        if (Summary == null)
        {
            Problems.Add($"{Name}: pwsh exited with {process.ExitCode} and wrote no result. Its last lines:\n  " + string.Join("\n  ", Lines.TakeLast(40)));
            _otherProblems++;
            return;
        }
        foreach (var test in Summary.Tests.Where(t => t.Result == "Failed"))
            Problems.Add($"{Name}: [Failed] {test.Name}\n    {test.Message?.Replace("\n", "\n    ")}");
        foreach (string error in Summary.Errors)
            Problems.Add($"{Name}: {error}");
        if (Summary.Tests.Count == 0) { Problems.Add($"{Name}: no Pester test ran"); _otherProblems++; }
        if (process.ExitCode != 0 && Problems.Count == 0) { Problems.Add($"{Name}: pwsh exited with {process.ExitCode}"); _otherProblems++; }
    }

    private bool _sharedModules = true;

    internal static void Prepare(IDictionary<string, string?> env, string home, string mark, bool sharedModules)
    {
        // The NuGet and .NET folders stay the user's, so the builds the suite runs do not download everything again.
        // NUGET_PACKAGES is spelt exactly as restore spelt it for dotnet test: an inherited value as it is; otherwise the
        // folder restore wrote for this project (NuGetPackageRoot, "/root/.nuget/packages/", separator and all). Spelt
        // any other way (without its "/"), restore takes it for a new folder: every project's restore inputs "have
        // changed", and a build.ps1 run by a Pester file recompiled and rewrote the module and the emulator while the
        // files beside it were importing and starting them (a half-written runtimeconfig.json stopped an emulator in CI).
        string userHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        env["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages
            : Metadata("NuGetPackageRoot") is { Length: > 0 } restored ? restored
            : Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(PesterManifest))))! + Path.DirectorySeparatorChar;
        env["DOTNET_CLI_HOME"] = Environment.GetEnvironmentVariable("DOTNET_CLI_HOME") is { Length: > 0 } cliHome ? cliHome : userHome;
        // The SDK's runtime store is $(HOME)/.dotnet/store, and it is hashed into what decides whether runtimeconfig.json
        // is written again: the user's, as MSBuild reads it from the environment, so a build under this HOME skips it.
        env["UserProfileRuntimeStorePath"] = Environment.GetEnvironmentVariable("UserProfileRuntimeStorePath") is { Length: > 0 } store
            ? store
            : Path.Combine(userHome, ".dotnet", "store");
        env["HOME"] = home;
        // Without ~/.config, .NET answers "" for the application-data folder and NuGet (inside PSResourceGet) writes
        // NuGet/NuGet.Config under the current folder: Publish-PSResource run from the clone left one there (bc372fa).
        Directory.CreateDirectory(Path.Combine(home, ".config"));
        env["USERPROFILE"] = home;
        env["LOCALAPPDATA"] = Path.Combine(home, "AppData", "Local");
        env["APPDATA"] = Path.Combine(home, "AppData", "Roaming");
        foreach (string xdg in new[] { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" }) env.Remove(xdg);
        var modulePath = new List<string>();
        if (sharedModules && SharedModules is { } shared) modulePath.Add(shared);
        if (Environment.GetEnvironmentVariable("PSModulePath") is { Length: > 0 } inherited)
            modulePath.AddRange(inherited.Split(Path.PathSeparator).Where(p => p.Length > 0 && (sharedModules || !SameFolder(p, SharedModules))));
        env["PSModulePath"] = string.Join(Path.PathSeparator, modulePath);
        env["NAOVA_CONFIGURATION"] = Configuration;
        env["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        env["POWERSHELL_UPDATECHECK"] = "Off";
        env["DOTNET_NOLOGO"] = "1";
        env["NO_COLOR"] = "1";
        env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        env[Mark] = mark;
    }

    private static bool SameFolder(string a, string? b) =>
        b != null && string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), b.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

    private static string Metadata(string key) =>
        typeof(PesterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value ?? string.Empty;

    public IEnumerable<string> Describe()
    {
        yield return $"Pester file {Name}: {_host}, Pester {PesterManifest}, configuration {Configuration}, " +
                     (!_sharedModules ? "../shared/psmodules left off PSModulePath (the SecretManagement stand-in, unless another copy is installed)"
                      : SharedModules is { } s ? $"SecretManagement from {s}" : "no ../shared/psmodules") +
                     (MarkedProcesses.CanLook ? string.Empty : "; processes left behind can not be looked for here (no /proc): not checked");
        if (Summary != null)
        {
            yield return $"Ran in PowerShell {Summary.PowerShell} on {Summary.Runtime}; the module's engine it loaded: " +
                         (Summary.Dependencies is { } loaded ? "dependencies/" + loaded : "none (this process did not load it)");
            yield return $"{Summary.Passed} passed, {Summary.FailedTotal} failed, {Summary.Skipped} skipped, {Summary.NotRun} not run";
            foreach (var test in Summary.Tests) yield return $"  [{test.Result}] {test.Name}" + (test.Result == "Skipped" && test.Message != null ? $" ({test.Message})" : string.Empty);
        }
        yield return "--- pwsh output ---";
        foreach (string line in Lines) yield return "  | " + line;
    }
}

/// <summary>What tests/Pester/Invoke-Suite.ps1 writes: Pester's counts and each test's result.</summary>
public sealed class PesterSummary
{
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int Skipped { get; set; }
    public int NotRun { get; set; }
    public List<string> Errors { get; set; } = new();
    public List<PesterTest> Tests { get; set; } = new();

    /// <summary>$PSVersionTable.PSVersion of the pwsh the file ran in.</summary>
    public string? PowerShell { get; set; }

    /// <summary>The .NET it ran on (RuntimeInformation.FrameworkDescription).</summary>
    public string? Runtime { get; set; }

    /// <summary>The folder under the module's dependencies/ its engine was loaded from in that process (net472, net8.0,
    /// net10.0); null when the process never loaded it (the file ran the module only in child processes).</summary>
    public string? Dependencies { get; set; }

    /// <summary>Failed tests, plus every block or container that failed outside a test (a BeforeAll, a parse error).</summary>
    public int FailedTotal => Failed + Errors.Count;
}

public sealed class PesterTest
{
    public string Name { get; set; } = string.Empty;
    public string Result { get; set; } = string.Empty;
    public string? Message { get; set; }
}

/// <summary>
/// Processes whose environment carries a mark: every process a run started, and theirs, inherit it, wherever they
/// were reparented. Linux (/proc) only; elsewhere nothing can be found this way and the list is empty.
/// </summary>
public static class MarkedProcesses
{
    public static bool CanLook => Directory.Exists("/proc/self");

    public static IReadOnlyList<(int Pid, string Command)> Find(string variable, string value)
    {
        var found = new List<(int, string)>();
        if (!CanLook) return found;
        byte[] needle = Encoding.UTF8.GetBytes(variable + "=" + value);
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                byte[] environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) < 0) continue;
                string command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                found.Add((pid, command));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }
}
