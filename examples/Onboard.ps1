<#
.SYNOPSIS
The whole of Meta's procedure for a permanent WhatsApp Cloud API token, in one run.

.DESCRIPTION
Connects as a business admin, finds the business's WhatsApp Business Accounts when none are named, creates (or
reuses) the system user, installs the app for it and grants it the accounts, makes a token with the three WhatsApp
scopes that never expires, stores it in a SecretManagement vault or a .env file without ever showing it, and checks
it with the Access Token Debugger. Its output is Test-WaToken's report. Running it again reuses what exists: the
system user, its grants, and the stored token while it works and reaches every account (otherwise Update-WaToken
rotates it where it is stored); it never makes a second token beside the first.

Works in Windows PowerShell 5.1 and PowerShell 7, at a prompt or in an Azure Automation job (nothing prompts).
build.ps1 -Task Demo runs it against the local Graph API emulator.

.EXAMPLE
./examples/Onboard.ps1 -BusinessId 104857362910475 -AppId 1298374650192837 -AccessToken (Read-Host -AsSecureString 'Admin token') -AppSecret (Read-Host -AsSecureString 'App secret') -Vault Production

Onboards against Meta and keeps the token in the vault Production as WHATSAPP_ACCESS_TOKEN.

.EXAMPLE
$seed = Get-Content ./src/Naova.WhatsAppToken.Emulator/seed.json -Raw | ConvertFrom-Json
$emulatorSeed = @{
    BusinessId  = $seed.business.id
    AppId       = $seed.apps[0].id
    AccessToken = ConvertTo-SecureString $seed.people[0].token -AsPlainText -Force   # demo data only
    AppSecret   = ConvertTo-SecureString $seed.apps[0].secret -AsPlainText -Force
}
./examples/Onboard.ps1 @emulatorSeed -GraphUri http://127.0.0.1:5080/ -EnvFile ./demo/.env -WhatIf

Against the local emulator (started as the README shows, on port 5080) with its demo business: shows what would be
created and granted, and changes nothing.
#>
[CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'EnvFile')]
param(
    [Parameter(Mandatory)] [string] $BusinessId,
    [Parameter(Mandatory)] [string] $AppId,
    # A business admin's token (a person's, or the business's admin system user's).
    [Parameter(Mandatory)] [securestring] $AccessToken,
    [Parameter(Mandatory)] [securestring] $AppSecret,
    # WhatsApp Business Account ids; default: every account the business owns.
    [string[]] $WhatsAppBusinessAccount,
    [string] $SystemUserName = 'naova-whatsapp-service',
    [ValidateSet('Admin', 'Employee')] [string] $Role = 'Admin',
    [Parameter(Mandatory, ParameterSetName = 'Vault')] [string] $Vault,
    [Parameter(ParameterSetName = 'Vault')] [string] $SecretName = 'WHATSAPP_ACCESS_TOKEN',
    # Default: a .env in a new temporary folder.
    [Parameter(ParameterSetName = 'EnvFile')] [string] $EnvFile,
    # Graph's address; the local emulator's for a rehearsal.
    [uri] $GraphUri
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if (-not (Get-Module Naova.WhatsAppToken)) {
    # In a clone, the module the build left in out/; otherwise the installed one.
    $built = Join-Path $PSScriptRoot '../out/Naova.WhatsAppToken/Naova.WhatsAppToken.psd1'
    if (Test-Path -LiteralPath $built) { Import-Module $built } else { Import-Module Naova.WhatsAppToken }
}

$connect = @{ BusinessId = $BusinessId; AppId = $AppId; AccessToken = $AccessToken; AppSecret = $AppSecret }
if ($GraphUri) { $connect.GraphUri = $GraphUri }
$connection = Connect-WaBusiness @connect -PassThru
Write-Information -InformationAction Continue -MessageData ("Connected to {0} ({1}), app {2}." -f $connection.BusinessName, $connection.BusinessId, $connection.AppId)

if (-not $WhatsAppBusinessAccount) {
    $accounts = @(Get-WaWhatsAppAccount -Connection $connection -Ownership Owned)
    if ($accounts.Count -eq 0) { throw "Business $BusinessId owns no WhatsApp Business Account that this token can see; name one with -WhatsAppBusinessAccount." }
    Write-Information -InformationAction Continue -MessageData ($accounts | Format-Table | Out-String).TrimEnd()
    $WhatsAppBusinessAccount = $accounts.WhatsAppBusinessAccountId
}

if ($PSCmdlet.ParameterSetName -eq 'Vault') {
    $save = @{ Vault = $Vault; Name = $SecretName }
}
else {
    if (-not $EnvFile) {
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('naova-onboard-' + [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($folder)
        $EnvFile = Join-Path $folder '.env'
    }
    $save = @{ EnvFile = $EnvFile }
}

# The doc's steps; -WhatIf and -Confirm reach every step that changes something. The system user and its grants are
# found and reused when they exist.
$granted = New-WaSystemUser -Connection $connection -Name $SystemUserName -Role $Role |
    Grant-WaAssets -WhatsAppBusinessAccount $WhatsAppBusinessAccount -Task MANAGE

# A token stored here already (a run before this one) is reused while it works for this system user and reaches every
# account; otherwise it is rotated where it is stored (a new token saved, then the old one revoked). A second token is
# never made beside it: it would be valid at Meta and named nowhere.
# Test-WaToken only reads. Nothing stored there (an error, a report of no token, or a Skipped one) is a first run.
$stored = $null
if ($PSCmdlet.ParameterSetName -eq 'Vault' -or (Test-Path -LiteralPath $EnvFile)) {
    try { $stored = Test-WaToken @save -Connection $connection -ErrorAction SilentlyContinue } catch { $stored = $null }
    # A report without a fingerprint names no token: the secret or the variable is not there.
    if ($stored -and ("$($stored.Status)" -eq 'Skipped' -or -not $stored.Fingerprint)) { $stored = $null }
}
if ($stored -and "$($stored.Status)" -eq 'Unknown') {
    throw "The token stored there ($($stored.Fingerprint)) could not be checked: $($stored.Reason) Run this again later; nothing was changed."
}
if (-not $stored) {
    $granted | New-WaToken -Expiration Never | Save-WaToken @save | Test-WaToken
    return
}
$userId = @($granted)[0].SystemUserId
$reaches = $stored.ReachesAllWhatsAppBusinessAccounts -or -not @($WhatsAppBusinessAccount | Where-Object { $_ -notin @($stored.WhatsAppBusinessAccountIds) })
if ("$($stored.Status)" -eq 'Healthy' -and $stored.SystemUserId -eq $userId -and $reaches) {
    Write-Information -InformationAction Continue -MessageData "The stored token $($stored.Fingerprint) works for $SystemUserName and reaches every account: reused."
    $stored
    return
}
$rotate = @{ Connection = $connection }
if (-not $stored.IsValid) { $rotate.SystemUserId = $userId }
$null = Update-WaToken @save @rotate
Test-WaToken @save -Connection $connection
