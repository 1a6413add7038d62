using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http.Headers;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Benchmarks;

/// <summary>
/// dotnet run -c Release --project benchmarks/Naova.WhatsAppToken.Benchmarks [-- --rounds 7 --tokens 1000 --latency-ms 20]
///
/// (a) Import-Module, cold: each import runs in a fresh process and a fresh runspace, as the first module that process
///     imports, for our module and for a one-cmdlet binary module built alongside; medians of several rounds, and the
///     ratio. Also the same import again in a second fresh runspace of that process (what a job pays when its sandbox
///     process is reused).
/// (b) Fleet audit: 1,000 tokens in the emulator with 20 ms added to every request; Connect-WaBusiness then
///     `$tokens | Test-WaToken` in a fresh process (so its memory is the audit's, not the emulator's): HTTP requests
///     as the emulator counted them, wall time, peak memory; against a naive loop of one debug_token request per
///     token (HttpClient, one connection kept alive: the fastest naive loop there is) in the same run.
/// Every figure is timed inside the process that does the work, with Stopwatch.
/// </summary>
public static class Program
{
    private const string Version = "v26.0";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "import-worker") return ImportWorker(args);
        if (args.Length >= 2 && args[0] == "audit-worker") return AuditWorker(args[1]);

        int rounds = Option(args, "--rounds", 7);
        int count = Option(args, "--tokens", 1000);
        int latencyMs = Option(args, "--latency-ms", 20);
        string ours = Path.Combine(RepoRoot(), "out", "Naova.WhatsAppToken", "Naova.WhatsAppToken.psd1");
        string minimal = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "minimal-module", "Naova.Minimal", "Naova.Minimal.psd1"));
        foreach (var manifest in new[] { ours, minimal })
            if (!File.Exists(manifest)) throw new FileNotFoundException("Build first: " + manifest);

        Console.WriteLine($"Naova.WhatsAppToken benchmark, {DateTimeOffset.Now:u}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {RuntimeDescription()}");
        Console.WriteLine();
        ImportBenchmark(ours, minimal, rounds);
        Console.WriteLine();
        await AuditBenchmark(ours, count, latencyMs);
        return 0;
    }

    // ---------------------------------------------------------------- (a) import

    private static void ImportBenchmark(string ours, string minimal, int rounds)
    {
        string warmer = WriteWarmerModule();
        var cold = new Dictionary<string, List<double>> { [ours] = new(), [minimal] = new() };
        var again = new Dictionary<string, List<double>> { [ours] = new(), [minimal] = new() };
        var warmed = new Dictionary<string, List<double>> { [ours] = new(), [minimal] = new() };
        var loadedBy = new Dictionary<string, string>();
        for (int i = 0; i < rounds; i++)
        {
            // Alternate the order, so neither module always runs on a machine the other just warmed (disk cache).
            foreach (string manifest in i % 2 == 0 ? new[] { minimal, ours } : new[] { ours, minimal })
            {
                var lines = RunChild("import-worker", new[] { manifest, "cold" }, null);
                var first = Numbers(lines);
                loadedBy[manifest] = lines.Single(l => l.StartsWith("LOADED", StringComparison.Ordinal)).Substring(6).Trim();
                cold[manifest].Add(first[0]);
                again[manifest].Add(first[1]);
                warmed[manifest].Add(Numbers(RunChild("import-worker", new[] { manifest, "warmed", warmer }, null))[0]);
            }
        }
        Console.WriteLine($"(a) Import-Module, median of {rounds} rounds; each figure from its own fresh process");
        Row("first import in a fresh process", cold, ours, minimal);
        Row("fresh process, import path warmed", warmed, ours, minimal);
        Row("again, same process, new runspace", again, ours, minimal);
        Console.WriteLine($"    samples, first import: ours {Samples(cold[ours])}; minimal {Samples(cold[minimal])}");
        // "No work at import": the engine and its dependencies (Refit, Polly, System.Text.Json) must not load until a cmdlet runs.
        var onlyOurs = loadedBy[ours].Split(' ').Except(loadedBy[minimal].Split(' ')).ToArray();
        var deferred = new[] { "Naova.WhatsAppToken.Engine", "Refit", "Polly.Core", "System.Text.Json" };
        Console.WriteLine($"    assemblies only our first import loaded: {string.Join(", ", onlyOurs)}; engine and dependencies loaded at import: " +
                          (onlyOurs.Intersect(deferred).Any() ? string.Join(", ", onlyOurs.Intersect(deferred)) : "none"));
    }

    private static void Row(string what, Dictionary<string, List<double>> figures, string ours, string minimal)
    {
        double a = Median(figures[ours]), b = Median(figures[minimal]);
        Console.WriteLine($"    {what,-36} Naova.WhatsAppToken {a,7:0.0} ms   minimal binary module {b,7:0.0} ms   ratio {a / b:0.00}x");
    }

    private static string Samples(IEnumerable<double> values) => string.Join(" ", values.Select(v => v.ToString("0", CultureInfo.InvariantCulture)));

    private static double[] Numbers(List<string> lines) =>
        lines.Single(l => l.StartsWith("IMPORT ", StringComparison.Ordinal)).Split(' ').Skip(1).Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>A throwaway script module: importing it first pays PowerShell's own first-import costs (manifest reading, module machinery).</summary>
    private static string WriteWarmerModule()
    {
        string folder = Path.Combine(Path.GetTempPath(), "naova-bench-warmer-" + Environment.ProcessId, "Warmer");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Warmer.psm1"), "function Get-Warm { 'warm' }\n");
        File.WriteAllText(Path.Combine(folder, "Warmer.psd1"), "@{ RootModule = 'Warmer.psm1'; ModuleVersion = '1.0'; GUID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'; FunctionsToExport = @('Get-Warm'); CmdletsToExport = @() }\n");
        return Path.Combine(folder, "Warmer.psd1");
    }

    /// <summary>
    /// In a fresh process. cold: time the first Import-Module of the process, then the same import in a second
    /// runspace. warmed: import a throwaway script module first, then time the import in a second, fresh runspace.
    /// </summary>
    private static int ImportWorker(string[] args)
    {
        string manifest = args[1];
        if (args.Length > 3 && args[2] == "warmed")
        {
            using (var first = OpenRunspace()) Invoke(first, $"Import-Module '{args[3]}' -ErrorAction Stop");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IMPORT {TimeImport(manifest):0.000}"));
            return 0;
        }
        var before = LoadedAssemblies();
        double cold = TimeImport(manifest);
        var loaded = LoadedAssemblies().Except(before).OrderBy(n => n, StringComparer.Ordinal);
        double again = TimeImport(manifest);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"IMPORT {cold:0.000} {again:0.000}"));
        Console.WriteLine("LOADED " + string.Join(" ", loaded));
        return 0;
    }

    /// <summary>Every assembly loaded in the process, in any load context: what an import pulled in.</summary>
    private static HashSet<string> LoadedAssemblies() =>
        System.Runtime.Loader.AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Select(a => a.GetName().Name ?? "?").ToHashSet(StringComparer.Ordinal);

    private static Runspace OpenRunspace()
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Invoke(runspace, "$null = 1"); // the engine is up before any clock starts: only the import is timed
        return runspace;
    }

    private static double TimeImport(string manifest)
    {
        using var runspace = OpenRunspace();
        var clock = Stopwatch.StartNew();
        Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop");
        clock.Stop();
        int commands = Invoke(runspace, $"(Get-Module '{Path.GetFileNameWithoutExtension(manifest)}').ExportedCommands.Count").Select(o => (int)o.BaseObject).Single();
        if (commands == 0) throw new InvalidOperationException("the module exported no command");
        return clock.Elapsed.TotalMilliseconds;
    }

    // ---------------------------------------------------------------- (b) audit

    private static async Task AuditBenchmark(string ours, int count, int latencyMs)
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions());
        var tokens = await BulkTokens.MakeAsync(emulator, count);
        var seed = emulator.Seed;
        var input = new List<string> { emulator.BaseUri.ToString(), seed.BusinessId, seed.AppId, seed.AdminUserToken, seed.AppSecret, count.ToString(CultureInfo.InvariantCulture) };
        input.AddRange(tokens);

        AuditFigures? audit = null;
        RunChild("audit-worker", new[] { ours }, writer =>
        {
            input.ForEach(writer.WriteLine);
            writer.Flush();
        }, (line, writer) =>
        {
            if (line == "READY")
            {
                emulator.ResetRequestLog();
                emulator.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
                writer.WriteLine("GO");
                writer.Flush();
            }
            else if (line.StartsWith("AUDIT ", StringComparison.Ordinal))
            {
                audit = JsonSerializer.Deserialize<AuditFigures>(line.Substring(6));
            }
        });
        if (audit == null) throw new InvalidOperationException("the audit worker gave no figures");
        int auditRequests = emulator.RequestCount;
        int batchRequests = emulator.Requests.Count(r => r.Method == "POST" && r.Path.TrimEnd('/').EndsWith(Version, StringComparison.Ordinal));

        emulator.ResetRequestLog();
        var (naiveMs, naiveValid) = await NaiveLoop(emulator, tokens);
        int naiveRequests = emulator.RequestCount;

        Console.WriteLine($"(b) Audit of {count} tokens, emulator latency {latencyMs} ms per request");
        Console.WriteLine($"    Test-WaToken      {auditRequests,5} requests ({batchRequests} batches + {auditRequests - batchRequests} other, Connect-WaBusiness included)   audit {audit.AuditMs,8:0} ms (+ connect {audit.ConnectMs:0} ms)   {audit.Reports} reports, {audit.Healthy} Healthy, input order kept: {audit.InOrder}");
        Console.WriteLine($"    naive loop        {naiveRequests,5} requests (one debug_token each)                              {naiveMs,8:0} ms   {naiveValid} valid");
        Console.WriteLine($"    speed-up          {naiveMs / audit.AuditMs:0.0}x (audit alone), {naiveMs / (audit.AuditMs + audit.ConnectMs):0.0}x (with the connect)");
        double auditMemory = Math.Max(audit.PeakWorkingSetMB - audit.BaselineWorkingSetMB, audit.PeakManagedMB);
        Console.WriteLine($"    memory of the audit: managed heap peak {audit.PeakManagedMB:0.0} MB (before it {audit.BaselineManagedMB:0.0} MB), {audit.AllocatedMB:0.0} MB allocated in all; " +
                          $"working set grew {audit.PeakWorkingSetMB - audit.BaselineWorkingSetMB:0.0} MB");
        Console.WriteLine($"    whole audit process (working set): PowerShell engine alone {audit.EngineWorkingSetMB:0.0} MB, with the module imported and connected {audit.BaselineWorkingSetMB:0.0} MB, " +
                          $"peak during the audit {audit.PeakWorkingSetMB:0.0} MB, lifetime peak {audit.ProcessPeakWorkingSetMB:0.0} MB");
        // 20 batches, and Connect-WaBusiness's check: the business, the app and the admin token (3 reads).
        Console.WriteLine($"    targets: requests <= 23: {Verdict(auditRequests <= 23)}; >= 15x faster: {Verdict(naiveMs / audit.AuditMs >= 15)}; " +
                          $"audit memory < 100 MB: {Verdict(auditMemory < 100)} ({auditMemory:0.0} MB); whole process < 100 MB: {Verdict(audit.ProcessPeakWorkingSetMB < 100)}");
    }

    private static string Verdict(bool met) => met ? "met" : "NOT MET";

    /// <summary>What a script does without batches: one debug_token request per token, one after the other.</summary>
    private static async Task<(double Ms, int Valid)> NaiveLoop(GraphEmulator emulator, IReadOnlyList<string> tokens)
    {
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        string app = emulator.Seed.AppId + "|" + emulator.Seed.AppSecret;
        int valid = 0;
        var clock = Stopwatch.StartNew();
        foreach (string token in tokens)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Version + "/debug_token")
            {
                Content = new FormUrlEncodedContent(new[] { new KeyValuePair<string, string>("input_token", token) }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app);
            using var response = await http.SendAsync(request);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (doc.RootElement.GetProperty("data").GetProperty("is_valid").GetBoolean()) valid++;
        }
        clock.Stop();
        return (clock.Elapsed.TotalMilliseconds, valid);
    }

    /// <summary>In a fresh process: import, wait for GO, connect, then time `$tokens | Test-WaToken` and watch memory.</summary>
    private static int AuditWorker(string manifest)
    {
        var stdin = Console.In;
        var uri = new Uri(stdin.ReadLine()!);
        string business = stdin.ReadLine()!, app = stdin.ReadLine()!;
        var admin = Secure(stdin.ReadLine()!);
        var secret = Secure(stdin.ReadLine()!);
        int count = int.Parse(stdin.ReadLine()!, CultureInfo.InvariantCulture);
        var fingerprints = new string[count];
        var tokens = new SecureString[count];
        for (int i = 0; i < count; i++)
        {
            string text = stdin.ReadLine()!;
            fingerprints[i] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant().Substring(0, 12);
            tokens[i] = Secure(text);
        }

        using var runspace = OpenRunspace();
        double engineWs = WorkingSetMB();
        Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop");
        foreach (var (name, value) in new (string, object)[] { ("biz", business), ("app", app), ("admin", admin), ("secret", secret), ("uri", uri), ("tokens", tokens) })
            runspace.SessionStateProxy.SetVariable(name, value);
        Console.WriteLine("READY");
        if (stdin.ReadLine() != "GO") return 3;

        var connect = Stopwatch.StartNew();
        Invoke(runspace, "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri");
        connect.Stop();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long baselineWs = process.WorkingSet64, baselineHeap = GC.GetTotalMemory(false), allocatedBefore = GC.GetTotalAllocatedBytes(true);
        long peakWs = baselineWs, peakHeap = baselineHeap;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peakWs = Math.Max(peakWs, self.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                Thread.Sleep(2);
            }
        });

        var audit = Stopwatch.StartNew();
        var reports = Invoke(runspace, "$tokens | Test-WaToken");
        audit.Stop();
        stop.Cancel();
        sampler.Wait();
        long allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
        process.Refresh();

        var seen = reports.Select(r => r.Properties["Fingerprint"].Value.ToString()).ToArray();
        var figures = new AuditFigures
        {
            AuditMs = audit.Elapsed.TotalMilliseconds,
            ConnectMs = connect.Elapsed.TotalMilliseconds,
            Reports = reports.Count,
            Healthy = reports.Count(r => r.Properties["Status"].Value.ToString() == "Healthy"),
            InOrder = seen.SequenceEqual(fingerprints),
            EngineWorkingSetMB = engineWs,
            BaselineWorkingSetMB = baselineWs / 1048576.0,
            PeakWorkingSetMB = peakWs / 1048576.0,
            ProcessPeakWorkingSetMB = process.PeakWorkingSet64 / 1048576.0,
            BaselineManagedMB = baselineHeap / 1048576.0,
            PeakManagedMB = peakHeap / 1048576.0,
            AllocatedMB = allocated / 1048576.0,
        };
        Console.WriteLine("AUDIT " + JsonSerializer.Serialize(figures));
        return 0;
    }

    public sealed class AuditFigures
    {
        public double AuditMs { get; set; }
        public double ConnectMs { get; set; }
        public int Reports { get; set; }
        public int Healthy { get; set; }
        public bool InOrder { get; set; }
        public double EngineWorkingSetMB { get; set; }
        public double BaselineWorkingSetMB { get; set; }
        public double PeakWorkingSetMB { get; set; }
        public double ProcessPeakWorkingSetMB { get; set; }
        public double BaselineManagedMB { get; set; }
        public double PeakManagedMB { get; set; }
        public double AllocatedMB { get; set; }
    }

    // ---------------------------------------------------------------- plumbing

    private static IReadOnlyList<PSObject> Invoke(Runspace runspace, string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var output = ps.AddScript(script).Invoke();
        if (ps.HadErrors)
            throw new InvalidOperationException(script + ": " + string.Join(" | ", ps.Streams.Error.Select(e => e.ErrorDetails?.Message ?? e.Exception.Message)));
        return output;
    }

    /// <summary>Runs this program again in a fresh process, in worker mode; answers its output lines.</summary>
    private static List<string> RunChild(string mode, string[] arguments, Action<StreamWriter>? feed, Action<string, StreamWriter>? onLine = null)
    {
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet Naova.WhatsAppToken.Benchmarks.dll` the process is dotnet itself: name the assembly.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add(mode);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        feed?.Invoke(child.StandardInput);
        var lines = new List<string>();
        string? line;
        while ((line = child.StandardOutput.ReadLine()) != null)
        {
            lines.Add(line);
            onLine?.Invoke(line, child.StandardInput);
        }
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{mode} failed ({child.ExitCode}): {errors.Result}");
        return lines;
    }

    private static double WorkingSetMB()
    {
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / 1048576.0;
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NaovaPs.sln"))) return dir.FullName;
        throw new InvalidOperationException("NaovaPs.sln not found above " + AppContext.BaseDirectory);
    }

    private static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;
}
