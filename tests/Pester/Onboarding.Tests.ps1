#Requires -Version 5.1
<#
  The doc's whole path in real PowerShell (Windows PowerShell 5.1 or PowerShell 7), with Pester 5, against the local
  Graph API emulator on 127.0.0.1: connect as the seeded business admin, New-WaSystemUser | Grant-WaAssets |
  New-WaToken | Save-WaToken | Test-WaToken (through examples/Onboard.ps1), then check what Meta (the emulator) holds.

  Needs: the module built (dotnet build NaovaPs.sln leaves it in out/), dotnet on PATH, Pester 5.
  Run:   Invoke-Pester tests/Pester     (build.ps1 -Task Test runs it after dotnet test)
  Optional: Microsoft.PowerShell.SecretManagement and Microsoft.PowerShell.SecretStore installed: the vault test then
  runs in a child PowerShell whose HOME and LOCALAPPDATA point at a temporary folder, so it never touches your store.
#>

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Onboard = Join-Path $script:Repo 'examples/Onboard.ps1'
    $script:Manifest = Join-Path $script:Repo 'out/Naova.WhatsAppToken/Naova.WhatsAppToken.psd1'
    if (-not (Test-Path -LiteralPath $script:Manifest)) { throw "No module in out/: run 'dotnet build NaovaPs.sln' (or ./build.ps1) first." }
    Import-Module $script:Manifest -Force
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force

    $configuration = if ($env:NAOVA_CONFIGURATION) { $env:NAOVA_CONFIGURATION } else { 'Debug' }
    $script:Emulator = Start-GraphEmulator -Configuration $configuration
    $seed = $script:Emulator.Seed
    $script:Seed = $seed
    $script:Connect = @{
        BusinessId  = $seed.BusinessId
        AppId       = $seed.AppId
        # The emulator's published demo credentials: valid nowhere but the emulator.
        AccessToken = ConvertTo-SecureString $seed.AdminToken -AsPlainText -Force
        AppSecret   = ConvertTo-SecureString $seed.AppSecret -AsPlainText -Force
        GraphUri    = $script:Emulator.Uri
    }
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('naova-pester-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:Work

    function Get-Held {
        # What Meta holds that a run could change: system users, grants, system-user tokens (by fingerprint).
        $state = Get-GraphEmulatorState $script:Emulator
        [pscustomobject]@{
            # Joined into one string each, so an empty list compares as plainly as a full one.
            SystemUsers = @($state.systemUsers | ForEach-Object { "$($_.id) $($_.name) $($_.role) $(@($_.installedApps) -join ',')" }) -join '|'
            Grants      = @($state.wabas | ForEach-Object { $w = $_; @($w.assignedUsers) | ForEach-Object { "$($w.id) $($_.user) $(@($_.tasks) -join ',')" } }) -join '|'
            Tokens      = @($state.tokens | Where-Object { $_.type -eq 'SYSTEM_USER' } | ForEach-Object { $_.fingerprint }) -join '|'
            Raw         = $state
        }
    }
}

AfterAll {
    Disconnect-WaBusiness -ErrorAction SilentlyContinue
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Onboard.ps1 -WhatIf' {
    It 'changes nothing at Meta and writes no file' {
        $before = Get-Held
        $envFile = Join-Path $script:Work 'whatif.env'

        $report = & $script:Onboard @script:Connect -EnvFile $envFile -WhatIf

        $report | Should -BeNullOrEmpty
        $after = Get-Held
        $after.SystemUsers | Should -Be $before.SystemUsers
        $after.Grants | Should -Be $before.Grants
        $after.Tokens | Should -Be $before.Tokens
        Test-Path -LiteralPath $envFile | Should -BeFalse
    }
}

