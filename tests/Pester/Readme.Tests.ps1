#Requires -Version 5.1
<#
  Every command README.md shows, run as it is written, so the first page can not drift from the module.

  - The shell block: the test command must be the one .ci/run runs (it is this suite: not run again here); the demo
    line runs, in the configuration dotnet test built and with -NoBuild (BuildScript.Tests.ps1 runs the build part).
  - The PowerShell blocks run in child pwsh processes that share this run's HOME (so what one block installs, registers
    or stores, the next finds), in README order. A block that installs, imports, connects or stores starts a new
    session; any other block goes on in the session of the block before it, as a reader at one prompt would.
  - What needs the outside world runs against local stand-ins of the same shape, and nothing else is changed:
    PowerShell Gallery is a folder repository holding `./build.ps1 -Task Package`'s package and the SecretManagement and
    SecretStore modules PowerShell finds here (published into it); Meta is the Graph emulator, reached through
    $PSDefaultParameterValues['Connect-WaBusiness:GraphUri'] (the README's ids are the emulator's demo business);
    Read-Host answers the emulator's demo admin token and app secret (no one is at the prompt); SecretStore is
    configured without a password beforehand (the README sends the reader to docs/storing.md for that).
  Needs the real SecretManagement and SecretStore (../shared/psmodules in CI) and PSResourceGet (PowerShell's installers
  ship it from 7.4 on; the 7.4 lane's pwsh, built from the Microsoft.PowerShell.SDK package, has none): without them
  the PowerShell blocks' tests say they were skipped and why.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Backend = Get-SecretBackend
    $script:ResourceGet = [bool](Get-Module -ListAvailable -Name Microsoft.PowerShell.PSResourceGet)
}

