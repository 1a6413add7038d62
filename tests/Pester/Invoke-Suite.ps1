<#
.SYNOPSIS
Runs Pester files and writes what happened where the runner reads it. Started by tests/Naova.WhatsAppToken.Pester
(dotnet test), one pwsh process per file, with -NoProfile -NonInteractive, no standard input and a HOME of its own.

.DESCRIPTION
Writes -ResultFile (JSON: Pester's counts, every test's full name, result and error, every failure outside a
test, such as a BeforeAll that threw, and what the file ran in: PowerShell, .NET, and the module's dependencies folder
whose engine this process loaded, if it loaded one) and -XmlFile (NUnit XML, for tools that read it). Exits 0 only when Pester's
result is Passed.

.EXAMPLE
dotnet test tests/Naova.WhatsAppToken.Pester     # the usual way: restores pwsh and Pester, prepares HOME and PSModulePath
#>
param(
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultFile,
    [string] $XmlFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if ($PSVersionTable.PSVersion.Major -ge 7) { $PSStyle.OutputRendering = 'PlainText' }

Import-Module $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
if ($XmlFile) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $XmlFile
}
$result = Invoke-Pester -Configuration $config

function Get-Message($ErrorRecords) {
    $text = @($ErrorRecords | Where-Object { $null -ne $_ } | ForEach-Object {
            $where = if ($_.ScriptStackTrace) { "`n" + (($_.ScriptStackTrace -split "`n") | Select-Object -First 3) -join "`n" } else { '' }
            "$($_.Exception.Message)$where"
        }) -join "`n"
    if ($text) { $text } else { $null }
}

$errors = @()
foreach ($container in @($result.Containers)) {
    if ($container.Result -eq 'Failed' -and @($container.ErrorRecord).Count -gt 0) {
        $errors += "container $($container.Item) failed: $(Get-Message $container.ErrorRecord)"
    }
}
foreach ($block in @($result.FailedBlocks)) {
    $errors += "block '$($block.ExpandedPath)' failed: $(Get-Message $block.ErrorRecord)"
}
$tests = @($result.Tests | ForEach-Object {
        $message = if ($_.Result -eq 'Failed') { Get-Message $_.ErrorRecord } elseif ($_.Result -eq 'Skipped') { Get-Message $_.ErrorRecord } else { $null }
        [ordered]@{ Name = $_.ExpandedPath; Result = "$($_.Result)"; Message = $message }
    })
# The module's loader picks dependencies/net10.0, net8.0 or net472 by the runtime; the engine's assembly, wherever its
# load context put it, says which folder it came from. A file that ran the module only in child processes loaded none.
$dependencies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Naova.WhatsAppToken.Engine' } |
        ForEach-Object { Split-Path -Leaf (Split-Path -Parent $_.Location) } | Sort-Object -Unique)
$summary = [ordered]@{
    Passed       = $result.PassedCount
    Failed       = $result.FailedCount
    Skipped      = $result.SkippedCount
    NotRun       = $result.NotRunCount
    Errors       = @($errors)
    Tests        = $tests
    PowerShell   = "$($PSVersionTable.PSVersion)"
    Runtime      = [System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    Dependencies = if ($dependencies) { $dependencies -join ',' } else { $null }
}
[System.IO.File]::WriteAllText($ResultFile, ($summary | ConvertTo-Json -Depth 5))
if ($result.Result -eq 'Passed') { exit 0 } else { exit 1 }