Describe "The doc's path into a .env" {
    BeforeAll {
        $script:EnvFile = Join-Path $script:Work '.env'
        # An application's .env with other settings: they must survive byte for byte.
        [System.IO.File]::WriteAllText($script:EnvFile, "# app settings`nGRAPH_VERSION=v23.0`n")
        $script:Report = & $script:Onboard @script:Connect -EnvFile $script:EnvFile
    }

    It 'reports a healthy permanent system-user token with the three WhatsApp scopes' {
        $script:Report | Should -HaveCount 1
        "$($script:Report.Status)" | Should -Be 'Healthy'
        $script:Report.IsValid | Should -BeTrue
        $script:Report.Type | Should -Be 'SYSTEM_USER'
        $script:Report.Expires | Should -Be 'Never'
        $script:Report.ExpiresAt | Should -BeNullOrEmpty
        @($script:Report.MissingScopes) | Should -HaveCount 0
        @($script:Report.Problems) | Should -HaveCount 0
        @($script:Report.Scopes | Sort-Object) | Should -Be @('business_management', 'whatsapp_business_management', 'whatsapp_business_messaging')
    }

    It 'left Meta with the system user, its grants and one permanent token: the one reported' {
        $held = Get-Held
        $user = @($held.Raw.systemUsers | Where-Object { $_.name -eq 'naova-whatsapp-service' })
        $user | Should -HaveCount 1
        $user[0].role | Should -Be 'ADMIN'
        @($user[0].installedApps) | Should -Contain $script:Seed.AppId
        $grant = @(@($held.Raw.wabas | Where-Object { $_.id -eq $script:Seed.WabaId })[0].assignedUsers | Where-Object { $_.user -eq $user[0].id })
        @($grant[0].tasks) | Should -Contain 'MANAGE'
        $held.Tokens | Should -Be $script:Report.Fingerprint
        $token = @($held.Raw.tokens | Where-Object { $_.fingerprint -eq $script:Report.Fingerprint })[0]
        $token.expiresAt | Should -BeNullOrEmpty
        $token.userId | Should -Be $user[0].id
        $script:Report.SystemUserId | Should -Be $user[0].id
    }

    It 'saved the token in the .env, kept the other lines, and the stored token checks out' {
        $lines = Get-Content -LiteralPath $script:EnvFile
        $lines | Should -Contain '# app settings'
        $lines | Should -Contain 'GRAPH_VERSION=v23.0'
        @($lines | Where-Object { $_ -like 'WHATSAPP_ACCESS_TOKEN=*' }) | Should -HaveCount 1
        (Test-WaToken -EnvFile $script:EnvFile).Fingerprint | Should -Be $script:Report.Fingerprint
    }

    It 'never shows the token: not in the report, not in its text' {
        $text = (Get-Content -LiteralPath $script:EnvFile | Where-Object { $_ -like 'WHATSAPP_ACCESS_TOKEN=*' }) -replace '^WHATSAPP_ACCESS_TOKEN=', '' -replace '^["'']|["'']$', ''
        $text.Length | Should -BeGreaterThan 20
        ($script:Report | Format-List * | Out-String) | Should -Not -BeLike "*$text*"
        ($script:Report | Format-Table | Out-String) | Should -Not -BeLike "*$text*"
    }

    It 'runs again without a second system user: it reuses the one it made' {
        $again = & $script:Onboard @script:Connect -EnvFile $script:EnvFile
        "$($again.Status)" | Should -Be 'Healthy'
        @((Get-Held).Raw.systemUsers | Where-Object { $_.name -eq 'naova-whatsapp-service' }) | Should -HaveCount 1
    }
}

Describe 'Each step -WhatIf on an existing system user' {
    It 'grants nothing, makes no token and writes no file' {
        Connect-WaBusiness @script:Connect
        $user = Get-WaSystemUser -Name 'naova-whatsapp-service'
        $user | Should -HaveCount 1
        $before = Get-Held

        Grant-WaAssets -SystemUserId $user.Id -WhatsAppBusinessAccount $script:Seed.SecondWabaId -Task MANAGE -WhatIf | Out-Null
        New-WaToken -SystemUserId $user.Id -WhatIf | Should -BeNullOrEmpty
        $other = Join-Path $script:Work 'other.env'
        Get-WaToken -EnvFile (Join-Path $script:Work '.env') | Save-WaToken -EnvFile $other -WhatIf | Out-Null

        $after = Get-Held
        $after.Grants | Should -Be $before.Grants
        $after.Tokens | Should -Be $before.Tokens
        Test-Path -LiteralPath $other | Should -BeFalse
    }
}

