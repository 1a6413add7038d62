#Requires -Version 7.0
<#
  Azure Key Vault, the vault the runbooks use, as a new user meets it: the real SecretManagement 1.1.2 with a vault
  registered as Az.KeyVault's is (the stand-in of KeyVaultStandIn/, which behaves as Az.KeyVault's published
  extension), over the Key Vault emulator (HTTPS on 127.0.0.1, held to Azure's spec and SDK by its own tests), and
  Graph as the local emulator.

  Issue 23 lists four failures of the module under Key Vault's rules (the first save, every rotation, the daily
  audit, a name Key Vault refuses), and a secret a person deleted: each Describe below is one of them, as it must go.
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
    $script:Session = Start-TestKeyVaultSession -Configuration (Get-TestConfiguration)
    $script:Emulator = $script:Session.Graph
    $script:KeyVault = $script:Session.KeyVault
    $script:Vault = Register-TestAzKeyVault -KeyVault $script:KeyVault
    Connect-AzAccount -Identity | Out-Null

    $connect = Get-TestConnection $script:Emulator
    Connect-WaBusiness @connect | Out-Null
    $null = New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $script:Emulator.Seed.WabaId -Task MANAGE

    function New-TestToken { Get-WaSystemUser -Name naova-whatsapp-service | New-WaToken -Expiration Never }

    # What a command wrote, by stream; a terminating error is kept with the others.
    function Invoke-Observed([scriptblock] $Block) {
        $ErrorActionPreference = 'Continue'
        $records = @(try { & $Block *>&1 } catch { $_ })
        [pscustomobject]@{
            Output   = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] })
            Errors   = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { "$_" })
        }
    }

    # An error's words and its causes' (SecretManagement wraps the extension's error: "Unable to add secret ...").
    function Get-ErrorText($Records) {
        @(foreach ($record in $Records) {
                for ($e = $record.Exception; $e; $e = $e.InnerException) { $e.Message }
            }) -join ' | '
    }

    function Get-MetaToken([string] $Fingerprint) { @((Get-GraphEmulatorState $script:Emulator).tokens | Where-Object { $_.fingerprint -eq $Fingerprint }) }
    function Get-MetaTokenCount { @((Get-GraphEmulatorState $script:Emulator).tokens | Where-Object { $_.type -eq 'SYSTEM_USER' }).Count }
    function Get-Unsaved { @(Get-Variable -Scope Global -Name WaUnsavedToken -ValueOnly -ErrorAction SilentlyContinue) }
}

AfterAll {
    Stop-TestKeyVaultSession $script:Session -Vault NaovaAzKeyVault
}

