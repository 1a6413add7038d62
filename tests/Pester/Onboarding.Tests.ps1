#Requires -Version 5.1
<#
  The doc's whole path in real PowerShell (Windows PowerShell 5.1 or PowerShell 7), with Pester 5, against the local
  Graph API emulator on 127.0.0.1: connect as the seeded business admin, New-WaSystemUser | Grant-WaAssets |
  New-WaToken | Save-WaToken | Test-WaToken (through examples/Onboard.ps1), then check what Meta (the emulator) holds.

  Needs: the module and the emulator built (dotnet build NaovaPs.sln), dotnet on PATH, Pester 5.
  Run:   dotnet test tests/Naova.WhatsAppToken.Pester   (pwsh 7.6.10 and Pester 5.9.1 from NuGet, a fresh HOME; also
         part of dotnet test NaovaPs.sln)
  The vault test saves into a SecretStore vault with the real Microsoft.PowerShell.SecretManagement and
  Microsoft.PowerShell.SecretStore where PowerShell finds them, into the stand-in's vault otherwise; its name says which.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Backend = (Get-SecretBackend).Name
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:Onboard = Join-Path $script:Repo 'examples/Onboard.ps1'
    $script:Manifest = Get-TestManifest
    if (-not (Test-Path -LiteralPath $script:Manifest)) { throw "No module in out/: run 'dotnet build NaovaPs.sln' (or ./build.ps1) first." }
    Import-Module $script:Manifest -Force
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force

    # Built by the test run (the runner references the emulator): started, not built again.
    $script:Emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
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
        # Onboard.ps1 connects with -PassThru, which leaves the session without a default connection: connect here.
        Connect-WaBusiness @script:Connect
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

Describe "The doc's path into a vault (<Backend>)" -ForEach @{ Backend = $script:Backend } {
    It 'saves the token where the vault keeps it, with its metadata, and Test-WaToken reads it back from there' {
        $vault = Initialize-TestVault -Name NaovaPester
        $report = & $script:Onboard @script:Connect -Vault $vault -SecretName WHATSAPP_ACCESS_TOKEN

        "$($report.Status)" | Should -Be 'Healthy'
        Connect-WaBusiness @script:Connect
        $info = Get-SecretInfo -Vault $vault -Name WHATSAPP_ACCESS_TOKEN
        "$($info.Type)" | Should -Be 'SecureString'
        $info.Metadata['Fingerprint'] | Should -Be $report.Fingerprint
        $info.Metadata['SystemUserId'] | Should -Be $report.SystemUserId
        (Test-WaToken -Vault $vault -Name WHATSAPP_ACCESS_TOKEN).Fingerprint | Should -Be $report.Fingerprint
        (Get-Held).Tokens -split '\|' | Should -Contain $report.Fingerprint
        # The secret is the token Meta holds under that fingerprint, and it is kept as a SecureString.
        Get-Secret -Vault $vault -Name WHATSAPP_ACCESS_TOKEN | Should -BeOfType [securestring]
    }
}
