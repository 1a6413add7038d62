<#
.SYNOPSIS
Builds, tests, packages and demonstrates Naova.WhatsAppToken. A thin layer over dotnet; Windows PowerShell 5.1 and PowerShell 7.

.DESCRIPTION
  Build    dotnet build NaovaPs.sln -c Release: leaves the importable module in out/Naova.WhatsAppToken.
  Test     dotnet test NaovaPs.sln: the xunit suites and, through tests/Naova.WhatsAppToken.Pester, the Pester suite
           (tests/Pester) in a real pwsh 7.6.10 with Pester 5.9.1, both restored from NuGet. -Filter and -NoBuild are
           passed to dotnet test.
  Package  the PowerShell Gallery package (artifacts/Naova.WhatsAppToken.<version>.nupkg, the module at its root, as
           Publish-Module makes it) and the Azure Automation import zip (artifacts/Naova.WhatsAppToken.zip, the module
           folder at its root), both by the MSBuild target Package of src/Naova.WhatsAppToken.Packaging.
  Demo     builds the module and the emulator (not with -NoBuild), starts the Graph API emulator on 127.0.0.1, runs
           examples/Onboard.ps1 against its demo business (the token goes to -Vault when given, else to a .env in a
           temporary folder, removed at the end), prints the report, stops the emulator. Leaves no process running
           and nothing in the temporary folder.

.EXAMPLE
./build.ps1 -Task Build, Test, Package

.EXAMPLE
./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Demo: a registered SecretManagement vault to save the demo token in, instead of a temporary .env.
    [string] $Vault,

    # Test: only the tests this dotnet test filter selects (e.g. 'FullyQualifiedName~SecretTests').
    [string] $Filter,

    # Test and Demo: use what the last build of -Configuration left, without building again.
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$solution = Join-Path $root 'NaovaPs.sln'

# Arguments that start with a dash are passed quoted, so Windows PowerShell 5.1 does not split '-t:Package'.
# --disable-build-servers: no MSBuild node or compiler server is left running after a task.
function Invoke-Dotnet {
    & dotnet @args '--disable-build-servers'
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($step in $Task) {
    Write-Host "== $step ($Configuration)" -ForegroundColor Cyan
    switch ($step) {
        'Build' {
            Invoke-Dotnet 'build' $solution '-c' $Configuration
        }
        'Test' {
            $test = @('test', $solution, '-c', $Configuration)
            if ($NoBuild) { $test += '--no-build' }
            if ($Filter) { $test += @('--filter', $Filter) }
            Invoke-Dotnet @test
        }
        'Package' {
            Invoke-Dotnet 'build' (Join-Path $root 'src/Naova.WhatsAppToken.Packaging/Naova.WhatsAppToken.Packaging.csproj') '-c' $Configuration '-t:Package'
            # What Publish-Module checks first, in this PowerShell (5.1 or 7) rather than the hosted one of the tests.
            $null = Test-ModuleManifest -Path (Join-Path $root 'out/Naova.WhatsAppToken/Naova.WhatsAppToken.psd1') -ErrorAction Stop
            Get-ChildItem -LiteralPath (Join-Path $root 'artifacts') -File | Select-Object Name, Length
        }
        'Demo' {
            if (-not $NoBuild) { Invoke-Dotnet 'build' (Join-Path $root 'src/Naova.WhatsAppToken/Naova.WhatsAppToken.csproj') '-c' $Configuration }
            Import-Module (Join-Path $root 'examples/GraphEmulator.psm1') -Force
            # Start-GraphEmulator stops what it started if it fails, so only a started emulator needs stopping here,
            # and an error in the demo is the error reported (a finally that fails itself would hide it).
            $emulator = Start-GraphEmulator -Configuration $Configuration -NoBuild:$NoBuild
            $demoFolder = $null
            try {
                Write-Host "Graph API emulator on $($emulator.Uri) (demo business $($emulator.Seed.BusinessId))"
                Import-Module (Join-Path $root 'out/Naova.WhatsAppToken/Naova.WhatsAppToken.psd1') -Force
                $onboard = @{
                    BusinessId  = $emulator.Seed.BusinessId
                    AppId       = $emulator.Seed.AppId
                    # The emulator's demo admin token and app secret: published in its seed.json, valid nowhere else.
                    AccessToken = ConvertTo-SecureString $emulator.Seed.AdminToken -AsPlainText -Force
                    AppSecret   = ConvertTo-SecureString $emulator.Seed.AppSecret -AsPlainText -Force
                    GraphUri    = $emulator.Uri
                }
                if ($Vault) { $onboard.Vault = $Vault }
                else {
                    # The demo token is valid only at this emulator: its .env goes when the demo ends.
                    $demoFolder = Join-Path ([System.IO.Path]::GetTempPath()) ('naova-demo-' + [guid]::NewGuid().ToString('N'))
                    $null = New-Item -ItemType Directory -Path $demoFolder
                    $onboard.EnvFile = Join-Path $demoFolder '.env'
                }
                $report = & (Join-Path $root 'examples/Onboard.ps1') @onboard
                $report | Format-List
                if (-not $report -or $report.Status -ne 'Healthy') { throw 'The demo token is not healthy: see the report above.' }
            }
            finally {
                if ($null -ne $emulator) { Stop-GraphEmulator $emulator }
                if ($demoFolder) { Remove-Item -LiteralPath $demoFolder -Recurse -Force -ErrorAction SilentlyContinue }
            }
        }
    }
}
