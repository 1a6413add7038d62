#Requires -Version 5.1
<#
  examples/AzureAutomation.Runbook.ps1 as Azure Automation would run it, with what Azure gives replaced: a vault of
  this machine stands for the Key Vault (SecretStore with the real SecretManagement; the stand-in's vault otherwise,
  and the titles say which), Connect-AzAccount and Get-AzContext are test functions that record their calls, and
  Graph is the local emulator, given by the runbook's -GraphUri parameter.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Backend = (Get-SecretBackend).Name
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:Runbook = Join-Path $script:Repo 'examples/AzureAutomation.Runbook.ps1'
    Import-Module (Get-TestManifest) -Force
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force
    $script:Emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
    $script:Connect = Get-TestConnection $script:Emulator
    $script:Vault = Initialize-TestVault -Name NaovaKeyVault

    # What the Key Vault holds for the runbook: the admin token and the app secret, and the application's token,
    # made the documented way (Onboard.ps1) into the same vault.
    Set-Secret -Vault $script:Vault -Name META-ADMIN-TOKEN -SecureStringSecret $script:Connect.AccessToken
    Set-Secret -Vault $script:Vault -Name META-APP-SECRET -SecureStringSecret $script:Connect.AppSecret
    $script:First = & (Join-Path $script:Repo 'examples/Onboard.ps1') @script:Connect -Vault $script:Vault -SecretName WHATSAPP-ACCESS-TOKEN
    Disconnect-WaBusiness -ErrorAction SilentlyContinue

    # Azure's cmdlets, replaced: the runbook signs in with the managed identity and asks for the subscription.
    $global:NaovaAzCalls = New-Object System.Collections.ArrayList
    function global:Connect-AzAccount { param([switch] $Identity) $null = $global:NaovaAzCalls.Add("Connect-AzAccount -Identity:$Identity"); [pscustomobject]@{ Context = 'test' } }
    function global:Get-AzContext { $null = $global:NaovaAzCalls.Add('Get-AzContext'); [pscustomobject]@{ Subscription = [pscustomobject]@{ Id = '00000000-0000-0000-0000-000000000000' } } }

    $script:Job = @{
        KeyVaultName    = 'kv-naova-test'
        BusinessId      = $script:Emulator.Seed.BusinessId
        AppId           = $script:Emulator.Seed.AppId
        VaultName       = $script:Vault
        GraphUri        = $script:Emulator.Uri
        TokenSecretName = @('WHATSAPP-ACCESS-TOKEN')
    }

    function Get-HeldToken {
        @((Get-GraphEmulatorState $script:Emulator).tokens | Where-Object { $_.type -eq 'SYSTEM_USER' })
    }
}

AfterAll {
    Remove-Item -LiteralPath function:global:Connect-AzAccount, function:global:Get-AzContext, variable:global:NaovaAzCalls -ErrorAction SilentlyContinue
    Disconnect-WaBusiness -ErrorAction SilentlyContinue
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
}

Describe 'The runbook on a healthy token (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    BeforeAll {
        $global:NaovaAzCalls.Clear()
        $script:TokensBefore = @(Get-HeldToken | ForEach-Object { $_.fingerprint }) -join ','
        $script:Output = & $script:Runbook @script:Job
    }

    It 'signs in with the managed identity and reads the secrets from the vault given' {
        $global:NaovaAzCalls | Should -Contain 'Connect-AzAccount -Identity:True'
        # The vault is registered already: the runbook registers none, so it does not ask Azure for the subscription.
        $global:NaovaAzCalls | Should -Not -Contain 'Get-AzContext'
    }

    It 'reports the token Healthy and changes nothing: no new token at Meta, nothing kept as -PREVIOUS' {
        "$($script:First.Status)" | Should -Be 'Healthy'
        ($script:Output | Out-String) | Should -Match 'Healthy'
        (@(Get-HeldToken | ForEach-Object { $_.fingerprint }) -join ',') | Should -Be $script:TokensBefore
        Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN-PREVIOUS' | Should -BeNullOrEmpty
        (Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN').Metadata['Fingerprint'] | Should -Be $script:First.Fingerprint
    }
}

Describe 'The runbook on a token Meta no longer accepts (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    BeforeAll {
        # Someone revoked the application's token: the daily run must replace it and pass.
        Connect-WaBusiness @script:Connect
        Get-Secret -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN' | Revoke-WaToken -Confirm:$false
        Disconnect-WaBusiness
        $script:Output = & $script:Runbook @script:Job
    }

    It 'rotates it: a new token where the application reads it, checked Healthy, and no stale -PREVIOUS copy left' {
        $stored = Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN'
        $stored.Metadata['Fingerprint'] | Should -Not -Be $script:First.Fingerprint
        # Update-WaToken keeps the replaced token as -PREVIOUS only until the new one is verified and the old revoked.
        Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN-PREVIOUS' | Should -BeNullOrEmpty
        ($script:Output | Out-String) | Should -Match 'Healthy'
        Connect-WaBusiness @script:Connect
        try { "$((Test-WaToken -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN').Status)" | Should -Be 'Healthy' }
        finally { Disconnect-WaBusiness }
        @(Get-HeldToken | Where-Object { $_.fingerprint -eq $stored.Metadata['Fingerprint'] }) | Should -HaveCount 1
    }
}

Describe 'The runbook when Meta can not be asked about the token (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    BeforeAll {
        $script:StoredBefore = (Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN').Metadata['Fingerprint']
        $script:TokensBefore = @(Get-HeldToken | ForEach-Object { "$($_.fingerprint) $($_.revoked)" }) -join ','
        # Connect's three reads go through; every later request is throttled for an hour, longer than any budget:
        # each check of the token ends Unknown at once.
        $fault = '{"kind":"throttle","code":4,"estimatedMinutes":60,"count":100,"skip":3}'
        $null = Invoke-RestMethod -Method Post -Uri "$($script:Emulator.Uri)_emulator/faults" -Body $fault -ContentType application/json
        $script:Failure = $null
        try { $null = & $script:Runbook @script:Job } catch { $script:Failure = $_ }
        $null = Invoke-RestMethod -Method Delete -Uri "$($script:Emulator.Uri)_emulator/faults"
    }

    It 'fails the job, saying Meta was not asked, and rotates nothing' {
        $script:Failure | Should -Not -BeNullOrEmpty
        $script:Failure.FullyQualifiedErrorId | Should -Match '^(RateLimited|AuditFailed),'
        (Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN').Metadata['Fingerprint'] | Should -Be $script:StoredBefore
        Get-SecretInfo -Vault $script:Vault -Name 'WHATSAPP-ACCESS-TOKEN-PREVIOUS' | Should -BeNullOrEmpty
        (@(Get-HeldToken | ForEach-Object { "$($_.fingerprint) $($_.revoked)" }) -join ',') | Should -Be $script:TokensBefore
    }
}

Describe 'The runbook fails the job (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    It 'when a token it is told to check is not in the vault' {
        $job = $script:Job.Clone()
        $job.TokenSecretName = @('WHATSAPP-ACCESS-TOKEN', 'NO-SUCH-TOKEN')
        { & $script:Runbook @job } | Should -Throw
    }
}