BeforeAll {
    $script:Emulator = $null
    $script:Feed = $null
    $script:Work = $null
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:Configuration = Get-TestConfiguration
    $script:Backend = Get-SecretBackend
    $script:Readme = Get-Content -LiteralPath (Join-Path $script:Repo 'README.md') -Raw

    # The fenced blocks of the README, in order: language and text.
    $script:Blocks = @([regex]::Matches($script:Readme, '(?ms)^```(?<lang>\w+)\r?\n(?<code>.*?)^```') | ForEach-Object {
            [pscustomobject]@{ Language = $_.Groups['lang'].Value; Code = $_.Groups['code'].Value }
        })

    # A PowerShell block starts a new session when it installs, imports, connects or stores; otherwise it continues.
    function Split-Session([object[]] $Blocks) {
        $sessions = New-Object System.Collections.Generic.List[object]
        foreach ($block in $Blocks) {
            if ($sessions.Count -eq 0 -or $block.Code -match '(?m)^\s*(Install-PSResource|Import-Module|Connect-WaBusiness|Set-Secret|\$\w+\s*=\s*Get-Secret)\b') {
                $sessions.Add((New-Object System.Collections.Generic.List[string]))
            }
            $sessions[$sessions.Count - 1].Add($block.Code)
        }
        $sessions
    }

    if (-not $script:Backend.Real -or -not (Get-Module -ListAvailable -Name Microsoft.PowerShell.PSResourceGet)) { return }

    # The README's offline command, in the configuration dotnet test built.
    $script:Package = Invoke-TestPwsh -File (Join-Path $script:Repo 'build.ps1') -ArgumentList @('-Task', 'Package', '-Configuration', $script:Configuration) -TimeoutSeconds 900
    $script:Zip = Join-Path $script:Repo 'artifacts/Naova.WhatsAppToken.zip'

    # The Gallery, as a folder repository, and the only one registered (HOME is this run's own).
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $script:Feed = New-TestFolder -Prefix 'naova-readme-feed'
    Copy-Item -Path (Join-Path $script:Repo 'artifacts/*.nupkg') -Destination $script:Feed
    Register-PSResourceRepository -Name ReadmeGallery -Uri $script:Feed -Trusted -Priority 1 -ErrorAction Stop
    Get-PSResourceRepository -Name PSGallery -ErrorAction SilentlyContinue | Unregister-PSResourceRepository
    foreach ($module in $script:Backend.Management, $script:Backend.Store) {
        Publish-PSResource -Path $module.ModuleBase -Repository ReadmeGallery -ErrorAction Stop
    }

    # SecretStore without a password or prompts, before the README registers its vault.
    Import-Module Microsoft.PowerShell.SecretStore -ErrorAction Stop
    Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false -ErrorAction Stop

    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force
    $script:Emulator = Start-GraphEmulator -Configuration $script:Configuration -NoBuild
    $script:Work = New-TestFolder -Prefix 'naova-readme'

    # Run in every session before the README's own lines.
    $script:Preamble = @'
$ErrorActionPreference = 'Stop'
$PSDefaultParameterValues['Connect-WaBusiness:GraphUri'] = $env:NAOVA_README_GRAPH
function Read-Host {
    param([Parameter(Position = 0)] [string] $Prompt, [switch] $AsSecureString)
    $answer = @{ 'Admin token' = $env:NAOVA_README_ADMIN; 'App secret' = $env:NAOVA_README_SECRET }[$Prompt]
    if (-not $answer) { throw "The README asks for '$Prompt', which this test can not answer." }
    ConvertTo-SecureString $answer -AsPlainText -Force
}
'@
    $environment = @{
        NAOVA_README_GRAPH  = "$($script:Emulator.Uri)"
        NAOVA_README_ADMIN  = $script:Emulator.Seed.AdminToken
        NAOVA_README_SECRET = $script:Emulator.Seed.AppSecret
    }

    $script:Runs = @()
    $index = 0
    foreach ($session in (Split-Session @($script:Blocks | Where-Object Language -eq 'powershell'))) {
        $index++
        $code = ($session -join "`n")
        # The README says to copy the zip over and expand it where it is: that block runs beside a copy.
        $where = $script:Repo
        if ($code -match '\./Naova\.WhatsAppToken\.zip') {
            $where = Join-Path $script:Work "session-$index"
            $null = New-Item -ItemType Directory -Path $where
            Copy-Item -LiteralPath $script:Zip -Destination $where
        }
        $file = Join-Path $script:Work "session-$index.ps1"
        Set-Content -LiteralPath $file -Value ($script:Preamble + "`n" + $code) -Encoding UTF8
        $run = Invoke-TestPwsh -File $file -WorkingDirectory $where -Environment $environment -TimeoutSeconds 600
        $script:Runs += [pscustomobject]@{ Code = $code; Run = $run }
    }
}

