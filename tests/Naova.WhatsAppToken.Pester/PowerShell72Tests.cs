using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Pester;

/// <summary>
/// The PowerShell 7.2.15 engine on .NET 6 (tests/hosts/Ps72, self-contained, built from NuGet: NuGet has no pwsh 7.2, only
/// its engine), which loads the module's dependencies/net472 build. Engine72/DocPath.ps1 runs in it against the emulator
/// hosted here: the doc's pipeline into a new .env, a rotation, a revocation and a 200-token audit. Each check below is
/// counted (TestResults/Pester/engine72, which .ci/run reads as its own lane) and every failed one is named.
/// </summary>
public class PowerShell72Tests(ITestOutputHelper output)
{
    private const int AuditSize = 200;
    private const string SystemUserName = "naova-whatsapp-service";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    private static string Project => Path.Combine(Repo.Root, "tests", "hosts", "Ps72", "Ps72.csproj");

    private static string Executable => Path.Combine(Repo.Root, "tests", "hosts", "Ps72", "bin", PesterProcess.Configuration, "ps72", OperatingSystem.IsWindows() ? "Ps72.exe" : "Ps72");

    [Fact]
    public async Task Runs_the_doc_path_a_rotation_a_revocation_and_an_audit_in_the_7_2_engine()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is not there: the build publishes it (dotnet build {Project}).");
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions());
        // The audit's tokens, made first for the system user the doc's pipeline then finds and reuses (a business has one
        // admin system user at most).
        var fleet = await BulkTokens.MakeAsync(emulator, AuditSize, SystemUserName);
        string work = Path.Combine(Path.GetTempPath(), "naova-engine72-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(work, "home"));
        try
        {
            string tokens = Path.Combine(work, "fleet.txt");
            File.WriteAllLines(tokens, fleet);
            var run = RunHost(emulator, work, tokens);
            var said = run.Lines.Where(l => !l.StartsWith("stderr: ", StringComparison.Ordinal) && l.Contains('='))
                .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
            string envFile = Path.Combine(work, ".env");
            var checks = Checks(said, emulator, fleet, envFile, run);
            Report(said, checks, run);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static ChildProcess RunHost(GraphEmulator emulator, string work, string tokens)
    {
        var start = new ProcessStartInfo(Executable) { WorkingDirectory = work };
        start.ArgumentList.Add(Path.Combine(Repo.Root, "tests", "Naova.WhatsAppToken.Pester", "Engine72", "DocPath.ps1"));
        string mark = Guid.NewGuid().ToString("N");
        PesterProcess.Prepare(start.Environment, Path.Combine(work, "home"), mark, sharedModules: false);
        var seed = emulator.Seed;
        foreach (var (name, value) in new[]
                 {
                     ("NAOVA_MODULE", Path.Combine(Repo.Root, "out", "Naova.WhatsAppToken", "Naova.WhatsAppToken.psd1")),
                     ("NAOVA_BIZ", seed.BusinessId), ("NAOVA_APP", seed.AppId), ("NAOVA_WABA", seed.WabaId),
                     // The emulator's demo admin token and app secret: valid nowhere else.
                     ("NAOVA_ADMIN", seed.AdminUserToken), ("NAOVA_SECRET", seed.AppSecret),
                     ("NAOVA_URI", emulator.BaseUri.ToString()), ("NAOVA_WORK", work), ("NAOVA_TOKENS", tokens),
                     // Update-WaToken's lock and journal: this run's own.
                     ("NAOVA_WHATSAPPTOKEN_STATE", Path.Combine(work, "state")),
                 })
            start.Environment[name] = value;
        return ChildProcess.Run(start, Limit, PesterProcess.Mark, mark);
    }

    private static List<(string Name, bool Passed)> Checks(Dictionary<string, string> said, GraphEmulator emulator, IReadOnlyList<string> fleet, string envFile, ChildProcess run)
    {
        string Said(string key) => said.TryGetValue(key, out var value) ? value : "(not said)";
        var state = emulator.State;
        var seed = emulator.Seed;
        string made = Said("doc.fingerprint"), rotated = Said("rotation.fingerprint");
        var madeAtMeta = state.FindTokenByFingerprint(made);
        var rotatedAtMeta = state.FindTokenByFingerprint(rotated);
        var assigned = state.GetWabaAssignments(seed.WabaId);
        string envText = File.Exists(envFile) ? File.ReadAllText(envFile) : string.Empty;
        string all = string.Join("\n", run.Lines);
        string[] secrets = fleet.Append(seed.AdminUserToken).Append(seed.AppSecret)
            .Concat(envText.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[1].StartsWith("EA", StringComparison.Ordinal)).Select(p => p[1].Trim().Trim('"', '\'')))
            .ToArray();
        return new List<(string, bool)>
        {
            ($"runs in PowerShell {ExpectedVersion()} (the host's System.Management.Automation)", Said("powershell") == ExpectedVersion() && Said("edition") == "Core"),
            ("runs on .NET 6", Said("runtime").StartsWith(".NET 6.", StringComparison.Ordinal)),
            // The loader's rule: net10.0 from .NET 10, net8.0 from .NET 8 and 9, net472 below (and on Windows PowerShell).
            ("loads the module's dependencies/net472 engine", Said("dependencies") == "net472"),
            ("Connect-WaBusiness connects to the seeded business", Said("connected") == seed.BusinessId),
            ("the doc's pipeline reports one Healthy permanent system-user token with the three WhatsApp scopes",
                Said("doc.reports") == "1" && Said("doc.status") == "Healthy" && Said("doc.type") == "SYSTEM_USER" && Said("doc.expires") == "Never"
                && Said("doc.scopes") == "business_management,whatsapp_business_management,whatsapp_business_messaging"),
            ("Meta holds that token, permanent, for the system user of that name, granted MANAGE on the WABA",
                madeAtMeta is { ExpiresAt: null } && madeAtMeta.UserId == Said("doc.systemuser")
                && state.FindSystemUser(Said("doc.systemuser"))?.Name == SystemUserName
                && assigned.TryGetValue(Said("doc.systemuser"), out var tasks) && tasks.Contains("MANAGE")),
            ("the new .env holds one WHATSAPP_ACCESS_TOKEN, which Test-WaToken -EnvFile reads back", Said("env.lines") == "1" && Said("env.read") == made),
            ("Update-WaToken -EnvFile completes: a new healthy token in the .env, the old one revoked at Meta",
                Said("rotation.completed") == "True" && Said("rotation.status") == "Healthy" && rotated != made && madeAtMeta is { Revoked: true }),
            ("Revoke-WaToken revokes what the .env holds, and Test-WaToken then reports it Failed",
                rotatedAtMeta is { Revoked: true } && Said("revoked.status") == "Failed" && Said("revoked.valid") == "False"),
            ($"a {AuditSize}-token audit reports every token Healthy, in the order piped",
                Said("audit.reports") == AuditSize.ToString(CultureInfo.InvariantCulture) && Said("audit.healthy") == AuditSize.ToString(CultureInfo.InvariantCulture)
                && Said("audit.fingerprints") == string.Join(",", fleet.Select(Fingerprint))),
            ("the .env the module created is owner-only (0600)",
                OperatingSystem.IsWindows() || (File.Exists(envFile) && File.GetUnixFileMode(envFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite))),
            ("no token or secret in anything the run wrote", secrets.All(s => !all.Contains(s, StringComparison.Ordinal))),
            ("the script ran to its end without an error", run.ExitCode == 0 && Said("done") == "yes" && !run.TimedOut && run.Left.Count == 0),
        };
    }

    private void Report(Dictionary<string, string> said, List<(string Name, bool Passed)> checks, ChildProcess run)
    {
        string Said(string key) => said.TryGetValue(key, out var value) ? value : "unknown";
        int passed = checks.Count(c => c.Passed), failed = checks.Count - passed;
        string folder = Path.Combine(PesterProcess.ResultsFolder, "engine72");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "DocPath.counts"),
            $"passed={passed} failed={failed} skipped=0\npowershell={Said("powershell")}\nruntime={Said("runtime")}\ndependencies={Said("dependencies")}\n");
        File.WriteAllLines(Path.Combine(folder, "DocPath.log"), run.Lines);
        output.WriteLine($"Engine72/DocPath.ps1 in {Executable}: PowerShell {Said("powershell")} on {Said("runtime")}; the module's engine it loaded: dependencies/{Said("dependencies")}");
        output.WriteLine($"{passed} passed, {failed} failed");
        foreach (var (name, ok) in checks) output.WriteLine($"  [{(ok ? "Passed" : "Failed")}] {name}");
        output.WriteLine("--- host output ---");
        foreach (string line in run.Lines) output.WriteLine("  | " + line);
        Assert.True(failed == 0, "Failed in the PowerShell 7.2 engine:\n  " + string.Join("\n  ", checks.Where(c => !c.Passed).Select(c => c.Name))
                                 + "\nIts output:\n  " + string.Join("\n  ", run.Lines.TakeLast(30)));
    }

    /// <summary>
    /// The System.Management.Automation version the host project references: its VersionOverride of the central version
    /// (Directory.Packages.props holds the 7.6 the other tests host).
    /// </summary>
    private static string ExpectedVersion() =>
        XDocument.Load(Project).Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "System.Management.Automation").Attribute("VersionOverride")!.Value;

    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];
}
