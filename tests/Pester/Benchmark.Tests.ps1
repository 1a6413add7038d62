#Requires -Version 5.1
<#
  The benchmark (benchmarks/Naova.WhatsAppToken.Benchmarks) and its PowerShell scripts, run once end to end: one round,
  100 tokens, 5 ms of latency, in the pwsh this suite runs in. Not a measurement (no figure is judged here); what is
  checked is that every scenario ran in real pwsh and reported: the benchmark itself throws when an audit loses a report
  or the input order, or finds a token unhealthy, and when a script fails.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $benchmark = Join-Path $script:Repo "benchmarks/Naova.WhatsAppToken.Benchmarks/bin/$(Get-TestConfiguration)/net10.0/Naova.WhatsAppToken.Benchmarks.dll"
    if (-not (Test-Path -LiteralPath $benchmark)) { throw "The benchmark is not built: $benchmark (dotnet test builds it)." }
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source

    $run = Invoke-TestProcess -FilePath $dotnet -ArgumentList @($benchmark, '--rounds', '1', '--sizes', '100', '--latency-ms', '5', '--pwsh', (Get-TestPwsh))
    if ($run.TimedOut) { throw 'The benchmark ran for more than 5 minutes.' }
    $script:ExitCode = $run.ExitCode
    # Every line it wrote, stdout (its tables) first, then stderr (its rounds, and an error if it failed).
    $script:Lines = $run.Output
    $script:Errors = $run.Text

    function Get-Row([string] $Start) {
        @($script:Lines | Where-Object { $_.StartsWith($Start, [System.StringComparison]::Ordinal) })
    }
    # A figure as the benchmark prints one: a median and its [min-max].
    $script:Figure = '[0-9]+(?:\.[0-9])?(?: ms| MB| bytes)? \[[0-9.]+-[0-9.]+\]'
}

Describe 'The benchmark, one round' {
    It 'runs every scenario and exits 0' {
        $script:ExitCode | Should -Be 0 -Because $script:Errors
        $script:Errors | Should -Match 'round 1/1 done'
    }

    It 'names the pwsh it ran in and its version' {
        $script:Lines[0] | Should -BeLike "*pwsh $($PSVersionTable.PSVersion) ($(Get-TestPwsh))*"
    }

    It 'times the import, and the first call on both sides' {
        $import = @(Get-Row '| first import in a fresh process |')
        $import.Count | Should -Be 1
        $import[0] | Should -Match "^\| first import in a fresh process \| $script:Figure \|"
        $inside = @(Get-Row '| inside the process, from its first statement |')
        $inside.Count | Should -Be 1
        $inside[0] | Should -Match "^\| inside the process, from its first statement \| $script:Figure \| $script:Figure \| [0-9.]+x \["
        @(Get-Row '| the whole pwsh process, start to exit |')[0] | Should -Match "\| $script:Figure \| $script:Figure \| [0-9.]+x \["
    }

    It 'audits 100 tokens in 2 batches against a floor of one latency' {
        $audit = @(Get-Row '| N = 100 |')
        # The audit's row, then its rows in the garbage collector's, the split, the JIT's and the CPU tables.
        $audit.Count | Should -Be 5
        $audit[0] | Should -Match "^\| N = 100 \| $script:Figure \| 5 ms \(2 batches, 1 waves\) \| [0-9.]+x \[[0-9.]+-[0-9.]+\] \| $script:Figure \| 2 \| "
        @($audit | Where-Object { $_ -match "^\| N = 100 \| [0-9]+ \[[0-9]+-[0-9]+\] \| $script:Figure \|$" }).Count | Should -Be 1 -Because 'the JIT table gives methods and time'
        # The split: the start, then one wave, whose time is that wave's (a wave of 2 batches holds each 5 ms at least).
        $split = @($audit | Where-Object { $_ -match "^\| N = 100 \| $script:Figure \| $script:Figure \| [0-9.]+ ms \[[0-9.]+-[0-9.]+\] \|$" })
        $split.Count | Should -Be 1 -Because 'the split table gives the start, the waves and the time per wave'
        $split[0] -match "^\| N = 100 \| $script:Figure \| (?<waves>[0-9.]+) ms \[.*\| (?<perWave>[0-9.]+) ms \[[0-9.]+-[0-9.]+\] \|$" | Should -BeTrue
        [double]$Matches.perWave | Should -Be ([double]$Matches.waves)
        [double]$Matches.perWave | Should -BeGreaterOrEqual 5
    }

    It 'counts one TCP connection for a whole session, as for Invoke-RestMethod with a web session' {
        @(Get-Row '| accepted by the emulator |')[0] | Should -Match '^\| accepted by the emulator \| 1 \([0-9]+ requests\) \| 1 \([0-9]+ requests\) \|$'
    }

    It 'lists every sample it measured' {
        $samples = [array]::IndexOf($script:Lines, 'Samples:')
        $samples | Should -BeGreaterThan 0
        @($script:Lines[($samples + 1)..($script:Lines.Count - 1)] | Where-Object { $_ -match '^  (audit|first|import|session)\.[a-z0-9.]+: [0-9]' }).Count | Should -BeGreaterThan 20
    }
}