AfterAll {
    if (Get-Command Unregister-PSResourceRepository -ErrorAction SilentlyContinue) {
        Unregister-PSResourceRepository -Name ReadmeGallery -ErrorAction SilentlyContinue
    }
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    foreach ($folder in $script:Work, $script:Feed) {
        if ($folder) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'README.md: the shell block' {
    It 'shows the test command .ci/run runs, character for character' {
        $shell = @($script:Blocks | Where-Object Language -eq 'bash')
        $shell | Should -HaveCount 1
        $lines = @($shell[0].Code -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Be 'dotnet test NaovaPs.sln'
        $ci = Get-Content -LiteralPath (Join-Path $script:Repo '.ci/run')
        @($ci | Where-Object { $_ -match '^dotnet test ' }) | Should -Be @('dotnet test NaovaPs.sln 2>&1 | tee "$log" || status=$?')
    }

    It 'runs every other line of it: the demo prints a Healthy report and leaves no process' {
        $lines = @((@($script:Blocks | Where-Object Language -eq 'bash'))[0].Code -split "`r?`n" | Where-Object { $_.Trim() } | Select-Object -Skip 1)
        $lines | Should -Be @('dotnet tool restore && dotnet tool run pwsh -NoProfile -File ./build.ps1 -Task Demo') -Because 'every line here must be one this test knows how to run'
        $restore = Invoke-TestProcess -FilePath 'dotnet' -ArgumentList @('tool', 'restore')
        $restore.ExitCode | Should -Be 0 -Because $restore.Text
        $demo = Invoke-TestProcess -FilePath 'dotnet' -ArgumentList @('tool', 'run', 'pwsh', '-NoProfile', '-File', './build.ps1', '-Task', 'Demo', '-Configuration', $script:Configuration, '-NoBuild') -TimeoutSeconds 600
        $demo.ExitCode | Should -Be 0 -Because $demo.Text
        $demo.Text | Should -Match 'Status\s+:\s+Healthy'
        if (Test-CanFindMarkedProcess) { $demo.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty }
    }
}

Describe 'README.md: every PowerShell block, as written (<Name>)' -ForEach @{ Name = $script:Backend.Name; Real = $script:Backend.Real; ResourceGet = $script:ResourceGet } {
    BeforeEach {
        if (-not $Real) { Set-ItResult -Skipped -Because 'the README installs and uses the real SecretManagement and SecretStore, which PowerShell does not find here' }
        elseif (-not $ResourceGet) { Set-ItResult -Skipped -Because "the README installs with Install-PSResource, and PowerShell $($PSVersionTable.PSVersion) in $PSHOME has no Microsoft.PowerShell.PSResourceGet (PowerShell's installers ship it; the Microsoft.PowerShell.SDK package this pwsh is built from does not)" }
    }

    It 'makes the package and the zip its offline install expands' {
        $script:Package.ExitCode | Should -Be 0 -Because $script:Package.Text
        $script:Zip | Should -Exist
    }

    It 'runs each session without an error and leaves no process' {
        $script:Runs.Count | Should -BeGreaterThan 3
        foreach ($session in $script:Runs) {
            $session.Run.TimedOut | Should -BeFalse -Because $session.Code
            $session.Run.ExitCode | Should -Be 0 -Because ($session.Code + "`n----`n" + $session.Run.Text)
            if (Test-CanFindMarkedProcess) { $session.Run.Left | ForEach-Object { "$($_.Id) $($_.CommandLine)" } | Should -BeNullOrEmpty }
        }
    }

    It 'installs the module by name from the Gallery, and SecretManagement and SecretStore with it' {
        $installed = @(Get-InstalledPSResource -Scope CurrentUser -ErrorAction SilentlyContinue | ForEach-Object Name)
        $installed | Should -Contain 'Naova.WhatsAppToken'
        $installed | Should -Contain 'Microsoft.PowerShell.SecretManagement'
        $installed | Should -Contain 'Microsoft.PowerShell.SecretStore'
    }

    It 'stores the token the pipeline made in the vault Production, and its audit and the rehearsal report Healthy' {
        Import-Module Microsoft.PowerShell.SecretManagement -ErrorAction Stop
        Get-SecretInfo -Vault Production -Name WHATSAPP_ACCESS_TOKEN | Should -Not -BeNullOrEmpty
        $pipeline = @($script:Runs | Where-Object { $_.Code -match 'Save-WaToken -Vault Production' })
        $pipeline | Should -HaveCount 1
        $pipeline[0].Run.Text | Should -Match 'Healthy'
        $pipeline[0].Run.Text | Should -Match 'What if: '
        $rehearsal = @($script:Runs | Where-Object { $_.Code -match 'Start-GraphEmulator' })
        $rehearsal | Should -HaveCount 1
        $rehearsal[0].Run.Text | Should -Match 'Healthy'
    }

    It 'shows no token in anything a session printed' {
        foreach ($session in $script:Runs) {
            $session.Run.Text | Should -Not -Match ([regex]::Escape($script:Emulator.Seed.AdminToken))
            $session.Run.Text | Should -Not -Match 'EAA[A-Za-z0-9]{20,}'
        }
    }
}
