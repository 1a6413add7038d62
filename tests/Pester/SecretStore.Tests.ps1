#Requires -Version 5.1
<#
  A password-protected SecretStore, locked, and hosts that can not ask anything. Every run is a child
  pwsh -NoProfile -NonInteractive with its standard input closed, as a scheduled job is: a prompt or a wait shows as a
  run stopped after its time limit, and fails the test. A new process finds the store locked until Unlock-SecretStore.
  Needs the real Microsoft.PowerShell.SecretStore (the stand-in has no password store): skipped, saying so, otherwise.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Backend = Get-SecretBackend
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:HasStore = (Get-SecretBackend).Real
    # Each test that needs the real store starts with this: skipped, saying why, where it is not installed.
    function Skip-WithoutStore {
        if (-not $script:HasStore) { Set-ItResult -Skipped -Because 'it needs the real Microsoft.PowerShell.SecretStore (a password-protected store), which is not installed here; the stand-in has no such store' }
        -not $script:HasStore
    }
    $script:Work = New-TestFolder
    if ($script:HasStore) {
        # One store for the file, with a password and no prompts, set up in this process (which it leaves unlocked);
        # a new process finds it locked. SecretStore 1.0.6 fails a second Reset-SecretStore in the same process
        # (NullReferenceException), so later tests change its configuration instead.
        Import-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore
        $script:Password = ConvertTo-SecureString ('pester-' + [guid]::NewGuid().ToString('N')) -AsPlainText -Force
        Reset-SecretStore -Authentication Password -Password $script:Password -Interaction None -PasswordTimeout 900 -Force -Confirm:$false
        Register-SecretVault -Name NaovaLocked -ModuleName Microsoft.PowerShell.SecretStore -AllowClobber
    }
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force
    $script:Emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
    $script:ChildEnvironment = @{
        NAOVA_PESTER_BUSINESS = $script:Emulator.Seed.BusinessId; NAOVA_PESTER_APP = $script:Emulator.Seed.AppId
        NAOVA_PESTER_ADMIN = $script:Emulator.Seed.AdminToken; NAOVA_PESTER_SECRET = $script:Emulator.Seed.AppSecret
        NAOVA_PESTER_WABA = $script:Emulator.Seed.WabaId; NAOVA_PESTER_MANIFEST = (Get-TestManifest)
        NAOVA_PESTER_GRAPH = "$($script:Emulator.Uri)"
    }
    # The first lines of every child script: the module, a connection to the emulator's demo business.
    $script:Prologue = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:NAOVA_PESTER_MANIFEST
Connect-WaBusiness -BusinessId $env:NAOVA_PESTER_BUSINESS -AppId $env:NAOVA_PESTER_APP -GraphUri $env:NAOVA_PESTER_GRAPH `
    -AccessToken (ConvertTo-SecureString $env:NAOVA_PESTER_ADMIN -AsPlainText -Force) `
    -AppSecret (ConvertTo-SecureString $env:NAOVA_PESTER_SECRET -AsPlainText -Force)
$user = New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $env:NAOVA_PESTER_WABA -Task MANAGE

'@
    function Invoke-Child([string] $Name, [string] $Body, [hashtable] $Environment = @{}) {
        $file = Join-Path $script:Work "$Name.ps1"
        Set-Content -LiteralPath $file -Value ($script:Prologue + $Body)
        $childEnvironment = $script:ChildEnvironment.Clone()
        foreach ($key in $Environment.Keys) { $childEnvironment[$key] = $Environment[$key] }
        Invoke-TestPwsh -File $file -Environment $childEnvironment -TimeoutSeconds 120
    }
    function Read-Result($Run) {
        $json = @($Run.Output | Where-Object { $_ -like '{*' })
        if ($json.Count -eq 0) { throw "No result from the child: $($Run.Text)" }
        $json[-1] | ConvertFrom-Json
    }
}

