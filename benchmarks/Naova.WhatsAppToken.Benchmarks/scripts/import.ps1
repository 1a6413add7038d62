# One Import-Module in a fresh pwsh, timed inside the process. -Warmer imports a throwaway script module first, so
# PowerShell's own first-import costs (module machinery, manifest reading) are paid before the clock starts.
param([string] $Module, [string] $Warmer)
$ErrorActionPreference = 'Stop'
if ($Warmer) { Import-Module $Warmer }
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$imported = Import-Module $Module -PassThru
$clock.Stop()
if ($imported.ExportedCommands.Count -eq 0) { throw "$Module exported no command" }
$loaded = [System.AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -match '^(Naova|Refit|Polly|System\.Text\.Json)' }
[Console]::Out.WriteLine(('IMPORT {0} {1}' -f $clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture), ($loaded -join ',')))
