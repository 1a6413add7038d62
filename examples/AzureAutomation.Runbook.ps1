<#
.SYNOPSIS
Azure Automation runbook: checks every stored WhatsApp token, rotates what needs it, and fails the job on problems.

.DESCRIPTION
Schedule it daily (Meta recommends checking tokens at least daily: they can be invalidated early). Nothing prompts.

The Automation account needs the modules Naova.WhatsAppToken (artifacts/Naova.WhatsAppToken.zip from
./build.ps1 -Task Package), Microsoft.PowerShell.SecretManagement, Az.Accounts and Az.KeyVault, and a managed
identity that may read and write the Key Vault's secrets. The Key Vault holds META-ADMIN-TOKEN (a business admin's
token, or the admin system user's), META-APP-SECRET, and the WhatsApp tokens the applications read.

Key Vault through Az.KeyVault's SecretManagement extension, as the module handles it:
- Names are letters, digits and dashes: use WHATSAPP-ACCESS-TOKEN, not WHATSAPP_ACCESS_TOKEN (Save-WaToken and
  Update-WaToken refuse a name Key Vault would refuse before Meta is asked, and say which name to use).
- The extension keeps no metadata: the module knows it from the extension before it writes, and stores the bare token
  (SecretManagement would otherwise write it, find no metadata kept, and delete it again).
- Key Vault's delete is soft: a deleted secret keeps its name taken until it is recovered or purged. So a rotation
  keeps the replaced token, revoked, as WHATSAPP-ACCESS-TOKEN-PREVIOUS rather than deleting it, and the next rotation
  writes over it (a new version). A name somebody deleted stops the job with the Az command to recover it
  (Undo-AzKeyVaultSecretRemoval) or to purge it (Remove-AzKeyVaultSecret -InRemovedState).
- The audit names each token (Get-SecretInfo output from a vault without metadata is Skipped, and -FailOn fails
  the job on it, as nothing was checked). A -PREVIOUS token that Meta says no longer works was revoked on purpose:
  Test-WaToken reports it Healthy, with a note.

.EXAMPLE
Start-AzAutomationRunbook -AutomationAccountName naova-ops -ResourceGroupName ops -Name WhatsAppTokens -Parameters @{ KeyVaultName = 'kv-naova-prod'; BusinessId = '104857362910475'; AppId = '1298374650192837' }
.EXAMPLE
./examples/AzureAutomation.Runbook.ps1 -KeyVaultName unused -BusinessId 104857362910475 -AppId 1298374650192837 -VaultName Rehearsal -GraphUri http://127.0.0.1:5080/

A rehearsal against the local Graph API emulator, with a registered vault named Rehearsal (a SecretStore vault, say)
holding the secrets the Key Vault would. tests/Pester/Runbook.Tests.ps1 runs it so, with Connect-AzAccount and
Get-AzContext replaced by test functions; tests/Pester/KeyVaultRunbook.Tests.ps1 runs it over a Key Vault emulator
with Az.KeyVault's extension rules, first save, rotations and a failing job included.
#>
param(
    [Parameter(Mandatory)] [string] $KeyVaultName,
    [Parameter(Mandatory)] [string] $BusinessId,
    [Parameter(Mandatory)] [string] $AppId,
    [string[]] $TokenSecretName = @('WHATSAPP-ACCESS-TOKEN'),
    [int] $RenewWithinDays = 15,
    # The SecretManagement vault that stands for the Key Vault; registered (Az.KeyVault) when no vault has this name.
    [string] $VaultName = 'NaovaKeyVault',
    # Graph's address. Leave it out in production (https://graph.facebook.com/); a rehearsal gives the local
    # emulator's (http is accepted on loopback only).
    [uri] $GraphUri
)

$ErrorActionPreference = 'Stop'

# Key Vault through SecretManagement, signed in as the Automation account's managed identity.
$null = Connect-AzAccount -Identity
$vault = $VaultName
if (-not (Get-SecretVault -Name $vault -ErrorAction SilentlyContinue)) {
    Register-SecretVault -Name $vault -ModuleName Az.KeyVault -VaultParameters @{
        AZKVaultName   = $KeyVaultName
        SubscriptionId = (Get-AzContext).Subscription.Id
    }
}

# An explicit connection object: jobs that share a worker process never share it.
$connect = @{
    BusinessId  = $BusinessId
    AppId       = $AppId
    AccessToken = Get-Secret -Vault $vault -Name META-ADMIN-TOKEN
    AppSecret   = Get-Secret -Vault $vault -Name META-APP-SECRET
}
if ($GraphUri) { $connect.GraphUri = $GraphUri }
$connection = Connect-WaBusiness @connect -PassThru

# 1. Rotate what Meta judged to need it: a token with a Warning or a Failed check, or an expiring one (Update-WaToken
#    renews a 60-day token only once fewer than -RenewWithin days are left). An Unknown token (Meta could not be
#    asked: unreachable, 5xx, throttled) and a Skipped secret are left as they are: nothing is known against them,
#    and the audit below fails the job on Unknown. Update-WaToken reports success only after the new token is stored,
#    verified and the old one revoked; if it stops half-way, the next run finishes the job.
foreach ($name in $TokenSecretName) {
    $report = Test-WaToken -Vault $vault -Name $name -Connection $connection
    if ($report.Status -in 'Warning', 'Failed' -or ($report.Status -eq 'Healthy' -and $report.ExpiresAt)) {
        Update-WaToken -Vault $vault -Name $name -RenewWithin $RenewWithinDays -Connection $connection -Confirm:$false
    }
}

# 2. Audit: one report per token (debug_token in batches of 50), and a failed job when any is not Healthy, or could
#    not be checked at all (Unknown). Each token is named, vault and name, so it is checked even where the vault keeps
#    no metadata (Key Vault through Az.KeyVault): nothing there says which secret is a token.
$TokenSecretName |
    ForEach-Object { [pscustomobject]@{ Vault = $vault; Name = $_ } } |
    Test-WaToken -Connection $connection -FailOn Warning, Unknown |
    Format-Table StoredIn, Status, ExpiresAt, Reason -Wrap |
    Out-String |
    Write-Output