Describe 'Discovery' {
    It 'lists the seeded accounts with their phone numbers, and the apps' {
        Connect-WaBusiness @script:Connect
        $accounts = @(Get-WaWhatsAppAccount)
        $accounts.WhatsAppBusinessAccountId | Should -Be @($script:Seed.WabaId, $script:Seed.SecondWabaId)
        @($accounts[0].PhoneNumbers).PhoneNumberId | Should -Be $script:Seed.PhoneNumberId
        (Get-WaApp | Where-Object IsConnectionApp).AppId | Should -Be $script:Seed.AppId
    }
}

Describe 'The doc''s path into a SecretStore vault' {
    It 'saves the token in a SecretStore vault and Test-WaToken reads it back from there' {
        $modules = 'Microsoft.PowerShell.SecretManagement', 'Microsoft.PowerShell.SecretStore'
        $missing = @($modules | Where-Object { -not (Get-Module -ListAvailable -Name $_) })
        if ($missing) {
            Set-ItResult -Skipped -Because "$($missing -join ' and ') not installed (Install-Module $($missing -join ', ') -Scope CurrentUser)"
            return
        }

        # A child PowerShell with its own HOME and LOCALAPPDATA: SecretManagement's vault registry and SecretStore's
        # files live there, so this test neither sees nor changes the user's vaults.
        $profileRoot = Join-Path $script:Work 'profile'
        $null = New-Item -ItemType Directory -Path $profileRoot
        $child = Join-Path $script:Work 'vault.ps1'
        Set-Content -LiteralPath $child -Encoding UTF8 -Value @'
param([string] $Manifest, [string] $Onboard, [string] $GraphUri)
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore
Reset-SecretStore -Authentication None -Interaction None -Force
Register-SecretVault -Name NaovaPester -ModuleName Microsoft.PowerShell.SecretStore
Import-Module $Manifest
$connect = @{
    BusinessId  = $env:NAOVA_PESTER_BUSINESS
    AppId       = $env:NAOVA_PESTER_APP
    AccessToken = ConvertTo-SecureString $env:NAOVA_PESTER_ADMIN -AsPlainText -Force
    AppSecret   = ConvertTo-SecureString $env:NAOVA_PESTER_SECRET -AsPlainText -Force
    GraphUri    = $GraphUri
}
$report = & $Onboard @connect -Vault NaovaPester -SecretName WHATSAPP_ACCESS_TOKEN
$info = Get-SecretInfo -Vault NaovaPester -Name WHATSAPP_ACCESS_TOKEN
$again = Test-WaToken -Vault NaovaPester -Name WHATSAPP_ACCESS_TOKEN
[pscustomobject]@{
    Status      = "$($report.Status)"
    Fingerprint = $report.Fingerprint
    Again       = $again.Fingerprint
    SecretType  = "$($info.Type)"
    Metadata    = if ($info.Metadata) { @($info.Metadata.Keys) } else { @() }
} | ConvertTo-Json -Compress
'@
        $saved = @{}
        $vars = @{
            HOME = $profileRoot; LOCALAPPDATA = $profileRoot; USERPROFILE = $profileRoot
            NAOVA_PESTER_BUSINESS = $script:Seed.BusinessId; NAOVA_PESTER_APP = $script:Seed.AppId
            NAOVA_PESTER_ADMIN = $script:Seed.AdminToken; NAOVA_PESTER_SECRET = $script:Seed.AppSecret
        }
        foreach ($name in $vars.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $vars[$name])
        }
        try {
            $shell = (Get-Process -Id $PID).Path
            $output = & $shell -NoProfile -NonInteractive -File $child -Manifest $script:Manifest -Onboard $script:Onboard -GraphUri "$($script:Emulator.Uri)" 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output | Out-String)
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }

        $result = ($output | Where-Object { "$_" -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        $result.Status | Should -Be 'Healthy'
        $result.Again | Should -Be $result.Fingerprint
        $result.SecretType | Should -Be 'SecureString'
        (Get-Held).Tokens -split '\|' | Should -Contain $result.Fingerprint
    }
}
