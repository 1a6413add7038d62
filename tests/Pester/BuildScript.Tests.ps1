#Requires -Version 5.1
<#
  build.ps1 as a user runs it: in a child pwsh -NoProfile -NonInteractive with nothing on its standard input, in the
  configuration the test run built (Debug under dotnet test), so nothing is built twice. Each run carries a mark in
  its environment that every process it starts inherits: whatever still carries it afterwards was left running.
  The Package task is run by Gallery.Tests.ps1, which publishes and installs what it makes.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Backend = (Get-SecretBackend).Name
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:Build = Join-Path $script:Repo 'build.ps1'
    $script:Configuration = Get-TestConfiguration

    function Invoke-BuildScript([string[]] $Arguments, [hashtable] $Environment = @{}) {
        Invoke-TestPwsh -File $script:Build -ArgumentList $Arguments -Environment $Environment -TimeoutSeconds 900
    }
}

Describe 'build.ps1 -Task Demo' {
    BeforeAll {
        $before = Get-SharedOutputStamp
        $script:Demo = Invoke-BuildScript @('-Task', 'Demo', '-Configuration', $script:Configuration)
        $script:DemoRewrote = @(Get-Rewritten $before (Get-SharedOutputStamp))
    }

    It 'starts the emulator, runs Onboard.ps1 against it and prints a Healthy report of a permanent token' {
        $script:Demo.TimedOut | Should -BeFalse
        $script:Demo.ExitCode | Should -Be 0 -Because $script:Demo.Text
        $script:Demo.Text | Should -Match 'Graph API emulator on http://127\.0\.0\.1:\d+/ \(demo business \d+\)'
        $script:Demo.Text | Should -Match 'Status\s+:\s+Healthy'
        $script:Demo.Text | Should -Match 'Expires\s+:\s+Never'
        $script:Demo.Text | Should -Match 'Type\s+:\s+SYSTEM_USER'
    }

    It 'builds nothing again: what dotnet test built is up to date for it, so the files beside it read whole files' {
        $script:DemoRewrote | Should -BeNullOrEmpty
    }

    It 'leaves no process running: counted before and after, and by the mark every process it started carries' {
        if (-not (Test-CanFindMarkedProcess)) { Set-ItResult -Inconclusive -Because 'process environments can not be read here (/proc)'; return }
        $script:Demo.ProcessesAfter | Should -Be $script:Demo.ProcessesBefore
        $script:Demo.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty
    }
}