Describe 'The Az.KeyVault stand-in keeps Key Vault''s rules as Az.KeyVault''s extension does (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    It 'keeps each SecretManagement type as Key Vault''s contentType and gives it back' {
        Set-Secret -Vault $script:Vault -Name kind-string -Secret 'text'
        Set-Secret -Vault $script:Vault -Name kind-table -Secret @{ a = 'b' }
        Set-Secret -Vault $script:Vault -Name kind-credential -Secret ([pscredential]::new('user', (ConvertTo-SecureString 'pw' -AsPlainText -Force)))

        Get-Secret -Vault $script:Vault -Name kind-string -AsPlainText | Should -Be 'text'
        (Get-Secret -Vault $script:Vault -Name kind-table -AsPlainText).a | Should -Be 'b'
        (Get-Secret -Vault $script:Vault -Name kind-credential).UserName | Should -Be 'user'
        $infos = @(Get-SecretInfo -Vault $script:Vault -Name 'kind-*')
        ($infos | ForEach-Object { "$($_.Name)=$($_.Type)" }) -join ',' | Should -Be 'kind-credential=PSCredential,kind-string=String,kind-table=Hashtable'
        # Az.KeyVault's Get-SecretInfo reads no tags: no metadata, whatever Key Vault holds.
        @($infos | Where-Object { $_.Metadata -and $_.Metadata.Count -gt 0 }) | Should -BeNullOrEmpty
    }

    It 'soft-deletes on Remove-Secret: the name is taken until purged' {
        Set-Secret -Vault $script:Vault -Name removed -Secret 'v'
        Remove-Secret -Vault $script:Vault -Name removed

        (Get-TestKeyVaultNames $script:KeyVault).Deleted | Should -Contain 'removed'
        $observed = Invoke-Observed { Set-Secret -Vault $script:Vault -Name removed -Secret 'again' }
        Get-ErrorText $observed.Errors | Should -Match 'Secret removed is currently in a deleted but recoverable state, and its name cannot be reused'
        Clear-TestKeyVaultName $script:KeyVault removed
        Set-Secret -Vault $script:Vault -Name removed -Secret 'again'
        Get-Secret -Vault $script:Vault -Name removed -AsPlainText | Should -Be 'again'
    }

    It 'takes no metadata: SecretManagement writes the secret, removes it again, and Key Vault keeps the name deleted' {
        $observed = Invoke-Observed { Set-Secret -Vault $script:Vault -Name with-metadata -Secret 'v' -Metadata @{ Fingerprint = 'abc' } }
        $support = Invoke-Observed { Set-SecretInfo -Vault $script:Vault -Name kind-string -Metadata @{ a = 'b' } }

        $observed.Errors | Should -Not -BeNullOrEmpty
        $names = Get-TestKeyVaultNames $script:KeyVault
        $names.Live | Should -Not -Contain 'with-metadata'
        $names.Deleted | Should -Contain 'with-metadata'
        $support.Errors | Should -Not -BeNullOrEmpty
    }

    It 'answers Test-SecretVault by the Az context: false signed out, true signed in to the subscription' {
        Disconnect-AzAccount
        $out = Invoke-Observed { Test-SecretVault -Name $script:Vault }
        Connect-AzAccount -Identity | Out-Null
        $in = Test-SecretVault -Name $script:Vault

        $out.Output | Should -Be $false
        "$($out.Errors)" | Should -Match 'Connect-AzAccount -SubscriptionId 00000000-0000-0000-0000-000000000000'
        $in | Should -Be $true
        $env:NAOVA_AZ_CALLS -split ';' | Should -Contain 'Get-AzContext'
    }

    It 'refuses a name off Key Vault''s rule, in Key Vault''s words' {
        $observed = Invoke-Observed { Set-Secret -Vault $script:Vault -Name 'has_underscore' -Secret 'v' }

        Get-ErrorText $observed.Errors | Should -Match 'Unable to add secret has_underscore to vault NaovaAzKeyVault \| The request URI contains an invalid name: has_underscore'
        (Get-TestKeyVaultNames $script:KeyVault).Live | Should -Not -Contain 'has_underscore'
    }
}

Describe 'Issue 23 failure 1: the first save into Key Vault (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    BeforeAll {
        Remove-Variable -Scope Global -Name WaUnsavedToken -ErrorAction SilentlyContinue
        $script:Token = New-TestToken
        $script:Saved = Invoke-Observed { $script:Token | Save-WaToken -Vault $script:Vault -Name WHATSAPP-ACCESS-TOKEN }
        $script:Names = Get-TestKeyVaultNames $script:KeyVault
        $script:Retry = Invoke-Observed { Get-Unsaved | Save-WaToken -Vault $script:Vault -Name WHATSAPP-ACCESS-TOKEN }
        $script:NamesAfterRetry = Get-TestKeyVaultNames $script:KeyVault
    }

    It 'stores the token under WHATSAPP-ACCESS-TOKEN, sends no metadata, and leaves no name soft-deleted' {
        $script:Saved.Errors | Should -BeNullOrEmpty
        $script:Names.Live | Should -Contain 'WHATSAPP-ACCESS-TOKEN'
        $script:Names.Deleted | Should -Not -Contain 'WHATSAPP-ACCESS-TOKEN'
        (Get-WaToken -Vault $script:Vault -Name WHATSAPP-ACCESS-TOKEN).Fingerprint | Should -Be $script:Token.Fingerprint
        Get-Unsaved | Should -BeNullOrEmpty
    }
}