AfterAll {
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe "A locked, password-protected SecretStore (<Name>)" -ForEach @{ Name = $script:Backend.Name } {
    BeforeAll {
        if (-not $script:HasStore) { return }
        $plain = [System.Net.NetworkCredential]::new('', $script:Password).Password

        $script:Run = Invoke-Child 'locked' @'
$errors = @()
$token = New-WaToken -SystemUserId $user.SystemUserId
# The destination is checked before any token reaches Save-WaToken: a locked store stops the pipeline at once.
try { $token | Save-WaToken -Vault NaovaLocked -Name WHATSAPP_ACCESS_TOKEN } catch { $errors = @($_) }
$failure = @($errors)[0]
$kept = $WaUnsavedToken
$retry = [regex]::Match("$($failure.ErrorDetails.RecommendedAction)", '\$WaUnsavedToken \| Save-WaToken[^\r\n]*').Value
Unlock-SecretStore -Password (ConvertTo-SecureString $env:NAOVA_PESTER_STORE_PASSWORD -AsPlainText -Force)
$null = $token | Save-WaToken -Vault NaovaLocked -Name WHATSAPP_ACCESS_TOKEN
$info = Get-SecretInfo -Vault NaovaLocked -Name WHATSAPP_ACCESS_TOKEN
$report = Test-WaToken -Vault NaovaLocked -Name WHATSAPP_ACCESS_TOKEN
[pscustomobject]@{
    ErrorId     = $failure.FullyQualifiedErrorId
    Remedy      = $failure.ErrorDetails.RecommendedAction
    Retry       = $retry
    Made        = $token.Fingerprint
    Kept        = $kept.Fingerprint
    Saved       = $info.Metadata['Fingerprint']
    Status      = "$($report.Status)"
    Checked     = $report.Fingerprint
    StillKept   = [bool](Get-Variable -Name WaUnsavedToken -Scope Global -ValueOnly -ErrorAction SilentlyContinue)
} | ConvertTo-Json -Compress
'@ @{ NAOVA_PESTER_STORE_PASSWORD = $plain }
    }

    It 'Save-WaToken refuses the locked store without waiting, before it takes a token, and says to unlock it' {
        if (Skip-WithoutStore) { return }
        $script:Run.TimedOut | Should -BeFalse -Because 'a -NonInteractive host must never wait for a password'
        $script:Run.ExitCode | Should -Be 0 -Because $script:Run.Text
        $result = Read-Result $script:Run
        $result.ErrorId | Should -Be 'VaultNotAnswering,Naova.WhatsAppToken.Commands.SaveWaTokenCommand'
        $result.Remedy | Should -Match 'Unlock-SecretStore'
        $result.Kept | Should -BeNullOrEmpty -Because 'the token never reached Save-WaToken; the caller still holds it'
        $result.Retry | Should -BeNullOrEmpty -Because 'no command to save a kept token names a store that was refused'
    }

    It 'once the store is unlocked the same save stores the token, and the stored token checks Healthy' {
        if (Skip-WithoutStore) { return }
        $result = Read-Result $script:Run
        $result.Saved | Should -Be $result.Made
        $result.Checked | Should -Be $result.Made
        $result.Status | Should -Be 'Healthy'
    }

    It 'never shows the token, or the store password, in anything the run wrote' {
        if (Skip-WithoutStore) { return }
        $plain = [System.Net.NetworkCredential]::new('', $script:Password).Password
        $script:Run.Text | Should -Not -BeLike "*$plain*"
        $token = Get-Secret -Vault NaovaLocked -Name WHATSAPP_ACCESS_TOKEN -AsPlainText -ErrorAction SilentlyContinue
        if (-not $token) {
            Unlock-SecretStore -Password $script:Password
            $token = Get-Secret -Vault NaovaLocked -Name WHATSAPP_ACCESS_TOKEN -AsPlainText
        }
        $token.Length | Should -BeGreaterThan 20
        $script:Run.Text | Should -Not -BeLike "*$token*"
    }
}

Describe '-WhatIf writes nothing to a SecretStore (<Name>)' -ForEach @{ Name = $script:Backend.Name } {
    # SecretStore's Test-SecretVault writes a secret to the store and removes it: -WhatIf must not run it.
    It 'Update-WaToken -WhatIf and Save-WaToken -WhatIf leave every file of the store as it was, and a locked store still stops them' {
        if (Skip-WithoutStore) { return }
        $plain = [System.Net.NetworkCredential]::new('', $script:Password).Password
        $run = Invoke-Child 'whatif' @'
function Get-StoreFiles {
    Get-ChildItem -LiteralPath (Join-Path $HOME '.secretmanagement/localstore') -File -Force | Sort-Object Name |
        ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.LastWriteTimeUtc.Ticks, (Get-FileHash -LiteralPath $_.FullName).Hash }
}
$locked = @()
try { Update-WaToken -Vault NaovaLocked -Name WHATIF_TOKEN -Force -WhatIf } catch { $locked = @($_) }
Unlock-SecretStore -Password (ConvertTo-SecureString $env:NAOVA_PESTER_STORE_PASSWORD -AsPlainText -Force)
$token = New-WaToken -SystemUserId $user.SystemUserId
$null = $token | Save-WaToken -Vault NaovaLocked -Name WHATIF_TOKEN
$before = @(Get-StoreFiles)
Update-WaToken -Vault NaovaLocked -Name WHATIF_TOKEN -Force -WhatIf
$token | Save-WaToken -Vault NaovaLocked -Name WHATIF_OTHER -WhatIf
$after = @(Get-StoreFiles)
[pscustomobject]@{
    LockedErrorId = @($locked)[0].FullyQualifiedErrorId
    Before        = $before -join '; '
    After         = $after -join '; '
    Files         = $before.Count
    Stored        = (Get-SecretInfo -Vault NaovaLocked -Name WHATIF_TOKEN).Metadata['Fingerprint']
    Other         = @(Get-SecretInfo -Vault NaovaLocked -Name WHATIF_OTHER).Count
    Made          = $token.Fingerprint
} | ConvertTo-Json -Compress
'@ @{ NAOVA_PESTER_STORE_PASSWORD = $plain }
        $run.TimedOut | Should -BeFalse -Because 'a -NonInteractive host must never wait for a password'
        $run.ExitCode | Should -Be 0 -Because $run.Text
        $result = Read-Result $run
        $result.LockedErrorId | Should -Be 'VaultNotAnswering,Naova.WhatsAppToken.Commands.UpdateWaTokenCommand' -Because '-WhatIf still finds a locked store'
        $result.Files | Should -BeGreaterThan 0
        $result.After | Should -Be $result.Before -Because 'no file of the store may be written by a -WhatIf'
        $result.Stored | Should -Be $result.Made
        $result.Other | Should -Be 0
    }
}