Describe 'build.ps1 -Task Demo and the temporary folder' {
    It 'leaves nothing there: the demo''s .env is removed, and the stopped emulator leaves no diagnostic socket or pipe' {
        # A temporary folder of its own (TMPDIR, which .NET and pwsh use on Linux and macOS), so what other files of the
        # suite write meanwhile does not count. Built above already: -NoBuild.
        $temp = New-TestFolder -Prefix 'naova-demo-tmp'
        try {
            $demo = Invoke-BuildScript @('-Task', 'Demo', '-Configuration', $script:Configuration, '-NoBuild') @{ TMPDIR = $temp; TEMP = $temp; TMP = $temp }
            $demo.ExitCode | Should -Be 0 -Because $demo.Text
            $demo.Text | Should -Match 'Status\s+:\s+Healthy'
            @(Get-ChildItem -LiteralPath $temp -Force -Recurse | ForEach-Object { $_.FullName }) | Should -BeNullOrEmpty
        }
        finally {
            Remove-Item -LiteralPath $temp -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'build.ps1 -Task Demo when the demo fails: saving into a vault that does not exist (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    BeforeAll {
        # No vault of that name is registered (HOME is the run's own): Save-WaToken fails, the token is kept. Built
        # above already: -NoBuild.
        $script:Failed = Invoke-BuildScript @('-Task', 'Demo', '-Configuration', $script:Configuration, '-NoBuild', '-Vault', 'NoSuchVault')
    }

    It 'fails with the error that happened, not one from its cleanup' {
        $script:Failed.TimedOut | Should -BeFalse
        $script:Failed.ExitCode | Should -Not -Be 0
        $script:Failed.Text | Should -Match 'Save-WaToken|SecretManagement|NoSuchVault'
        $script:Failed.Text | Should -Not -Match 'cannot be found on this object'
        $script:Failed.Text | Should -Not -Match 'Stop-GraphEmulator'
    }

    It 'still stops the emulator and leaves no process' {
        if (-not (Test-CanFindMarkedProcess)) { Set-ItResult -Inconclusive -Because 'process environments can not be read here (/proc)'; return }
        $script:Failed.ProcessesAfter | Should -Be $script:Failed.ProcessesBefore
        $script:Failed.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty
    }
}

Describe 'build.ps1 -Task Build' {
    BeforeAll {
        $before = Get-SharedOutputStamp
        $script:Built = Invoke-BuildScript @('-Task', 'Build', '-Configuration', $script:Configuration)
        $script:BuildRewrote = @(Get-Rewritten $before (Get-SharedOutputStamp))
    }

    It 'builds the solution and leaves the complete module folder in out/Naova.WhatsAppToken' {
        $script:Built.ExitCode | Should -Be 0 -Because $script:Built.Text
        $script:Built.Text | Should -Match 'Build succeeded'
        $folder = Join-Path $script:Repo 'out/Naova.WhatsAppToken'
        foreach ($file in 'Naova.WhatsAppToken.psd1', 'Naova.WhatsAppToken.dll', 'Naova.WhatsAppToken.format.ps1xml', 'en-US/Naova.WhatsAppToken.dll-Help.xml', 'es-ES/Naova.WhatsAppToken.dll-Help.xml') {
            Join-Path $folder $file | Should -Exist
        }
    }

    It 'rewrites none of what dotnet test built: not the module the files beside it import, not the emulator they start' {
        $script:BuildRewrote | Should -BeNullOrEmpty
    }

    It 'leaves a folder a fresh pwsh imports, with every cmdlet of the manifest' {
        $probe = Join-Path (New-TestFolder) 'import.ps1'
        Set-Content -LiteralPath $probe -Value @'
param([string] $Manifest)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
(Get-Command -Module Naova.WhatsAppToken | Sort-Object Name).Name -join ','
'@
        $run = Invoke-TestPwsh -File $probe -ArgumentList @('-Manifest', (Get-TestManifest))
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $declared = (Import-PowerShellDataFile (Get-TestManifest)).CmdletsToExport | Sort-Object
        $run.Output[-1] | Should -Be ($declared -join ',')
    }

    It 'leaves no build server or other process running' {
        if (-not (Test-CanFindMarkedProcess)) { Set-ItResult -Inconclusive -Because 'process environments can not be read here (/proc)'; return }
        $script:Built.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty
    }
}

Describe 'build.ps1 -Task Test, by its parts' {
    # The whole task is dotnet test NaovaPs.sln, the run this suite is part of: run here, it would run itself. One
    # run of the task on what the test run built (-NoBuild), with a filter that takes a little of each part: the
    # engine's appsecret_proof tests (xunit) and Environment.Tests.ps1 (Pester, in real pwsh, through the runner).
    BeforeAll {
        # The nested Pester results go to a folder of this test's, not where .ci/run counts this run's.
        $script:Results = New-TestFolder
        # (Environment.Tests.ps1 of the tool's pwsh only: the other lanes run it too.)
        $filter = 'FullyQualifiedName~Naova.WhatsAppToken.Engine.Tests.AppSecretProofTests|(FullyQualifiedName~Naova.WhatsAppToken.Pester.PesterSuiteTests&DisplayName~Environment.Tests.ps1)'
        $script:TestRun = Invoke-BuildScript @('-Task', 'Test', '-Configuration', $script:Configuration, '-NoBuild', '-Filter', $filter) @{ NAOVA_PESTER_RESULTS = $script:Results }
    }

    It 'runs the xunit suites through dotnet test' {
        $script:TestRun.ExitCode | Should -Be 0 -Because $script:TestRun.Text
        $script:TestRun.Text | Should -Match 'Passed!\s+- Failed:\s+0, Passed:\s+[1-9]\d*.*Naova\.WhatsAppToken\.Engine\.Tests\.dll'
    }

    It 'runs the Pester suite in real pwsh through dotnet test, and its tests pass' {
        $script:TestRun.Text | Should -Match 'Passed!\s+- Failed:\s+0, Passed:\s+1,.*Naova\.WhatsAppToken\.Pester\.dll'
        # The counts, then what the file ran in: the tool manifest's pwsh.
        $counts = @(Get-Content -LiteralPath (Join-Path $script:Results 'Environment.counts'))
        $counts[0] | Should -Match '^passed=[1-9]\d* failed=0 '
        $manifest = Get-Content -LiteralPath (Join-Path $script:Repo '.config/dotnet-tools.json') -Raw | ConvertFrom-Json
        $counts | Should -Contain "powershell=$($manifest.tools.powershell.version)"
    }

    It 'leaves no process running' {
        $script:TestRun.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty
    }
}
