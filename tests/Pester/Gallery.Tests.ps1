#Requires -Version 5.1
<#
  The PowerShell Gallery path, on this machine: ./build.ps1 -Task Package, a folder registered as a PSResourceGet
  repository, Publish-PSResource of the package, Install-PSResource into the CurrentUser scope (HOME is this run's
  own, so the scope is scratch), and the doc's pipeline run with the installed copy in a fresh pwsh, never the build
  output. PSResourceGet ships with PowerShell's installers from 7.4 on, but not with a pwsh built from the
  Microsoft.PowerShell.SDK package (the 7.4 lane's): where this pwsh has none, those tests are skipped, saying so.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:Version = (Import-PowerShellDataFile (Join-Path $script:Repo 'Naova.WhatsAppToken.psd1')).ModuleVersion
    $script:Artifacts = Join-Path $script:Repo 'artifacts'
    $before = Get-SharedOutputStamp
    $script:Package = Invoke-TestPwsh -File (Join-Path $script:Repo 'build.ps1') -ArgumentList @('-Task', 'Package', '-Configuration', (Get-TestConfiguration)) -TimeoutSeconds 900
    $script:PackageRewrote = @(Get-Rewritten $before (Get-SharedOutputStamp))
    $script:Nupkg = Join-Path $script:Artifacts "Naova.WhatsAppToken.$($script:Version).nupkg"
}

Describe 'build.ps1 -Task Package' {
    It 'makes the Gallery package and the Azure Automation zip in artifacts/' {
        $script:Package.ExitCode | Should -Be 0 -Because $script:Package.Text
        $script:Nupkg | Should -Exist
        $zip = Join-Path $script:Artifacts 'Naova.WhatsAppToken.zip'
        $zip | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
        try { $entries = @($archive.Entries | ForEach-Object { $_.FullName.Replace('\', '/') }) } finally { $archive.Dispose() }
        $entries | Should -Contain 'Naova.WhatsAppToken/Naova.WhatsAppToken.psd1'
        $entries | Should -Contain 'Naova.WhatsAppToken/Naova.WhatsAppToken.dll'
    }

    It 'packs what dotnet test built without building it again: the files beside it import and start whole files' {
        $script:PackageRewrote | Should -BeNullOrEmpty
    }

    It 'leaves no process running' {
        $script:Package.ProcessesAfter | Should -Be $script:Package.ProcessesBefore
        $script:Package.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty
    }
}

Describe 'Publish-PSResource to a folder repository, then Install-PSResource' {
    BeforeAll {
        $script:ResourceGet = Get-Module -ListAvailable -Name Microsoft.PowerShell.PSResourceGet | Select-Object -First 1
        function Skip-WithoutResourceGet {
            if (-not $script:ResourceGet) {
                Set-ItResult -Skipped -Because "PowerShell $($PSVersionTable.PSVersion) in $PSHOME has no Microsoft.PowerShell.PSResourceGet (PowerShell's installers ship it; the Microsoft.PowerShell.SDK package this pwsh is built from does not)"
            }
            -not $script:ResourceGet
        }
        if (-not $script:ResourceGet) { return }
        Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
        $script:Feed = New-TestFolder -Prefix 'naova-feed'
        Register-PSResourceRepository -Name NaovaPester -Uri $script:Feed -Trusted -ErrorAction Stop
        # From the clone, as a user would: PSResourceGet 1.2 writes NuGet/NuGet.Config under the current folder when the
        # user has no application-data folder (bc372fa committed one); the runner's HOME has its ~/.config.
        Publish-PSResource -NupkgPath $script:Nupkg -Repository NaovaPester -ErrorAction Stop
        Install-PSResource -Name Naova.WhatsAppToken -Repository NaovaPester -Scope CurrentUser -TrustRepository -ErrorAction Stop
        $script:Installed = Get-InstalledPSResource -Name Naova.WhatsAppToken -Scope CurrentUser -ErrorAction Stop
    }

    AfterAll {
        if ($script:ResourceGet) { Unregister-PSResourceRepository -Name NaovaPester -ErrorAction SilentlyContinue }
    }

    It 'writes nothing into the clone: no NuGet/NuGet.Config where it published and installed from' {
        Join-Path $script:Repo 'NuGet' | Should -Not -Exist
    }

    It 'installs the version of the manifest into the CurrentUser scope of this run''s HOME' {
        if (Skip-WithoutResourceGet) { return }
        @($script:Installed) | Should -HaveCount 1
        $script:Installed.Version.ToString() | Should -Be $script:Version
        $script:Installed.InstalledLocation | Should -BeLike "$HOME*"
    }

    It 'imports the installed copy by name in a fresh pwsh and runs the doc''s pipeline with it against the emulator' {
        if (Skip-WithoutResourceGet) { return }
        Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force
        $emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
        try {
            $work = New-TestFolder
            $script = Join-Path $work 'installed.ps1'
            Set-Content -LiteralPath $script -Value @'
param([string] $GraphUri, [string] $EnvFile)
$ErrorActionPreference = 'Stop'
Import-Module Naova.WhatsAppToken
$module = Get-Module Naova.WhatsAppToken
$connect = @{
    BusinessId  = $env:NAOVA_PESTER_BUSINESS
    AppId       = $env:NAOVA_PESTER_APP
    AccessToken = ConvertTo-SecureString $env:NAOVA_PESTER_ADMIN -AsPlainText -Force
    AppSecret   = ConvertTo-SecureString $env:NAOVA_PESTER_SECRET -AsPlainText -Force
    GraphUri    = $GraphUri
}
Connect-WaBusiness @connect
$report = New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
    Grant-WaAssets -WhatsAppBusinessAccount $env:NAOVA_PESTER_WABA -Task MANAGE |
    New-WaToken -Expiration Never |
    Save-WaToken -EnvFile $EnvFile |
    Test-WaToken
[pscustomobject]@{ ModuleBase = $module.ModuleBase; Version = "$($module.Version)"; Status = "$($report.Status)"; Fingerprint = $report.Fingerprint } | ConvertTo-Json -Compress
'@
            $run = Invoke-TestPwsh -File $script -ArgumentList @('-GraphUri', "$($emulator.Uri)", '-EnvFile', (Join-Path $work '.env')) -WorkingDirectory $work -Environment @{
                NAOVA_PESTER_BUSINESS = $emulator.Seed.BusinessId; NAOVA_PESTER_APP = $emulator.Seed.AppId; NAOVA_PESTER_WABA = $emulator.Seed.WabaId
                NAOVA_PESTER_ADMIN = $emulator.Seed.AdminToken; NAOVA_PESTER_SECRET = $emulator.Seed.AppSecret
            }
            $run.ExitCode | Should -Be 0 -Because $run.Text
            $result = @($run.Output | Where-Object { $_ -like '{*' })[-1] | ConvertFrom-Json
            $result.ModuleBase | Should -BeLike "$($script:Installed.InstalledLocation)*"
            $result.ModuleBase | Should -Not -BeLike "$($script:Repo)*"
            $result.Version | Should -Be $script:Version
            $result.Status | Should -Be 'Healthy'
            @((Get-GraphEmulatorState $emulator).tokens | Where-Object { $_.fingerprint -eq $result.Fingerprint }) | Should -HaveCount 1
        }
        finally {
            Stop-GraphEmulator $emulator
        }
    }
}