Describe 'Issue 23 failure 2: a rotation in Key Vault (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    BeforeAll {
        # The application's token, stored as Az.KeyVault stores one (Set-Secret, no metadata).
        $script:Old = New-TestToken
        Set-Secret -Vault $script:Vault -Name ROTATED-TOKEN -SecureStringSecret $script:Old.Token
        $script:Before = Get-MetaTokenCount
        $script:First = Invoke-Observed { Update-WaToken -Vault $script:Vault -Name ROTATED-TOKEN -Confirm:$false }
        $script:Second = Invoke-Observed { Update-WaToken -Vault $script:Vault -Name ROTATED-TOKEN -Confirm:$false }
        $script:Names = Get-TestKeyVaultNames $script:KeyVault
        function Get-RotatedDeleted { @((Get-TestKeyVaultNames $script:KeyVault).Deleted | Where-Object { $_ -like 'ROTATED-TOKEN*' }) }
    }

    It 'rotates twice in a row: a new working token each time, the old one revoked, and -PREVIOUS never deleted' {
        foreach ($run in $script:First, $script:Second) {
            $run.Errors | Should -BeNullOrEmpty
            "$($run.Output[-1].Step)" | Should -Be 'Completed'
        }
        Get-MetaTokenCount | Should -Be ($script:Before + 2)
        $now = (Get-WaToken -Vault $script:Vault -Name ROTATED-TOKEN).Fingerprint
        $now | Should -Be $script:Second.Output[-1].Fingerprint
        (Get-MetaToken $now).revoked | Should -Be $false
        (Get-MetaToken $script:Old.Fingerprint).revoked | Should -Be $true
        # The kept copy stays, revoked: deleting it would keep its name taken (soft delete) from the next rotation.
        $script:Names.Live | Should -Contain 'ROTATED-TOKEN-PREVIOUS'
        (Get-WaToken -Vault $script:Vault -Name ROTATED-TOKEN-PREVIOUS).Fingerprint | Should -Be $script:First.Output[-1].Fingerprint
        Get-RotatedDeleted | Should -BeNullOrEmpty
    }

    It 'three more rotations in a row each leave a new working token and no name soft-deleted' {
        # Ten in a row, each after a revoked token, are the runbook's rehearsal (KeyVaultRunbook.Tests.ps1).
        $seen = @($script:Old.Fingerprint, $script:First.Output[-1].Fingerprint, $script:Second.Output[-1].Fingerprint)
        foreach ($round in 1..3) {
            (Invoke-Observed { Update-WaToken -Vault $script:Vault -Name ROTATED-TOKEN -Confirm:$false }).Errors | Should -BeNullOrEmpty -Because "round $round"
            $now = (Get-WaToken -Vault $script:Vault -Name ROTATED-TOKEN).Fingerprint
            $seen | Should -Not -Contain $now
            $seen += $now
            (Get-MetaToken $now).revoked | Should -Be $false
            (Get-MetaToken $seen[-2]).revoked | Should -Be $true
            Get-RotatedDeleted | Should -BeNullOrEmpty
        }
    }

    It 'audits the kept -PREVIOUS token, revoked on purpose, without failing, and says why by its name' {
        $audit = Invoke-Observed { Test-WaToken -Vault $script:Vault -Name ROTATED-TOKEN-PREVIOUS -FailOn Warning, Unknown }

        $audit.Errors | Should -BeNullOrEmpty
        $audit.Output | Should -HaveCount 1
        $audit.Output[0].IsValid | Should -Be $false
        "$($audit.Output[0].Status)" | Should -Be 'Healthy'
        $audit.Output[0].Reason | Should -Match 'kept by a rotation'
    }
}

