#Requires -Version 5.1
<#
  What the runner (tests/Naova.WhatsAppToken.Pester) promises every Pester file, checked from inside: the real pwsh
  7.6.10 of the tool manifest, Pester 5.9.1, a HOME of its own, no standard input, -NonInteractive, and the real
  SecretManagement where ../shared/psmodules exists. Small on purpose: build.ps1's Test task runs it as its Pester part.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
}

Describe 'The runner''s pwsh' {
    It 'is PowerShell 7.6.10, the version of the tool manifest' {
        $manifest = Get-Content -LiteralPath (Join-Path $script:Repo '.config/dotnet-tools.json') -Raw | ConvertFrom-Json
        $PSVersionTable.PSVersion.ToString() | Should -Be $manifest.tools.powershell.version
        $PSVersionTable.PSEdition | Should -Be 'Core'
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
