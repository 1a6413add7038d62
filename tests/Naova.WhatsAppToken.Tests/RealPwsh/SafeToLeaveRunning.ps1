# Issue 11 in real pwsh 7.6.10, driven by RealPwshTests: the vault-wide audit, a rotation and the daily audit after it,
# and how the host renders an error's remedy. Prints KEY=value lines; never a token or a secret.
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
if ($env:NAOVA_REAL_SECRETSTORE -eq '1') {
    Import-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore
    # A fresh store without a password, as an unattended job would have; it lives in this run's own HOME.
    Reset-SecretStore -Scope CurrentUser -Authentication None -Interaction None -Force -WarningAction SilentlyContinue
    Register-SecretVault -Name Production -ModuleName Microsoft.PowerShell.SecretStore
    $vault = 'Production'
}
else {
    Import-Module $env:NAOVA_STANDIN
    $vault = 'WithMetadata'
}
"secretmanagement=$((Get-Module Microsoft.PowerShell.SecretManagement).Version) $((Get-Module Microsoft.PowerShell.SecretManagement).Path)"
"pwsh=$($PSVersionTable.PSVersion)"
Import-Module $env:NAOVA_MODULE

function Inspected { @((Invoke-RestMethod -Uri "$($env:NAOVA_URI)_emulator/state").inspectedTokens) }

$admin = ConvertTo-SecureString $env:NAOVA_ADMIN -AsPlainText -Force
$secret = ConvertTo-SecureString $env:NAOVA_SECRET -AsPlainText -Force
$employee = ConvertTo-SecureString $env:NAOVA_EMPLOYEE -AsPlainText -Force
$connectSaid = Connect-WaBusiness -BusinessId $env:NAOVA_BIZ -AppId $env:NAOVA_APP -AccessToken $admin -AppSecret $secret -GraphUri $env:NAOVA_URI 6>&1 | Out-String
"connect.said=$($connectSaid.Trim())"
$su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $env:NAOVA_WABA -WarningAction SilentlyContinue
$token = $su | New-WaToken
$null = $token | Save-WaToken -Vault $vault -Name WHATSAPP_ACCESS_TOKEN
Set-Secret -Vault $vault -Name META_APP_SECRET -SecureStringSecret $secret
Set-Secret -Vault $vault -Name META_ADMIN_TOKEN -SecureStringSecret $admin
Set-Secret -Vault $vault -Name DB_PASSWORD -Secret 'correct horse battery staple'
Set-Secret -Vault $vault -Name SETTINGS -Secret @{ user = 'sa'; password = 'hunter2hunter2' }
"token=$($token.Fingerprint)"

# 1. The README's vault-wide audit: only the token may reach debug_token.
$before = (Inspected).Count
$reports = Get-SecretInfo -Vault $vault | Test-WaToken
"audit=" + (($reports | ForEach-Object { "$("$($_.StoredIn)" -replace '^.*?(\w+)\W*$', '$1'):$($_.Status)" }) -join ';')
"audit.inspected=" + ((Inspected | Select-Object -Skip $before) -join ',')

# 2. A rotation, then the daily audit: nothing stale, nothing in $Error.
$Error.Clear()
$rotation = Update-WaToken -Vault $vault -Name WHATSAPP_ACCESS_TOKEN
"rotation.completed=$($rotation.Completed)"
"rotation.errors=$($Error.Count) $(@($Error | ForEach-Object { $_.FullyQualifiedErrorId }) -join ' | ')"
"rotation.previous=$(@(Get-SecretInfo -Vault $vault -Name '*PREVIOUS*').Count)"
try {
    $daily = Get-SecretInfo -Vault $vault | Test-WaToken -FailOn Warning
    "daily=passed " + (($daily | ForEach-Object Status) -join ',')
}
catch {
    "daily=failed $($_.Exception.Message)"
}

# 3. An employee's New-WaToken: the cause and the remedy, rendered as the host renders it (ConciseView).
Connect-WaBusiness -BusinessId $env:NAOVA_BIZ -AppId $env:NAOVA_APP -AccessToken $employee -AppSecret $secret -GraphUri $env:NAOVA_URI -SkipCheck
$failure = $null
$null = New-WaToken -SystemUserId $su.SystemUserId -ErrorAction SilentlyContinue -ErrorVariable failure
"employee.error=$($failure[0].FullyQualifiedErrorId)"
$rendered = ($failure[0] | Out-String -Width 4096) -replace '\s+', ' '
"employee.errorview=$ErrorView"
"employee.rendered=$rendered"
"employee.remedy.count=$([regex]::Matches($rendered, 'connect as a business admin').Count)"
"employee.recommendation.count=$([regex]::Matches($rendered, 'Recommendation:').Count)"
