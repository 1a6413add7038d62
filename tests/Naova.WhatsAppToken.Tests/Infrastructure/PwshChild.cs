using System.Diagnostics;
using System.Text.Json;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// A real pwsh 7.6.10 child process (the repository's tool manifest), with its own HOME and the real SecretManagement
/// and SecretStore (../shared/psmodules) on PSModulePath: what a cron job or a runbook runs, not the hosted engine.
/// pwsh is found with Get-Command inside `dotnet tool run pwsh`, never from the running process.
/// </summary>
public sealed class PwshChild : IDisposable
{
    private static readonly Lazy<string?> Executable = new(FindPwsh);

    private readonly List<Process> _started = new();

    public PwshChild()
    {
        Home = Directory.CreateTempSubdirectory("naova-pwsh-home-").FullName;
    }

    /// <summary>The pwsh the tool manifest gives, or null where `dotnet tool run pwsh` does not run.</summary>
    public static string? PwshPath => Executable.Value;

    /// <summary>The folder holding the real SecretManagement and SecretStore modules, or null where it is not.</summary>
    public static string? SecretModules
    {
        get
        {
            // Beside the clone, as the machine lays it out; NAOVA_PSMODULES names it for a clone elsewhere.
            string folder = Environment.GetEnvironmentVariable("NAOVA_PSMODULES") is { Length: > 0 } set
                ? set : Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "psmodules"));
            return Directory.Exists(Path.Combine(folder, "Microsoft.PowerShell.SecretStore")) ? folder : null;
        }
    }

    /// <summary>What this machine has, in words for the test output.</summary>
    public static string RanAgainst => $"pwsh: {PwshPath ?? "none"}; SecretManagement/SecretStore: {SecretModules ?? "none"}";

    public static bool Available => PwshPath != null && SecretModules != null;

    /// <summary>
    /// The first lines of a child script: stop on any error, import the module, and connect (no retries, no check) to
    /// the emulator whose demo credentials <see cref="EmulatorEnvironment"/> puts in the child's environment.
    /// </summary>
    public const string Connect = """
        $ErrorActionPreference = 'Stop'
        Import-Module $env:NAOVA_MODULE
        $admin = ConvertTo-SecureString $env:NAOVA_ADMIN -AsPlainText -Force
        $secret = ConvertTo-SecureString $env:NAOVA_SECRET -AsPlainText -Force
        Connect-WaBusiness -BusinessId $env:NAOVA_BIZ -AppId $env:NAOVA_APP -AccessToken $admin -AppSecret $secret -GraphUri $env:NAOVA_URI -MaxRetries 0 -SkipCheck

        """;

    /// <summary>What <see cref="Connect"/> reads: the emulator's address and its demo business, app and secrets.</summary>
    public static Dictionary<string, string> EmulatorEnvironment(Naova.WhatsAppToken.Emulator.GraphEmulator emulator) => new()
    {
        ["NAOVA_ADMIN"] = emulator.Seed.AdminUserToken,
        ["NAOVA_SECRET"] = emulator.Seed.AppSecret,
        ["NAOVA_BIZ"] = emulator.Seed.BusinessId,
        ["NAOVA_APP"] = emulator.Seed.AppId,
        ["NAOVA_URI"] = emulator.BaseUri.ToString(),
    };

    public string Home { get; }

    /// <summary>Whether <see cref="Start"/> can give pwsh a terminal: util-linux's script, which runs a command in a new pseudo-terminal.</summary>
    public static bool CanGiveTerminal => File.Exists("/usr/bin/script");

    /// <summary>
    /// Starts <paramref name="script"/> (written to a file) in pwsh: with -NonInteractive, or, when
    /// <paramref name="interactive"/>, without it and with stdin from /dev/null, as cron, systemd or CI run it. With
    /// <paramref name="terminal"/>, interactive in a terminal of its own (<see cref="CanGiveTerminal"/>): what is written
    /// to the process's standard input is typed at that terminal, Ctrl+C included, and its screen is the standard output.
    /// </summary>
    public Process Start(string script, IDictionary<string, string>? env = null, bool interactive = false, bool terminal = false)
    {
        string file = Path.Combine(Home, "script-" + Guid.NewGuid().ToString("N")[..8] + ".ps1");
        File.WriteAllText(file, script);
        string args = "-NoProfile " + (interactive || terminal ? string.Empty : "-NonInteractive ") + "-File '" + file + "'";
        var info = new ProcessStartInfo("/bin/sh")
        {
            // exec: the process started is pwsh itself (or script, whose child it is), so its id is the one to kill.
            ArgumentList = { "-c", terminal ? "exec /usr/bin/script -qefc \"exec '" + PwshPath + "' " + args + "\" /dev/null" : "exec '" + PwshPath + "' " + args + " < /dev/null" },
            RedirectStandardInput = terminal,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Home,
        };
        info.Environment["HOME"] = Home;
        if (SecretModules != null) info.Environment["PSModulePath"] = SecretModules;
        info.Environment["NAOVA_WHATSAPPTOKEN_STATE"] = Path.Combine(Home, "state");
        info.Environment["NAOVA_MODULE"] = Repo.Manifest;
        info.Environment["NO_COLOR"] = "1";
        info.Environment["TERM"] = "dumb";
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info)!;
        lock (_started) _started.Add(process);
        return process;
    }

    /// <summary>Runs a script to its end; what it printed, and the JSON it left in $env:NAOVA_RESULT when it did.</summary>
    public ChildRun Run(string script, IDictionary<string, string>? env = null, bool interactive = false)
    {
        string result = Path.Combine(Home, "result-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        var all = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["NAOVA_RESULT"] = result };
        var process = Start(script, all, interactive);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A safety net against a hung child, not a timing assertion.
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        JsonElement? json = File.Exists(result) ? JsonDocument.Parse(File.ReadAllText(result)).RootElement : null;
        return new ChildRun(process.ExitCode, stdout.Result, stderr.Result, json);
    }

    /// <summary>Stops every child still running, and removes the HOME.</summary>
    public void Dispose()
    {
        lock (_started)
        {
            foreach (var p in _started)
            {
                try
                {
                    if (!p.HasExited) p.Kill(entireProcessTree: true);
                    p.WaitForExit();
                }
                catch (InvalidOperationException)
                {
                }
                p.Dispose();
            }
        }
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindPwsh()
    {
        try
        {
            var info = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", "(Get-Command pwsh).Source" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Repo.Root,
            };
            using var p = Process.Start(info)!;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && File.Exists(output) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>What a child pwsh left: exit code, its two output streams, and the JSON it wrote.</summary>
public sealed record ChildRun(int ExitCode, string Stdout, string Stderr, JsonElement? Json)
{
    public JsonElement Result => Json ?? throw new Xunit.Sdk.XunitException($"the child wrote no result (exit {ExitCode}).\nstdout: {Stdout}\nstderr: {Stderr}");

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}\nresult: {Json}";
}
