<#
.SYNOPSIS
The whole of Meta's procedure for a permanent WhatsApp Cloud API token, in one run.

.DESCRIPTION
Connects as a business admin, finds the business's WhatsApp Business Accounts when none are named, creates (or
reuses) the system user, installs the app for it and grants it the accounts, makes a token with the three WhatsApp
scopes that never expires, stores it in a SecretManagement vault or a .env file without ever showing it, and checks
it with the Access Token Debugger. Its output is Test-WaToken's report. Running it again reuses what exists.

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

# The doc's four steps as one pipeline; -WhatIf and -Confirm reach every step that changes something.
New-WaSystemUser -Connection $connection -Name $SystemUserName -Role $Role |
    Grant-WaAssets -WhatsAppBusinessAccount $WhatsAppBusinessAccount -Task MANAGE |
    New-WaToken -Expiration Never |
    Save-WaToken @save |
    Test-WaToken