Describe 'Issue 23: a secret a person deleted in Key Vault, met anyway (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    BeforeAll {
        Remove-Variable -Scope Global -Name WaUnsavedToken -ErrorAction SilentlyContinue
        Set-Secret -Vault $script:Vault -Name DELETED-TOKEN -Secret 'gone'
        Remove-Secret -Vault $script:Vault -Name DELETED-TOKEN
        $script:Token = New-TestToken
        $script:Saved = Invoke-Observed { $script:Token | Save-WaToken -Vault $script:Vault -Name DELETED-TOKEN }

        # A rotation whose -PREVIOUS a person deleted: the kept copy can not be written.
        $script:Current = New-TestToken
        Set-Secret -Vault $script:Vault -Name KEPT-TOKEN -SecureStringSecret $script:Current.Token
        Set-Secret -Vault $script:Vault -Name KEPT-TOKEN-PREVIOUS -Secret 'old'
        Remove-Secret -Vault $script:Vault -Name KEPT-TOKEN-PREVIOUS
        $script:Before = Get-MetaTokenCount
        $script:Rotated = Invoke-Observed { Update-WaToken -Vault $script:Vault -Name KEPT-TOKEN -Confirm:$false }
    }

    It 'is one error that names the soft delete and gives Az''s commands to recover or purge; the token is kept to save again' {
        $script:Saved.Errors | Should -HaveCount 1
        $record = $script:Saved.Errors[0]
        $record.FullyQualifiedErrorId | Should -BeLike 'SecretDeleted,*'
        "$record" | Should -Match 'DELETED-TOKEN'
        "$record" | Should -Match 'deleted'
        $record.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('Undo-AzKeyVaultSecretRemoval -VaultName kv-naova-test -Name DELETED-TOKEN'))
        $record.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('Remove-AzKeyVaultSecret -VaultName kv-naova-test -Name DELETED-TOKEN -InRemovedState'))
        (Get-Unsaved).Fingerprint | Should -Contain $script:Token.Fingerprint
        (Get-MetaToken $script:Token.Fingerprint).revoked | Should -Be $false
    }

    It 'stops a rotation before Meta is asked, with the same fix, and the application''s token untouched' {
        $script:Rotated.Errors | Should -HaveCount 1
        $script:Rotated.Errors[0].FullyQualifiedErrorId | Should -BeLike 'SecretDeleted,*'
        "$($script:Rotated.Errors[0])" | Should -Match "^Nothing changed: vault NaovaAzKeyVault, secret KEPT-TOKEN still holds token $($script:Current.Fingerprint)"
        $script:Rotated.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'Undo-AzKeyVaultSecretRemoval -VaultName kv-naova-test -Name KEPT-TOKEN-PREVIOUS'
        Get-MetaTokenCount | Should -Be $script:Before
        (Get-WaToken -Vault $script:Vault -Name KEPT-TOKEN).Fingerprint | Should -Be $script:Current.Fingerprint
        (Get-MetaToken $script:Current.Fingerprint).revoked | Should -Be $false
    }
}

Describe 'Issue 23 failure 3: the daily audit of a token kept in Key Vault (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    BeforeAll {
        $script:Audited = New-TestToken
        Set-Secret -Vault $script:Vault -Name AUDITED-TOKEN -SecureStringSecret $script:Audited.Token
        # Someone revoked it: the runbook's audit must fail the job.
        $null = Get-Secret -Vault $script:Vault -Name AUDITED-TOKEN | Revoke-WaToken -Confirm:$false
        $script:Audit = Invoke-Observed { Get-SecretInfo -Vault $script:Vault -Name AUDITED-TOKEN | Test-WaToken -FailOn Warning, Unknown }
        # The runbook's audit now names each token, so it is checked.
        $script:Named = Invoke-Observed { [pscustomobject]@{ Vault = $script:Vault; Name = 'AUDITED-TOKEN' } | Test-WaToken -FailOn Warning, Unknown }
    }

    It 'fails the job that checked nothing it was asked to: the secret piped from a vault without metadata, Skipped, in one line' {
        (Get-MetaToken $script:Audited.Fingerprint).revoked | Should -Be $true
        $script:Audit.Errors | Should -Not -BeNullOrEmpty
        $failed = $script:Audit.Errors[-1]
        $failed.FullyQualifiedErrorId | Should -BeLike 'AuditFailed,*'
        "$failed" | Should -Match 'secret AUDITED-TOKEN \(Skipped: '
        "$failed" | Should -Match ([regex]::Escape("Test-WaToken -Vault 'NaovaAzKeyVault' -Name 'AUDITED-TOKEN'"))
        "$failed" | Should -Not -Match "`n"
    }

    It 'fails the job on a secret named explicitly that is not a token, Skipped unsent, in one line' {
        Set-Secret -Vault $script:Vault -Name DB-PASSWORD -Secret 'not-a-token-at-all'
        $audit = Invoke-Observed { Test-WaToken -Vault $script:Vault -Name DB-PASSWORD -FailOn Failed }

        "$($audit.Output[0].Status)" | Should -Be 'Skipped'
        $audit.Errors[-1].FullyQualifiedErrorId | Should -BeLike 'AuditFailed,*'
        "$($audit.Errors[-1])" | Should -Match 'secret DB-PASSWORD \(Skipped: not a Meta access token\)'
    }

    It 'judges the token the runbook names, and fails the job on it' {
        $script:Named.Output | Should -HaveCount 1
        "$($script:Named.Output[0].Status)" | Should -Be 'Failed'
        $script:Named.Output[0].Fingerprint | Should -Be $script:Audited.Fingerprint
        $script:Named.Errors[-1].FullyQualifiedErrorId | Should -BeLike 'AuditFailed,*'
    }
}

