# Import + Connect-WaBusiness + the first Graph call (Get-WaSystemUser), timed from the script's first statement.
# The secrets come from the environment (the emulator's demo data) and are made SecureStrings before the clock starts,
# as Get-Secret would hand them over: by .NET, not ConvertTo-SecureString, whose first use would load the
# Microsoft.PowerShell.Security module into this process only (the Invoke-RestMethod script needs no SecureString).
param([string] $Module, [string] $Uri)
$ErrorActionPreference = 'Stop'
$admin = [System.Net.NetworkCredential]::new('', $env:NAOVA_BENCH_ADMIN).SecurePassword
$secret = [System.Net.NetworkCredential]::new('', $env:NAOVA_BENCH_SECRET).SecurePassword
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
Connect-WaBusiness -BusinessId $env:NAOVA_BENCH_BUSINESS -AppId $env:NAOVA_BENCH_APP -AccessToken $admin -AppSecret $secret -GraphUri $Uri
$users = @(Get-WaSystemUser)
$clock.Stop()
$jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$peak = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
[Console]::Out.WriteLine(('FIRST {0} {1} {2} {3}' -f $clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture), $jit, $peak, $users.Count))
