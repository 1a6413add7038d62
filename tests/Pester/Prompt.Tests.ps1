#Requires -Version 5.1
<#
  What a sysadmin sees at a real pwsh prompt (issue 25), each in a child pwsh -NoProfile -NonInteractive whose whole
  output is read, against the Graph emulator: the connect banner and the two ways to keep it quiet, Get-WaConnection
  when not connected, and -WhatIf through Onboard.ps1 (the doc's whole pipeline) for a system user that does not exist.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force
    $script:Emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
    $script:Work = New-TestFolder -Prefix 'naova-prompt'
    $seed = $script:Emulator.Seed
    # The emulator's published demo credentials, valid nowhere else; the child reads them from its environment.
    $script:Environment = @{
        NAOVA_MODULE = Get-TestManifest
        NAOVA_URI    = "$($script:Emulator.Uri)"
        NAOVA_BIZ    = $seed.BusinessId
        NAOVA_APP    = $seed.AppId
        NAOVA_ADMIN  = $seed.AdminToken
        NAOVA_SECRET = $seed.AppSecret
        NAOVA_WABA   = $seed.WabaId
    }

    function Invoke-AtPrompt([string] $Script) {
        $file = Join-Path $script:Work ("prompt-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
        Set-Content -LiteralPath $file -Value ("Import-Module `$env:NAOVA_MODULE`n" + $Script) -Encoding UTF8
        Invoke-TestPwsh -File $file -Environment $script:Environment -TimeoutSeconds 120
    }

    # A child's output cut into sections, each headed by a line '== <name>'.
    function Split-Section([string[]] $Lines) {
        $sections = @{}
        $name = $null
        foreach ($line in $Lines) {
            if ($line -like '== *') { $name = $line.Substring(3); $sections[$name] = @() }
            elseif ($name) { $sections[$name] += $line }
        }
        $sections
    }

    $script:Connect = 'Connect-WaBusiness -BusinessId $env:NAOVA_BIZ -AppId $env:NAOVA_APP -GraphUri $env:NAOVA_URI ' +
        '-AccessToken (ConvertTo-SecureString $env:NAOVA_ADMIN -AsPlainText -Force) -AppSecret (ConvertTo-SecureString $env:NAOVA_SECRET -AsPlainText -Force)'
}

AfterAll {
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Connect-WaBusiness''s banner' {
    BeforeAll {
        $script:Banner = Invoke-AtPrompt ((@('plain', '-NoWelcome', '-InformationAction SilentlyContinue') | ForEach-Object {
                    "'== $_'; $($script:Connect) $(if ($_ -ne 'plain') { $_ })"
                }) -join "`n")
        $script:Sections = Split-Section $script:Banner.Output
    }

    It 'says whom it connected to' {
        $script:Banner.ExitCode | Should -Be 0 -Because $script:Banner.Text
        ($script:Sections['plain'] -join "`n") | Should -Match 'Connected to business .+ \(\d+\)'
    }

    It 'says nothing with <_>' -ForEach @('-NoWelcome', '-InformationAction SilentlyContinue') {
        $script:Sections[$_] | Should -BeNullOrEmpty
    }
}

Describe 'Get-WaConnection when not connected' {
    It 'writes nothing and no error, so a script can ask' {
        $run = Invoke-AtPrompt @'
$ErrorActionPreference = 'Stop'
$connection = Get-WaConnection
"connections: $(@($connection).Count)"
if (-not (Get-WaConnection)) { 'not connected' }
'@
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $run.Output | Should -Be @('connections: 0', 'not connected')
    }
}

Describe 'Onboard.ps1 -WhatIf for a system user that does not exist yet' {
    It 'shows every step it would take: the user, the app, the account, the token; and creates nothing' {
        $envFile = Join-Path $script:Work 'whatif.env'
        $run = Invoke-AtPrompt @"
`$onboard = @{
    BusinessId  = `$env:NAOVA_BIZ
    AppId       = `$env:NAOVA_APP
    AccessToken = ConvertTo-SecureString `$env:NAOVA_ADMIN -AsPlainText -Force
    AppSecret   = ConvertTo-SecureString `$env:NAOVA_SECRET -AsPlainText -Force
    GraphUri    = `$env:NAOVA_URI
}
& '$(Join-Path $script:Repo 'examples/Onboard.ps1')' @onboard -SystemUserName whatif-new -WhatsAppBusinessAccount `$env:NAOVA_WABA -EnvFile '$envFile' -WhatIf
"@
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $plan = @($run.Output | Where-Object { $_ -like 'What if:*' })
        $plan | Should -HaveCount 4 -Because $run.Text
        $plan[0] | Should -Match "Create system user.+'whatif-new'"
        $plan[1] | Should -Match "Install app $($script:Emulator.Seed.AppId)"
        $plan[2] | Should -Match "Assign WhatsApp Business Account $($script:Emulator.Seed.WabaId) with tasks MANAGE"
        $plan[3] | Should -Match 'Generate a token that never expires'
        @((Get-GraphEmulatorState $script:Emulator).systemUsers | Where-Object name -eq 'whatif-new') | Should -HaveCount 0
        $envFile | Should -Not -Exist
    }
}

Describe 'The syntax of the commands that take a stored token' {
    # Get-Command -Syntax shows a DontShow parameter all the same (PowerShell/PowerShell#18503): only a parameter a
    # user types may be declared. Each command's syntax, one line per parameter set, read as a user at the prompt sees it.
    BeforeAll {
        $script:Syntax = Invoke-AtPrompt (@(
                'foreach ($name in ''Test-WaToken'', ''Get-WaToken'', ''Save-WaToken'', ''Update-WaToken'') {'
                '    "== $name"; (Get-Command $name -Syntax) -split "\r?\n" | Where-Object { $_.Trim() }'
                '}') -join "`n")
        $script:Sets = Split-Section $script:Syntax.Output
    }

    It 'is read for each command' {
        $script:Syntax.ExitCode | Should -Be 0 -Because $script:Syntax.Text
        $script:Sets.Keys | Sort-Object | Should -Be @('Get-WaToken', 'Save-WaToken', 'Test-WaToken', 'Update-WaToken')
        $script:Sets.Values | ForEach-Object { @($_).Count | Should -BeGreaterOrEqual 2 }
    }

    It '<_> shows no parameter that only the pipeline binds' -ForEach @('Test-WaToken', 'Get-WaToken', 'Save-WaToken', 'Update-WaToken') {
        ($script:Sets[$_] -join "`n") | Should -Not -Match '-(SecretMetadata|SecretType|Source|PipedObject)\b'
    }

    It 'Test-WaToken has one set for a token typed as a SecureString, and one each for a vault and a .env' {
        $sets = $script:Sets['Test-WaToken']
        @($sets).Count | Should -Be 3
        @($sets | Where-Object { $_ -match '\[-Token\] <securestring>' }).Count | Should -Be 1
        @($sets | Where-Object { $_ -match '\[\[-Name\] <string>\] \[\[-Vault\] <string>\]' }).Count | Should -Be 1
        @($sets | Where-Object { $_ -match ' -EnvFile <string>' }).Count | Should -Be 1
        # A piped token, report or Get-SecretInfo output binds through the one parameter a user can also type.
        @($sets | Where-Object { $_ -match '\[-InputObject <psobject>\]' }).Count | Should -Be 2
    }
}
