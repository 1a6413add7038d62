#Requires -Version 7.0
<#
  examples/AzureAutomation.Runbook.ps1 rehearsed against Azure Key Vault as a new user meets it: the real
  SecretManagement 1.1.2, the vault registered by the runbook itself with Az.KeyVault's extension (the stand-in of
  KeyVaultStandIn/, whose Connect-AzAccount and Get-AzContext the runbook calls), over the Key Vault emulator (HTTPS on
  127.0.0.1, held to Azure's spec and SDK by its own tests), and Graph as the local emulator.

  In order: the first save (Onboard.ps1), a daily run on a healthy token, a revoked token found and rotated, ten
  rotations in a row, then the job failing when the stored token is revoked and can not be rotated. After every step
  the application's secret holds a token debug_token calls valid (asked of the Graph emulator directly, not through the
  module) and Key Vault's deleted list is empty. The same runbook against SecretStore is Runbook.Tests.ps1.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'KeyVaultSupport.psm1') -Force
    # The real SecretManagement only: the file tests its behaviour under Key Vault's rules.
    $script:Run = Get-TestKeyVaultRun
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'KeyVaultSupport.psm1') -Force
    if (-not (Get-SecretBackend).Real) { return }
    $script:Repo = Get-TestRepo
    $script:Runbook = Join-Path $script:Repo 'examples/AzureAutomation.Runbook.ps1'
    $script:Session = Start-TestKeyVaultSession -Configuration (Get-TestConfiguration)
    $script:Emulator = $script:Session.Graph
    $script:KeyVault = $script:Session.KeyVault
    Register-TestAzKeyVault -KeyVault $script:KeyVault -NoRegister
    $script:Connect = Get-TestConnection $script:Emulator
    $script:Vault = 'NaovaKeyVault'
    $script:Name = 'WHATSAPP-ACCESS-TOKEN'

    # What an administrator put in the Key Vault for the runbook, with Az.KeyVault: the admin token and the app secret.
    Import-Module Az.KeyVault -ErrorAction Stop
    $null = Set-AzKeyVaultSecret -VaultName kv-naova-test -Name META-ADMIN-TOKEN -SecretValue $script:Connect.AccessToken
    $null = Set-AzKeyVaultSecret -VaultName kv-naova-test -Name META-APP-SECRET -SecretValue $script:Connect.AppSecret

    $script:Job = @{
        KeyVaultName    = 'kv-naova-test'
        BusinessId      = $script:Emulator.Seed.BusinessId
        AppId           = $script:Emulator.Seed.AppId
        VaultName       = $script:Vault
        GraphUri        = $script:Emulator.Uri
        TokenSecretName = @($script:Name)
    }

    # debug_token with the app token, asked of the Graph emulator itself: what Meta says of the application's token.
    function Get-DebugToken([string] $SecretName = $script:Name) {
        $text = Get-Secret -Vault $script:Vault -Name $SecretName -AsPlainText
        $appToken = '{0}|{1}' -f $script:Emulator.Seed.AppId, $script:Emulator.Seed.AppSecret
        $uri = '{0}v26.0/debug_token?input_token={1}&access_token={2}' -f $script:Emulator.Uri, [uri]::EscapeDataString($text), [uri]::EscapeDataString($appToken)
        (Invoke-RestMethod -Uri $uri -ErrorAction Stop).data
    }

    function Get-StoredFingerprint([string] $SecretName = $script:Name) { (Get-WaToken -Vault $script:Vault -Name $SecretName).Fingerprint }

    # At every step: a working token where the application reads it, and no name Key Vault keeps deleted.
    function Assert-Working {
        $data = Get-DebugToken
        $data.is_valid | Should -BeTrue
        $data.type | Should -Be 'SYSTEM_USER'
        (Get-TestKeyVaultNames $script:KeyVault).Deleted | Should -BeNullOrEmpty
    }

    function Invoke-Job { & $script:Runbook @script:Job }

    # Someone revoked the application's token (the runbook must find it and rotate it).
    function Revoke-Stored {
        Connect-WaBusiness @script:Connect
        try { $null = Get-Secret -Vault $script:Vault -Name $script:Name | Revoke-WaToken -Confirm:$false }
        finally { Disconnect-WaBusiness }
    }

    function Get-ValidMetaToken { @((Get-GraphEmulatorState $script:Emulator).tokens | Where-Object { $_.type -eq 'SYSTEM_USER' -and -not $_.revoked }) }
}

AfterAll {
    Stop-TestKeyVaultSession $script:Session -Vault NaovaKeyVault
}

