# One audit in a fresh pwsh: import, connect, then (after GO on stdin) time `$tokens | Test-WaToken`.
# Prints READY; after the audit MEASURED, and waits for a line (the benchmark reads this process's threads' CPU times
# meanwhile); then one line: AUDIT <json>. Secrets come from the environment (the emulator's demo data only).
param([string] $Module, [string] $Uri, [string] $TokenFile, [int] $ThrottleLimit = 4)
$ErrorActionPreference = 'Stop'
# The SecureStrings are made by .NET in a loop, not by N runs of ConvertTo-SecureString in a pipeline: those would heat
# PowerShell's parameter binder and queue its recompilation (the .NET tool's pwsh is not precompiled) into the timed audit.
$tokens = [System.Collections.Generic.List[securestring]]::new()
foreach ($line in [System.IO.File]::ReadAllLines($TokenFile)) { $tokens.Add([System.Net.NetworkCredential]::new('', $line).SecurePassword) }
$admin = [System.Net.NetworkCredential]::new('', $env:NAOVA_BENCH_ADMIN).SecurePassword
$secret = [System.Net.NetworkCredential]::new('', $env:NAOVA_BENCH_SECRET).SecurePassword
Import-Module $Module
Connect-WaBusiness -BusinessId $env:NAOVA_BENCH_BUSINESS -AppId $env:NAOVA_BENCH_APP -AccessToken $admin -AppSecret $secret -GraphUri $Uri
[GC]::Collect()
$self = [System.Diagnostics.Process]::GetCurrentProcess()
$before = $self.WorkingSet64
[Console]::Out.WriteLine('READY')
if ([Console]::In.ReadLine() -ne 'GO') { exit 3 }
# The garbage collector's work during the audit: its collections, its pauses (every thread stopped) and what was
# allocated, which is what makes it collect.
$collections = 0..2 | ForEach-Object { [GC]::CollectionCount($_) }
$paused = [GC]::GetTotalPauseDuration()
$allocated = [GC]::GetTotalAllocatedBytes($true)
# The JIT's work during the audit: what runs for the first time in this process and is not precompiled (none of the
# .NET tool's pwsh is; an installed pwsh is, but not the cmdlet assembly) is compiled now.
$jitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$jitTime = [System.Runtime.JitInfo]::GetCompilationTime($false)
# The clock's start on the machine's monotonic clock, which the emulator's timestamps use too (Stopwatch ticks).
$startedAt = [System.Diagnostics.Stopwatch]::GetTimestamp()
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$reports = $tokens | Test-WaToken -ThrottleLimit $ThrottleLimit
$clock.Stop()
$jitMethods = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jitMethods
$jitTime = ([System.Runtime.JitInfo]::GetCompilationTime($false) - $jitTime).TotalMilliseconds
$allocated = [GC]::GetTotalAllocatedBytes($true) - $allocated
$paused = ([GC]::GetTotalPauseDuration() - $paused).TotalMilliseconds
$collections = 0..2 | ForEach-Object { [GC]::CollectionCount($_) - $collections[$_] }
[Console]::Out.WriteLine('MEASURED')
$null = [Console]::In.ReadLine()
$self.Refresh()
[Console]::Out.WriteLine('AUDIT ' + (@{
    Ms = $clock.Elapsed.TotalMilliseconds
    Reports = @($reports).Count
    Healthy = @($reports | Where-Object Status -eq 'Healthy').Count
    Fingerprints = (@($reports | ForEach-Object Fingerprint) -join ',')
    WorkingSetBeforeMB = $before / 1MB
    PeakWorkingSetMB = $self.PeakWorkingSet64 / 1MB
    AllocatedBytes = $allocated
    GcPauseMs = $paused
    Collections = $collections
    JitMethods = $jitMethods
    JitMs = $jitTime
    StartedAt = $startedAt
} | ConvertTo-Json -Compress))