Describe 'Issue 23 failure 4: a name Key Vault refuses (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    BeforeAll {
        Remove-Variable -Scope Global -Name WaUnsavedToken -ErrorAction SilentlyContinue
        $script:Before = Get-MetaTokenCount
        $script:Saved = Invoke-Observed { New-TestToken | Save-WaToken -Vault $script:Vault -Name WHATSAPP_ACCESS_TOKEN }
        $script:AfterSave = Get-MetaTokenCount
        $script:Rotated = Invoke-Observed { Update-WaToken -Vault $script:Vault -Name WHATSAPP_ACCESS_TOKEN -Confirm:$false }
    }

    It 'refuses the name before Meta is asked, naming WHATSAPP-ACCESS-TOKEN' {
        $script:AfterSave | Should -Be $script:Before
        $script:Saved.Errors | Should -HaveCount 1
        $script:Saved.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecretName,*'
        $script:Saved.Errors[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('-Name WHATSAPP-ACCESS-TOKEN'))
        Get-Unsaved | Should -BeNullOrEmpty
        (Get-TestKeyVaultNames $script:KeyVault).Live | Should -Not -Contain 'WHATSAPP_ACCESS_TOKEN'
    }

    It 'refuses a rotation of that name the same way, before Meta is asked' {
        Get-MetaTokenCount | Should -Be $script:Before
        $script:Rotated.Errors | Should -HaveCount 1
        $script:Rotated.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecretName,*'
        "$($script:Rotated.Errors[0])" | Should -Match 'WHATSAPP-ACCESS-TOKEN'
    }
}

Describe 'Every request the Az.KeyVault stand-in made is one Azure''s spec describes (<Against>)' -ForEach @{ Against = $script:Run.Against } -Skip:$script:Run.Skip {
    BeforeAll {
        # Last in the file: the whole run's requests, each with the emulator's verdict against Azure's secrets spec.
        # Invoke-RestMethod writes a JSON array as one object: unrolled here.
        $answer = Invoke-RestMethod -Uri "$($script:KeyVault.Uri)_emulator/requests" -Headers @{ Authorization = "Bearer $($script:KeyVault.Token)" } -SkipCertificateCheck
        $script:Verdicts = @($answer | ForEach-Object { $_ })
        $script:Table = ($script:Verdicts | ForEach-Object { $_.line }) -join "`n"
        Write-Host "The Key Vault emulator's requests and the spec's verdict on each ($($script:Verdicts.Count)):`n$script:Table"
    }

    It 'sent only what the spec describes, apart from the names it was told to use and Key Vault refused' {
        $script:Verdicts.Count | Should -BeGreaterThan 20
        $offSpec = @($script:Verdicts | Where-Object { @($_.requestProblems | Where-Object { $_ -notmatch 'off the spec''s pattern' }).Count -gt 0 })
        $offSpec | Should -BeNullOrEmpty -Because $script:Table
        # A name off the spec's pattern was refused, never served.
        @($script:Verdicts | Where-Object { $_.requestProblems.Count -gt 0 -and $_.status -lt 300 }) | Should -BeNullOrEmpty -Because $script:Table
    }

    It 'got only answers the spec describes, and used the operations Az.KeyVault''s extension uses' {
        @($script:Verdicts | Where-Object { $_.answerProblems.Count -gt 0 }) | Should -BeNullOrEmpty -Because $script:Table
        $served = @($script:Verdicts | Where-Object { $_.status -lt 300 } | ForEach-Object { $_.operationId } | Sort-Object -Unique)
        $served -join ',' | Should -Be 'DeleteSecret,GetDeletedSecrets,GetSecret,GetSecrets,PurgeDeletedSecret,SetSecret'
        @($script:Verdicts | Where-Object { $_.status -eq 409 }).Count | Should -BeGreaterThan 0
    }
}
