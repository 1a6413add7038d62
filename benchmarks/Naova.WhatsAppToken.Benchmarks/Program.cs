using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Benchmarks;

/// <summary>
/// dotnet run -c Release --project benchmarks/Naova.WhatsAppToken.Benchmarks [-- --rounds 7 --latency-ms 20 --sizes 100,1000,5000]
///
/// Everything runs in real pwsh 7.6.10 (the repository's tool manifest), or in each pwsh named by --pwsh (repeatable;
/// `tool` names the manifest's), one fresh process per sample, against the emulator this process hosts on 127.0.0.1.
/// With several, each round runs every scenario in each of them in turn (first in every other round), and each gets its
/// own tables. Each round runs every scenario once, side by side, so the machine's load
/// falls on all of them alike; every figure is the median of the rounds, with the smallest and largest sample.
///  (a) Import-Module: this module, the real Microsoft.PowerShell.SecretManagement (../shared/psmodules) and a one-cmdlet
///      binary module; first import of a fresh process, and again after PowerShell's module machinery was warmed.
///  (b) First call: Import + Connect-WaBusiness + Get-WaSystemUser, against a script making the same two calls with
///      Invoke-RestMethod; timed inside the process from its first statement, and as the whole process from outside.
///  (c) Audit: `$tokens | Test-WaToken` (ThrottleLimit 4) with the emulator's latency on every request, at each size,
///      against its floor: ceil(ceil(N/50)/4) waves of one latency each.
///  (d) Connections: TCP connections the emulator accepted for one session (connect, the doc's pipeline, 20 more
///      commands) and for the Invoke-RestMethod peer with a web session, and for each audit.
/// Memory is the pwsh process's peak working set.
/// </summary>
public static class Program
{
    private const int ThrottleLimit = 4;
    // The pwsh the samples run in now: one of --pwsh's, in turn.
    private static string _pwsh = "";
    private static string _pwshVersion = "";
    private static string _pwshRuntime = "";
    private static string _scripts = "";
    private static bool _timeline;