Describe 'The runbook over Azure Key Vault (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    Context 'the first save' {
        BeforeAll {
            # On the administrator's machine: the Key Vault registered as the runbook's help says, and Onboard.ps1.
            $null = Connect-AzAccount -Identity
            Register-SecretVault -Name $script:Vault -ModuleName Az.KeyVault -VaultParameters @{ AZKVaultName = 'kv-naova-test'; SubscriptionId = (Get-AzContext).Subscription.Id }
            $script:Onboarded = & (Join-Path $script:Repo 'examples/Onboard.ps1') @script:Connect -Vault $script:Vault -SecretName $script:Name
            Disconnect-WaBusiness -ErrorAction SilentlyContinue
        }

        It 'stores the token in Key Vault, Healthy, with no name left deleted' {
            "$($script:Onboarded.Status)" | Should -Be 'Healthy'
            Get-StoredFingerprint | Should -Be $script:Onboarded.Fingerprint
            (Get-TestKeyVaultNames $script:KeyVault).Live | Should -Contain $script:Name
            Assert-Working
        }
    }

    Context 'a daily run on a healthy token' {
        BeforeAll {
            # The Automation account's sandbox starts signed out and without the vault: the runbook registers it itself.
            Unregister-SecretVault -Name $script:Vault
            Disconnect-AzAccount
            $env:NAOVA_AZ_CALLS = $null
            $script:TokensBefore = @(Get-ValidMetaToken | ForEach-Object { $_.fingerprint }) -join ','
            $script:Output = Invoke-Job
        }

        It 'signs in, registers the Key Vault itself, audits the token Healthy and changes nothing' {
            $env:NAOVA_AZ_CALLS -split ';' | Select-Object -First 2 | Should -Be @('Connect-AzAccount -Identity:True', 'Get-AzContext')
            (Get-SecretVault -Name $script:Vault).ModuleName | Should -Be 'Az.KeyVault'
            ($script:Output | Out-String) | Should -Match 'Healthy'
            (@(Get-ValidMetaToken | ForEach-Object { $_.fingerprint }) -join ',') | Should -Be $script:TokensBefore
            Get-StoredFingerprint | Should -Be $script:Onboarded.Fingerprint
            Assert-Working
        }
    }

    Context 'a revoked token, found and rotated' {
        BeforeAll {
            Revoke-Stored
            $script:Output = Invoke-Job
            $script:Rotated = Get-StoredFingerprint
        }

        It 'stores a new working token, revokes nothing else, keeps the revoked one as -PREVIOUS, and the audit passes' {
            $script:Rotated | Should -Not -Be $script:Onboarded.Fingerprint
            ($script:Output | Out-String) | Should -Match 'Healthy'
            Assert-Working
            # Kept, not removed: Key Vault's delete would keep the name taken from the next rotation.
            Get-StoredFingerprint "$script:Name-PREVIOUS" | Should -Be $script:Onboarded.Fingerprint
            (Get-DebugToken "$script:Name-PREVIOUS").is_valid | Should -BeFalse
            @(Get-ValidMetaToken | ForEach-Object { $_.fingerprint }) | Should -Be @($script:Rotated)
        }
    }

    Context 'ten rotations in a row' {
        It 'rotates each revoked token, passes the audit after each, and leaves no name deleted' {
            $seen = @($script:Onboarded.Fingerprint, $script:Rotated)
            foreach ($round in 1..10) {
                Revoke-Stored
                $output = Invoke-Job
                ($output | Out-String) | Should -Match 'Healthy' -Because "round $round"
                $now = Get-StoredFingerprint
                $seen | Should -Not -Contain $now -Because "round $round"
                Get-StoredFingerprint "$script:Name-PREVIOUS" | Should -Be $seen[-1] -Because "round $round"
                $seen += $now
                Assert-Working
            }
            @(Get-ValidMetaToken | ForEach-Object { $_.fingerprint }) | Should -Be @($seen[-1])
        }

        It 'audits the kept -PREVIOUS token, revoked on purpose, without failing the job' {
            Connect-WaBusiness @script:Connect
            try { $report = Test-WaToken -Vault $script:Vault -Name "$script:Name-PREVIOUS" -FailOn Warning, Unknown }
            finally { Disconnect-WaBusiness }
            "$($report.Status)" | Should -Be 'Healthy'
            $report.IsValid | Should -BeFalse
        }
    }

    Context 'a revoked token that can not be rotated' {
        BeforeAll {
            $script:Before = Get-StoredFingerprint
            Revoke-Stored
            # Meta refuses to make the new token (every access_tokens request fails, not transiently).
            $fault = '{"kind":"error","status":400,"code":100,"message":"(#100) Invalid parameter","isTransient":false,"pathContains":"access_tokens","count":50}'
            $null = Invoke-RestMethod -Method Post -Uri "$($script:Emulator.Uri)_emulator/faults" -Body $fault -ContentType application/json
            $script:Failure = $null
            $script:Said = try { Invoke-Job *>&1 | Out-String } catch { $script:Failure = $_ }
            $null = Invoke-RestMethod -Method Delete -Uri "$($script:Emulator.Uri)_emulator/faults"
        }

        It 'fails the job, leaves the stored token where it was, and no token made and left unheld' {
            $script:Failure | Should -Not -BeNullOrEmpty -Because "the job said: $script:Said"
            "$($script:Failure)" | Should -Match 'Invalid parameter'
            Get-StoredFingerprint | Should -Be $script:Before
            (Get-DebugToken).is_valid | Should -BeFalse
            # Nothing valid at Meta that nobody holds, and no name Key Vault keeps deleted.
            Get-ValidMetaToken | Should -BeNullOrEmpty
            @(Get-Variable -Scope Global -Name WaUnsavedToken -ValueOnly -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
            (Get-TestKeyVaultNames $script:KeyVault).Deleted | Should -BeNullOrEmpty
        }
    }
}