Describe 'Nothing prompts or waits in a -NonInteractive host (<Name>)' -ForEach @{ Name = $script:Backend.Name } {
    It 'a locked store that would prompt for its password stops New-WaToken | Save-WaToken before a token is made, without waiting' {
        if (Skip-WithoutStore) { return }
        # The store now asks for its password when it is locked, as an interactive user would set it.
        Set-SecretStoreConfiguration -Interaction Prompt -Password $script:Password -Confirm:$false
        $before = @((Get-GraphEmulatorState $script:Emulator).tokens).Count
        $run = Invoke-Child 'prompting' @'
$errors = @()
try { New-WaToken -SystemUserId $user.SystemUserId | Save-WaToken -Vault NaovaLocked -Name PROMPTING_TOKEN } catch { $errors = @($_) }
[pscustomobject]@{ Failed = @($errors).Count; ErrorId = @($errors)[0].FullyQualifiedErrorId; Kept = @($WaUnsavedToken).Count } | ConvertTo-Json -Compress
'@
        $run.TimedOut | Should -BeFalse -Because 'a -NonInteractive host must never wait for a password'
        $result = Read-Result $run
        $result.Failed | Should -Be 1
        $result.ErrorId | Should -Be 'VaultNotAnswering,Naova.WhatsAppToken.Commands.SaveWaTokenCommand'
        @((Get-GraphEmulatorState $script:Emulator).tokens).Count | Should -Be $before -Because 'no token may be made that could not be saved'
    }

    It 'Revoke-WaToken -All (ConfirmImpact High) stops with ConfirmationNeeded instead of asking, and revokes nothing' {
        $run = Invoke-Child 'confirm' @'
$token = New-WaToken -SystemUserId $user.SystemUserId
$token | Save-WaToken -EnvFile (Join-Path ([System.IO.Path]::GetTempPath()) ('naova-' + [guid]::NewGuid().ToString('N') + '.env')) | Out-Null
$caught = $null
try { Revoke-WaToken -All -SystemUserId $user.SystemUserId } catch { $caught = $_ }
[pscustomobject]@{ ErrorId = $caught.FullyQualifiedErrorId; Remedy = "$($caught.ErrorDetails.RecommendedAction)"; Made = $token.Fingerprint } | ConvertTo-Json -Compress
'@
        $run.TimedOut | Should -BeFalse
        $result = Read-Result $run
        $result.ErrorId | Should -BeLike 'ConfirmationNeeded,*'
        $result.Remedy | Should -BeLike '*-Confirm:$false*'
        $held = @((Get-GraphEmulatorState $script:Emulator).tokens | Where-Object { $_.fingerprint -eq $result.Made })
        $held | Should -HaveCount 1
        $held[0].revoked | Should -BeFalse
    }

    It 'Onboard.ps1 without a mandatory parameter fails at once instead of prompting for it' {
        $run = Invoke-TestPwsh -File (Join-Path $script:Repo 'examples/Onboard.ps1') -ArgumentList @('-BusinessId', '1') -TimeoutSeconds 120
        $run.TimedOut | Should -BeFalse
        $run.ExitCode | Should -Not -Be 0
        $run.Text | Should -Match 'AppId|mandatory|NonInteractive'
    }
}