    public static async Task<int> Main(string[] args)
    {
        int rounds = Option(args, "--rounds", 7);
        // --timeline: when each audit request arrived at the emulator and was handled (on stderr), to see the waves.
        _timeline = args.Contains("--timeline");
        int latencyMs = Option(args, "--latency-ms", 20);
        // --only import,first,audit: a subset while working on one figure (the README's table is from a full run).
        var only = (OptionText(args, "--only") ?? "import,first,audit").Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase);
        int[] sizes = (OptionText(args, "--sizes") ?? "100,1000,5000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string root = RepoRoot();
        string ours = Path.Combine(root, "out", "Naova.WhatsAppToken", "Naova.WhatsAppToken.psd1");
        string minimal = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "minimal-module", "Naova.Minimal", "Naova.Minimal.psd1"));
        string? secretManagement = FindSecretManagement(root);
        // --baseline <psd1>: another build of this module (a checkout before a change), audited side by side with this one.
        string? baseline = OptionText(args, "--baseline") is { } other ? Path.GetFullPath(other) : null;
        foreach (var manifest in new[] { ours, minimal })
            if (!File.Exists(manifest)) throw new FileNotFoundException("Build first: " + manifest);
        _scripts = Path.Combine(AppContext.BaseDirectory, "scripts");
        // --pwsh <path>: another pwsh than the tool manifest's (an installed one, one whose assemblies were precompiled, or
        // tests/hosts/Pwsh74's 7.4); given more than once, each of them, side by side (`tool`: the manifest's).
        var named = OptionTexts(args, "--pwsh");
        var pwshes = (named.Count == 0 ? new List<string?> { null } : named.Select(n => n == "tool" ? null : n).ToList())
            .Select(n => FindPwsh(root, n)).ToArray();

        Console.WriteLine($"Naova.WhatsAppToken benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {string.Join(" and ", pwshes.Select(p => $"pwsh {p.Version} ({p.Path}) on {p.Runtime}"))}, .NET {Environment.Version}, " +
                          $"{Environment.ProcessorCount} cores, load average {LoadAverage()}, {rounds} rounds, latency {latencyMs} ms");
        Console.WriteLine(secretManagement == null ? "Microsoft.PowerShell.SecretManagement: not found, its column is left out" : "Microsoft.PowerShell.SecretManagement: " + secretManagement);

        await using var callEmulator = await GraphEmulator.StartAsync(new EmulatorOptions());
        await using var auditEmulator = await GraphEmulator.StartAsync(new EmulatorOptions());
        var fleet = await BulkTokens.MakeAsync(auditEmulator, sizes.Max());
        string tokenFile = Path.Combine(Path.GetTempPath(), $"naova-bench-{Environment.ProcessId}.tokens");
        File.WriteAllLines(tokenFile, fleet);
        string warmer = WriteWarmerModule();
        var all = pwshes.Select(_ => new Figures()).ToArray();
        try
        {
            for (int i = 0; i < pwshes.Length; i++)
            {
                Use(pwshes[i]);
                Connections(all[i], ours, callEmulator);
            }
            for (int round = 0; round < rounds; round++)
            {
                bool flip = round % 2 == 1; // alternate who goes first, so neither always runs on a machine the other just warmed
                foreach (int i in flip ? Enumerable.Range(0, pwshes.Length).Reverse() : Enumerable.Range(0, pwshes.Length))
                {
                    Use(pwshes[i]);
                    Round(all[i], flip);
                }
                Console.Error.WriteLine($"round {round + 1}/{rounds} done, load average {LoadAverage()}");
            }
        }
        finally
        {
            File.Delete(tokenFile);
        }
        for (int i = 0; i < pwshes.Length; i++)
        {
            Use(pwshes[i]);
            Report(all[i], sizes, latencyMs, rounds, secretManagement != null, args);
        }
        return 0;

        // One round of every scenario in the pwsh in use.
        void Round(Figures figures, bool flip)
        {
            foreach (var (name, manifest) in Ordered(flip, ("ours", ours), ("sm", secretManagement), ("minimal", minimal)))
            {
                if (manifest == null || !only.Contains("import")) continue;
                figures.Add("import.cold." + name, Import(manifest, null).Ms);
                if (name != "minimal") figures.Add("import.warm." + name, Import(manifest, warmer).Ms);
            }
            foreach (var (name, script) in Ordered(flip, ("ours", "firstcall-module.ps1"), ("irm", "firstcall-irm.ps1")))
            {
                if (!only.Contains("first")) continue;
                var first = FirstCall(script!, ours, callEmulator);
                figures.Add("first.inside." + name, first.InsideMs);
                figures.Add("first.process." + name, first.ProcessMs);
                figures.Add("first.jit." + name, first.JitMethods);
                figures.Add("first.peak." + name, first.PeakMB);
            }
            foreach (int n in flip ? sizes.Reverse() : sizes)
            {
                if (!only.Contains("audit")) continue;
                // --baseline: another build of the module (a checkout before a change), in the same round, first in
                // every other round: a change's effect as a ratio measured side by side.
                AuditRun? baselineRun = baseline != null && flip ? Audit(baseline, auditEmulator, tokenFile, fleet, n, latencyMs) : null;
                var audit = Audit(ours, auditEmulator, tokenFile, fleet, n, latencyMs);
                if (baseline != null && !flip) baselineRun = Audit(baseline, auditEmulator, tokenFile, fleet, n, latencyMs);
                if (baselineRun != null)
                {
                    figures.Add($"audit.{n}.baseline.ms", baselineRun.Ms);
                    figures.Add($"audit.{n}.vsbaseline", audit.Ms / baselineRun.Ms);
                    figures.Add($"audit.{n}.baseline.alloc", baselineRun.AllocatedBytes / n);
                    figures.Add($"audit.{n}.baseline.gcpause", baselineRun.GcPauseMs);
                }
                figures.Add($"audit.{n}.alloc", audit.AllocatedBytes / n);
                figures.Add($"audit.{n}.gcpause", audit.GcPauseMs);
                figures.Add($"audit.{n}.jit.methods", audit.JitMethods);
                figures.Add($"audit.{n}.jit.ms", audit.JitMs);
                figures.Add($"audit.{n}.start", audit.StartMs);
                figures.Add($"audit.{n}.waves", audit.WavesMs);
                for (int g = 0; g < audit.Collections.Length; g++) figures.Add($"audit.{n}.gen{g}", audit.Collections[g]);
                figures.Add($"audit.{n}.ms", audit.Ms);
                figures.Add($"audit.{n}.peak", audit.PeakMB);
                figures.Add($"audit.{n}.requests", audit.Requests);
                figures.Add($"audit.{n}.connections", audit.Connections);
                figures.Add($"audit.{n}.serving", audit.ServingMs);
                figures.Add($"audit.{n}.cpu.emulator", audit.EmulatorCpuMs);
                foreach (var (kind, ms) in audit.ClientCpu) figures.Add($"audit.{n}.cpu.client.{kind}", ms);
            }
        }
    }

    private static void Use((string Path, string Version, string Runtime) pwsh) => (_pwsh, _pwshVersion, _pwshRuntime) = pwsh;

    // ---------------------------------------------------------------- scenarios

    private static (double Ms, string Loaded) Import(string manifest, string? warmer)
    {
        var args = new List<string> { "-Module", manifest };
        if (warmer != null) args.AddRange(new[] { "-Warmer", warmer });
        var line = Run("import.ps1", args, null).Lines.Single(l => l.StartsWith("IMPORT ", StringComparison.Ordinal)).Split(' ');
        return (Number(line[1]), line.Length > 2 ? line[2] : "");
    }

    private static (double InsideMs, double ProcessMs, double JitMethods, double PeakMB) FirstCall(string script, string ours, GraphEmulator emulator)
    {
        var run = Run(script, new[] { "-Module", ours, "-Uri", emulator.BaseUri.ToString() }, emulator);
        var line = run.Lines.Single(l => l.StartsWith("FIRST ", StringComparison.Ordinal)).Split(' ');
        if (line[4] == "0") throw new InvalidOperationException(script + " listed no system user");
        return (Number(line[1]), run.WallMs, Number(line[2]), Number(line[3]) / 1048576.0);
    }

    private static void Connections(Figures figures, string ours, GraphEmulator emulator)
    {
        foreach (var (name, script) in new[] { ("ours", "session-module.ps1"), ("irm", "session-irm.ps1") })
        {
            int connections = emulator.AcceptedConnections, requests = emulator.RequestCount;
            Run(script, new[] { "-Module", ours, "-Uri", emulator.BaseUri.ToString(), "-Waba", emulator.Seed.WabaId }, emulator);
            figures.Add("session.connections." + name, emulator.AcceptedConnections - connections);
            figures.Add("session.requests." + name, emulator.RequestCount - requests);
        }
    }

    /// <summary>One audit: its wall time and peak, what the emulator saw and spent, and the pwsh's CPU by thread kind.</summary>
    private sealed record AuditRun(double Ms, double PeakMB, int Requests, int Connections, double ServingMs, double EmulatorCpuMs, Dictionary<string, double> ClientCpu,
        double AllocatedBytes, double GcPauseMs, int[] Collections, double JitMethods, double JitMs, double StartMs, double WavesMs);

    private static AuditRun Audit(string ours, GraphEmulator emulator, string tokenFile, IReadOnlyList<string> fleet, int n, int latencyMs)
    {
        string file = tokenFile + "." + n;
        if (!File.Exists(file)) File.WriteAllLines(file, fleet.Take(n));
        int requests = 0, connections = 0, logged = 0;
        TimeSpan serving = TimeSpan.Zero, cpuAtGo = TimeSpan.Zero, emulatorCpu = TimeSpan.Zero;
        Dictionary<string, double> threads = new(), threadsBefore = new();
        var run = Run("audit.ps1", new[] { "-Module", ours, "-Uri", emulator.BaseUri.ToString(), "-TokenFile", file, "-ThrottleLimit", ThrottleLimit.ToString(CultureInfo.InvariantCulture) }, emulator, (line, stdin, pid) =>
        {
            if (line == "MEASURED")
            {
                // The audit is over and its process waits: the CPU each side spent on it, the client's by thread.
                emulatorCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtGo;
                threads = ThreadCpu(pid);
                foreach (var (kind, ms) in threadsBefore) threads[kind] = threads.GetValueOrDefault(kind) - ms;
                stdin.WriteLine("GO");
                stdin.Flush();
                return;
            }
            if (line != "READY") return;
            threadsBefore = ThreadCpu(pid);
            requests = emulator.RequestCount;
            connections = emulator.AcceptedConnections;
            serving = emulator.ServingTime;
            logged = emulator.Requests.Count;
            cpuAtGo = Process.GetCurrentProcess().TotalProcessorTime;
            emulator.Faults.Latency = TimeSpan.FromMilliseconds(latencyMs);
            stdin.WriteLine("GO");
            stdin.Flush();
        });
        emulator.Faults.Latency = TimeSpan.Zero;
        File.Delete(file);
        var seenByEmulator = emulator.Requests.Skip(logged).ToArray();
        var json = JsonDocument.Parse(run.Lines.Single(l => l.StartsWith("AUDIT ", StringComparison.Ordinal)).Substring(6)).RootElement;
        // The audit's fixed start (from its clock's start in pwsh until its first request reached the emulator) and what
        // follows it (from there until the emulator answered its last request): the part a floor of waves describes. Both
        // processes read the machine's one monotonic clock (Stopwatch ticks), so their timestamps compare.
        long startedAt = json.GetProperty("StartedAt").GetInt64();
        double FromStart(long ticks) => (ticks - startedAt) * 1000.0 / Stopwatch.Frequency;
        double firstArrived = FromStart(seenByEmulator.Min(r => r.ArrivedAt)), lastHandled = FromStart(seenByEmulator.Max(r => r.HandledAt));
        if (_timeline) Timeline(n, startedAt, seenByEmulator);
        var seen = json.GetProperty("Fingerprints").GetString()!.Split(',');
        var expected = fleet.Take(n).Select(Fingerprint).ToArray();
        if (!seen.SequenceEqual(expected)) throw new InvalidOperationException($"the audit of {n} tokens lost the input order or a report");
        if (json.GetProperty("Healthy").GetInt32() != n) throw new InvalidOperationException($"the audit of {n} tokens found {json.GetProperty("Healthy").GetInt32()} healthy");
        return new AuditRun(json.GetProperty("Ms").GetDouble(), json.GetProperty("PeakWorkingSetMB").GetDouble(), emulator.RequestCount - requests, emulator.AcceptedConnections - connections,
            (emulator.ServingTime - serving).TotalMilliseconds, emulatorCpu.TotalMilliseconds, threads,
            json.GetProperty("AllocatedBytes").GetDouble(), json.GetProperty("GcPauseMs").GetDouble(), json.GetProperty("Collections").EnumerateArray().Select(c => c.GetInt32()).ToArray(),
            json.GetProperty("JitMethods").GetDouble(), json.GetProperty("JitMs").GetDouble(), firstArrived, lastHandled - firstArrived);
    }

    /// <summary>CPU milliseconds of a process's threads by kind (pipeline, threadpool, tieredjit, gc, other), from /proc; empty elsewhere.</summary>
    private static Dictionary<string, double> ThreadCpu(int pid)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux()) return result;
        const double MsPerTick = 10; // USER_HZ is 100 on Linux
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                string comm = stat.Substring(open + 1, close - open - 1);
                string kind = comm.StartsWith("Pipeline", StringComparison.Ordinal) ? "pipeline" :
                    comm.StartsWith(".NET TP", StringComparison.Ordinal) || comm.StartsWith(".NET Sockets", StringComparison.Ordinal) ? "threadpool" :
                    comm.StartsWith(".NET Tiered", StringComparison.Ordinal) ? "tieredjit" :
                    comm.Contains("GC", StringComparison.Ordinal) ? "gc" : "other";
                string[] fields = stat.Substring(close + 2).Split(' ');
                result[kind] = result.GetValueOrDefault(kind) +
                               (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * MsPerTick;
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return result;
    }

    // When each audit request arrived and was handled, in ms from the audit clock's start, and the gap each one's slot predecessor
    // (ThrottleLimit requests before) left between being handled and this one's arrival.
    private static void Timeline(int n, long startedAt, RecordedRequest[] requests)
    {
        requests = requests.OrderBy(r => r.ArrivedAt).ToArray();
        double Ms(long ticks) => (ticks - startedAt) * 1000.0 / Stopwatch.Frequency;
        Console.Error.WriteLine($"timeline N={n}: arrived, handled (ms from the audit clock's start in pwsh); gap = arrival - handled of the request {ThrottleLimit} before");
        for (int i = 0; i < requests.Length; i++)
        {
            string gap = i >= ThrottleLimit ? $"{Ms(requests[i].ArrivedAt) - Ms(requests[i - ThrottleLimit].HandledAt),6:0.0}" : "     -";
            Console.Error.WriteLine($"  {i,3} {Ms(requests[i].ArrivedAt),7:0.0} {Ms(requests[i].HandledAt),7:0.0} gap {gap}");
        }
    }

    // ---------------------------------------------------------------- report

    private static void Report(Figures f, int[] sizes, int latencyMs, int rounds, bool haveSm, string[] args)
    {
        string command = "dotnet run -c Release --project benchmarks/Naova.WhatsAppToken.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(" ", args) : "");
        Console.WriteLine();
        Console.WriteLine($"`{command}`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()} (2 cores shared), pwsh {_pwshVersion} on {_pwshRuntime}, a fresh process per sample, " +
                          $"{rounds} rounds interleaved; median [min-max]:");
        Console.WriteLine();
        Console.WriteLine("| Import-Module | Naova.WhatsAppToken | " + (haveSm ? "Microsoft.PowerShell.SecretManagement 1.1.2 | ratio |" : "") + " one-cmdlet binary module |");
        Console.WriteLine("|---|---|" + (haveSm ? "---|---|" : "") + "---|");
        Console.WriteLine($"| first import in a fresh process | {f.Show("import.cold.ours", "ms")} | " + (haveSm ? $"{f.Show("import.cold.sm", "ms")} | {f.Ratio("import.cold.ours", "import.cold.sm")} |" : "") + $" {f.Show("import.cold.minimal", "ms")} |");
        Console.WriteLine($"| fresh process, module machinery warmed | {f.Show("import.warm.ours", "ms")} | " + (haveSm ? $"{f.Show("import.warm.sm", "ms")} | {f.Ratio("import.warm.ours", "import.warm.sm")} |" : "") + " |");
        Console.WriteLine();
        Console.WriteLine("| first call: Import + Connect + first Graph call | Naova.WhatsAppToken | Invoke-RestMethod script, the same five Graph calls | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| inside the process, from its first statement | {f.Show("first.inside.ours", "ms")} | {f.Show("first.inside.irm", "ms")} | {f.Ratio("first.inside.ours", "first.inside.irm")} |");
        Console.WriteLine($"| the whole pwsh process, start to exit | {f.Show("first.process.ours", "ms")} | {f.Show("first.process.irm", "ms")} | {f.Ratio("first.process.ours", "first.process.irm")} |");
        Console.WriteLine($"| methods JIT-compiled in the process | {f.Show("first.jit.ours", "")} | {f.Show("first.jit.irm", "")} | {f.Ratio("first.jit.ours", "first.jit.irm")} |");
        Console.WriteLine($"| peak working set | {f.Show("first.peak.ours", "MB")} | {f.Show("first.peak.irm", "MB")} | |");
        Console.WriteLine();
        Console.WriteLine($"| audit, `$tokens \\| Test-WaToken`, {latencyMs} ms per request, ThrottleLimit {ThrottleLimit} | wall time | floor | ratio to floor | the emulator's own serving time (summed over requests) | requests | TCP connections opened (besides Connect's) | peak working set |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (int n in sizes)
        {
            if (!f.Has($"audit.{n}.ms")) continue;
            int batches = Batches(n);
            double floor = Waves(n) * latencyMs;
            var times = f[$"audit.{n}.ms"];
            Console.WriteLine($"| N = {n:N0} | {f.Show($"audit.{n}.ms", "ms")} | {floor:0} ms ({batches} batches, {Waves(n):0} waves) | " +
                              (floor > 0 ? $"{Median(times) / floor:0.00}x [{times.Min() / floor:0.00}-{times.Max() / floor:0.00}]" : "- (no latency)") + $" | {f.Show($"audit.{n}.serving", "ms")} | {Median(f[$"audit.{n}.requests"]):0} | {Median(f[$"audit.{n}.connections"]):0} | {f.Show($"audit.{n}.peak", "MB")} |");
        }
        Console.WriteLine();
        if (sizes.Any(n => f.Has($"audit.{n}.baseline.ms")))
        {
            Console.WriteLine($"| audit, this build against --baseline {OptionText(args, "--baseline")} | this build | baseline | ratio, this build / baseline |");
            Console.WriteLine("|---|---|---|---|");
            foreach (int n in sizes.Where(n => f.Has($"audit.{n}.baseline.ms")))
                Console.WriteLine($"| N = {n:N0} | {f.Show($"audit.{n}.ms", "ms")} | {f.Show($"audit.{n}.baseline.ms", "ms")} | {Median(f[$"audit.{n}.vsbaseline"]):0.00}x [{f[$"audit.{n}.vsbaseline"].Min():0.00}-{f[$"audit.{n}.vsbaseline"].Max():0.00}] |");
            Console.WriteLine();
        }
        Console.WriteLine("| the garbage collector during the audit | allocated per token | collections, gen0 / gen1 / gen2 | pauses, summed | baseline: allocated per token | baseline: pauses |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int n in sizes)
        {
            if (!f.Has($"audit.{n}.alloc")) continue;
            string Gen(int g) => $"{Median(f[$"audit.{n}.gen{g}"]):0}";
            string Base(string what, string unit) => f.Has($"audit.{n}.baseline.{what}") ? f.Show($"audit.{n}.baseline.{what}", unit) : "-";
            Console.WriteLine($"| N = {n:N0} | {f.Show($"audit.{n}.alloc", "bytes")} | {Gen(0)} / {Gen(1)} / {Gen(2)} | {f.Show($"audit.{n}.gcpause", "ms")} | {Base("alloc", "bytes")} | {Base("gcpause", "ms")} |");
        }
        Console.WriteLine();
        Console.WriteLine($"| the audit's time, split | from its clock's start to its first request at the emulator | from there to the emulator's last answer | that, per wave (latency {latencyMs} ms) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (int n in sizes.Where(n => f.Has($"audit.{n}.start")))
        {
            var each = f[$"audit.{n}.waves"].Select(w => w / Waves(n)).ToArray();
            Console.WriteLine($"| N = {n:N0} | {f.Show($"audit.{n}.start", "ms")} | {f.Show($"audit.{n}.waves", "ms")} | {Median(each):0.0} ms [{each.Min():0.0}-{each.Max():0.0}] |");
        }
        Console.WriteLine();
        Console.WriteLine("| the JIT during the audit (all threads) | methods compiled | time compiling |");
        Console.WriteLine("|---|---|---|");
        foreach (int n in sizes.Where(n => f.Has($"audit.{n}.jit.ms")))
            Console.WriteLine($"| N = {n:N0} | {f.Show($"audit.{n}.jit.methods", "")} | {f.Show($"audit.{n}.jit.ms", "ms")} |");
        Console.WriteLine();
        Console.WriteLine("| CPU time during the audit | pwsh: pipeline thread | pwsh: thread pool | pwsh: tiered JIT | pwsh: other threads | the emulator's process |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (int n in sizes)
        {
            if (!f.Has($"audit.{n}.cpu.emulator")) continue;
            string Cpu(string kind) => f.Has($"audit.{n}.cpu.client.{kind}") ? f.Show($"audit.{n}.cpu.client.{kind}", "ms") : "-";
            Console.WriteLine($"| N = {n:N0} | {Cpu("pipeline")} | {Cpu("threadpool")} | {Cpu("tieredjit")} | {Cpu("other")} | {f.Show($"audit.{n}.cpu.emulator", "ms")} |");
        }
        Console.WriteLine();
        Console.WriteLine("| one session's TCP connections | Naova.WhatsAppToken (connect, the doc's pipeline, 20 more commands) | Invoke-RestMethod, one web session (22 calls) |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| accepted by the emulator | {Median(f["session.connections.ours"]):0} ({Median(f["session.requests.ours"]):0} requests) | {Median(f["session.connections.irm"]):0} ({Median(f["session.requests.irm"]):0} requests) |");
        Console.WriteLine();
        Console.WriteLine("Samples:");
        foreach (var (key, values) in f.All) Console.WriteLine($"  {key}: {string.Join(" ", values.Select(v => v.ToString("0.#", CultureInfo.InvariantCulture)))}");
    }

    private sealed class Figures
    {
        private readonly SortedDictionary<string, List<double>> _values = new(StringComparer.Ordinal);

        public void Add(string key, double value)
        {
            if (!_values.TryGetValue(key, out var list)) _values[key] = list = new List<double>();
            list.Add(value);
        }

        public List<double> this[string key] => _values[key];

        public bool Has(string key) => _values.ContainsKey(key);

        public IEnumerable<(string, List<double>)> All => _values.Select(kv => (kv.Key, kv.Value));

        public string Show(string key, string unit)
        {
            if (!_values.TryGetValue(key, out var v)) return "-";
            string u = unit.Length > 0 ? " " + unit : "";
            string format = unit == "" ? "0" : "0.0";
            return $"{Median(v).ToString(format, CultureInfo.InvariantCulture)}{u} [{v.Min().ToString(format, CultureInfo.InvariantCulture)}-{v.Max().ToString(format, CultureInfo.InvariantCulture)}]";
        }

        // The ratio of medians, and the range of the ratios measured side by side in each round.
        public string Ratio(string a, string b)
        {
            if (!_values.TryGetValue(a, out var x) || !_values.TryGetValue(b, out var y)) return "-";
            var each = x.Zip(y, (p, q) => p / q).ToArray();
            return $"{Median(x) / Median(y):0.00}x [{each.Min():0.00}-{each.Max():0.00}]";
        }
    }

    // ---------------------------------------------------------------- plumbing

    private sealed record ChildRun(List<string> Lines, double WallMs);

    /// <summary>Runs a script in a fresh pwsh; the emulator's demo secrets ride in its environment, never on a command line.</summary>
    private static ChildRun Run(string script, IEnumerable<string> arguments, GraphEmulator? emulator, Action<string, StreamWriter, int>? onLine = null)
    {
        var start = new ProcessStartInfo(_pwsh)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(_scripts, script) }.Concat(arguments)) start.ArgumentList.Add(a);
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        if (emulator != null)
        {
            start.Environment["NAOVA_BENCH_ADMIN"] = emulator.Seed.AdminUserToken;
            start.Environment["NAOVA_BENCH_SECRET"] = emulator.Seed.AppSecret;
            start.Environment["NAOVA_BENCH_BUSINESS"] = emulator.Seed.BusinessId;
            start.Environment["NAOVA_BENCH_APP"] = emulator.Seed.AppId;
        }
        // NAOVA_BENCH_AUDIT_ENV="DOTNET_X=1;DOTNET_Y=2": more environment for the audits' pwsh only (a JIT log, a profiler).
        if (script == "audit.ps1" && Environment.GetEnvironmentVariable("NAOVA_BENCH_AUDIT_ENV") is { } extra)
            foreach (string[] pair in extra.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
                start.Environment[pair[0]] = pair.Length > 1 ? pair[1] : "";
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        string? line;
        while ((line = child.StandardOutput.ReadLine()) != null)
        {
            lines.Add(line);
            onLine?.Invoke(line, child.StandardInput, child.Id);
        }
        child.WaitForExit();
        clock.Stop();
        if (child.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({child.ExitCode}): {errors.Result}");
        return new ChildRun(lines, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// pwsh as the repository's tool manifest gives it (`dotnet tool run pwsh`), or the one named, then started directly
    /// for each sample.
    /// </summary>
    private static (string Path, string Version, string Runtime) FindPwsh(string root, string? named)
    {
        string? path = named == null ? null : Path.GetFullPath(named);
        var start = new ProcessStartInfo(path ?? "dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The manifest's pwsh says where it is, its version and .NET; a named one, only the last two (its path is the one given).
        string probeCommand = (path == null ? "(Get-Command pwsh).Source; " : "") + "$PSVersionTable.PSVersion.ToString(); [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription";
        if (path == null)
        {
            start.ArgumentList.Add("tool");
            start.ArgumentList.Add("run");
            start.ArgumentList.Add("pwsh");
        }
        foreach (string a in new[] { "-NoProfile", "-NonInteractive", "-Command", probeCommand })
            start.ArgumentList.Add(a);
        using var probe = Process.Start(start)!;
        var lines = probe.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        probe.WaitForExit();
        if (probe.ExitCode != 0 || lines.Length < (path == null ? 3 : 2)) throw new InvalidOperationException((path == null ? "pwsh from the tool manifest did not start: run `dotnet tool restore` first. " : path + " did not start. ") + probe.StandardError.ReadToEnd());
        return path == null ? (lines[0], lines[1], lines[2]) : (path, lines[0], lines[1]);
    }

    private static string? FindSecretManagement(string root)
    {
        string folder = Path.Combine(root, "..", "shared", "psmodules", "Microsoft.PowerShell.SecretManagement");
        if (!Directory.Exists(folder)) return null;
        return Directory.GetFiles(folder, "Microsoft.PowerShell.SecretManagement.psd1", SearchOption.AllDirectories).Select(Path.GetFullPath).OrderBy(p => p, StringComparer.Ordinal).LastOrDefault();
    }

    /// <summary>A throwaway script module: importing it first pays PowerShell's own first-import costs.</summary>
    private static string WriteWarmerModule()
    {
        string folder = Path.Combine(Path.GetTempPath(), "naova-bench-warmer-" + Environment.ProcessId, "Warmer");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Warmer.psm1"), "function Get-Warm { 'warm' }\n");
        File.WriteAllText(Path.Combine(folder, "Warmer.psd1"), "@{ RootModule = 'Warmer.psm1'; ModuleVersion = '1.0'; GUID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'; FunctionsToExport = @('Get-Warm'); CmdletsToExport = @() }\n");
        return Path.Combine(folder, "Warmer.psd1");
    }

    private static IEnumerable<(string, string?)> Ordered(bool flip, params (string, string?)[] items) => flip ? items.Reverse() : items;

    // An audit of n tokens: batches of 50, at most ThrottleLimit at once, so its floor is one latency per wave.
    private static int Batches(int n) => (n + 49) / 50;

    private static double Waves(int n) => Math.Ceiling(Batches(n) / (double)ThrottleLimit);

    private static string Fingerprint(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant().Substring(0, 12);

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is string text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static List<string> OptionTexts(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();

    private static string? OptionText(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NaovaPs.sln"))) return dir.FullName;
        throw new InvalidOperationException("NaovaPs.sln not found above " + AppContext.BaseDirectory);
    }
}
