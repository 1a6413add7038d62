#Requires -Version 5.1
<#
  What the runner (tests/Naova.WhatsAppToken.Pester) promises every Pester file, checked from inside: the real pwsh
  7.6.10 of the tool manifest (or, in the 7.4 lane, the pwsh 7.4.22 the build makes from NuGet: tests/hosts/Pwsh74, on
  the .NET 8 it carries), Pester 5.9.1, a HOME of its own, no standard input, -NonInteractive, and the real
  SecretManagement where ../shared/psmodules exists. Small on purpose: build.ps1's Test task runs it as its Pester part.
#>

BeforeDiscovery {
    # The PowerShell the runner says this is: the tool manifest's, or the host project's (NAOVA_PESTER_HOST) version of
    # Microsoft.PowerShell.SDK, on the .NET of its target framework.
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    if ($env:NAOVA_PESTER_HOST) {
        $project = [xml](Get-Content -LiteralPath $env:NAOVA_PESTER_HOST -Raw)
        $script:Expected = @{
            # Central package management: the version is Directory.Packages.props's.
            Version = @(([xml](Get-Content -LiteralPath (Join-Path $repo 'Directory.Packages.props') -Raw)).Project.ItemGroup.PackageVersion | Where-Object { $_.Include -eq 'Microsoft.PowerShell.SDK' })[0].Version
            Source  = "the host $(Split-Path -Leaf $env:NAOVA_PESTER_HOST) builds from NuGet"
            Dotnet  = [int](([string]@($project.Project.PropertyGroup.TargetFramework)[0]) -replace '^net(\d+)\..*$', '$1')
        }
        $script:Expected.Runtime = "$($script:Expected.Dotnet) it carries (self-contained)"
    }
    else {
        $manifest = Get-Content -LiteralPath (Join-Path $repo '.config/dotnet-tools.json') -Raw | ConvertFrom-Json
        $script:Expected = @{ Version = $manifest.tools.powershell.version; Source = 'the version of the tool manifest'; Dotnet = $null; Runtime = 'the machine has (a shared framework)' }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
}

Describe 'The runner''s pwsh' -ForEach @{ Expected = $script:Expected } {
    It 'is PowerShell <Expected.Version>, <Expected.Source>' {
        $PSVersionTable.PSVersion.ToString() | Should -Be $Expected.Version
        $PSVersionTable.PSEdition | Should -Be 'Core'
        Write-Host "PowerShell $($PSVersionTable.PSVersion) on $([System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription), PSHOME $PSHOME"
    }

    It 'runs on the .NET <Expected.Runtime>' {
        $runtime = Split-Path -Parent ([object].Assembly.Location)
        if ($null -eq $Expected.Dotnet) {
            $runtime | Should -Not -Be $PSHOME
            $runtime | Should -BeLike '*Microsoft.NETCore.App*'
        }
        else {
            [Environment]::Version.Major | Should -Be $Expected.Dotnet
            # Self-contained: the runtime is the host's own copy beside pwsh, whatever the machine has installed.
            $runtime | Should -Be $PSHOME
        }
    }

    It 'runs Pester 5.9.1' {
        (Get-Module Pester).Version.ToString() | Should -Be '5.9.1'
    }

    It 'is not interactive and has nothing to read on its standard input' {
        [Environment]::GetCommandLineArgs() | Should -Contain '-NonInteractive'
        [Console]::IsInputRedirected | Should -BeTrue
        [Console]::In.ReadLine() | Should -BeNullOrEmpty
    }

    It 'finds the pwsh executable it runs from, not dotnet' {
        $pwsh = Get-TestPwsh
        Split-Path -Leaf $pwsh | Should -BeIn @('pwsh', 'pwsh.exe')
        (Split-Path -Parent $pwsh) | Should -Be $PSHOME
    }
}

Describe 'Isolation from the user''s machine' {
    It 'has a HOME of its own, where SecretStore and PSResourceGet keep their files' {
        $HOME | Should -Not -Be ([Environment]::GetEnvironmentVariable('DOTNET_CLI_HOME'))
        $HOME | Should -BeLike ([System.IO.Path]::GetTempPath().TrimEnd('/', '\') + '*')
        Test-Path -LiteralPath (Join-Path $HOME '.secretmgmt') | Should -BeFalse
    }

    It 'has an application-data folder inside that HOME, so NuGet (in PSResourceGet) writes its NuGet.Config there, not into the current folder' {
        # .NET answers '' for a folder that does not exist, and NuGet then writes NuGet/NuGet.Config under the current
        # folder: a Publish-PSResource run from the clone left one there (committed in bc372fa).
        $appData = [Environment]::GetFolderPath('ApplicationData')
        $appData | Should -Not -BeNullOrEmpty
        $appData | Should -BeLike "$HOME*"
    }

    It 'puts ../shared/psmodules first on PSModulePath where it exists, and says which SecretManagement the vault tests use' {
        $shared = Join-Path (Split-Path -Parent $script:Repo) 'shared/psmodules'
        $backend = Get-SecretBackend
        if (Test-Path -LiteralPath $shared) {
            ($env:PSModulePath -split [System.IO.Path]::PathSeparator) | Should -Contain (Resolve-Path $shared).Path
            $backend.Real | Should -BeTrue
            $backend.Management.ModuleBase | Should -BeLike ((Resolve-Path $shared).Path + '*')
        }
        Write-Host "Vault tests run against: $($backend.Name)"
        $backend.Name | Should -Not -BeNullOrEmpty
    }
}
