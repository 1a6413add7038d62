# The 7.2 lane, run by PowerShell72Tests in the PowerShell 7.2.15 engine (tests/hosts/Ps72). Its runspace has the Core
# cmdlets only (no Utility, Management or Security: no Sort-Object, Join-Path or ConvertTo-SecureString), hence .NET
# calls for those. Against the emulator the test hosts: the doc's pipeline into a new .env, a rotation of it, a
# revocation, and an audit of the tokens in $env:NAOVA_TOKENS. Prints KEY=value lines, never a token or a secret;
# stops at the first error, which the host prints, after saying which engine folder the module loaded.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Secure([string] $Text) { [System.Net.NetworkCredential]::new('', $Text).SecurePassword }
function Sorted($Items) { [string[]] $list = @($Items); [Array]::Sort($list, [StringComparer]::Ordinal); $list -join ',' }
function TokenLines([string] $Path, [string] $Variable) { @([System.IO.File]::ReadAllLines($Path) | Where-Object { $_.StartsWith("$Variable=") }).Count }

"powershell=$($PSVersionTable.PSVersion)"
"edition=$($PSVersionTable.PSEdition)"
"runtime=$([System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)"
try {
    Import-Module $env:NAOVA_MODULE
    "module=$((Get-Module Naova.WhatsAppToken).ModuleBase)"
    Connect-WaBusiness -BusinessId $env:NAOVA_BIZ -AppId $env:NAOVA_APP -AccessToken (Secure $env:NAOVA_ADMIN) -AppSecret (Secure $env:NAOVA_SECRET) -GraphUri $env:NAOVA_URI
    "connected=$((Get-WaConnection).BusinessId)"

    # 1. The doc's pipeline, into a .env that does not exist yet.
    $envFile = [System.IO.Path]::Combine($env:NAOVA_WORK, '.env')
    $report = New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
        Grant-WaAssets -WhatsAppBusinessAccount $env:NAOVA_WABA -Task MANAGE |
        New-WaToken -Expiration Never |
        Save-WaToken -EnvFile $envFile |
        Test-WaToken
    "doc.reports=$(@($report).Count)"
    "doc.status=$($report.Status)"
    "doc.type=$($report.Type)"
    "doc.expires=$($report.Expires)"
    "doc.scopes=$(Sorted $report.Scopes)"
    "doc.systemuser=$($report.SystemUserId)"
    "doc.fingerprint=$($report.Fingerprint)"
    "env.lines=$(TokenLines $envFile 'WHATSAPP_ACCESS_TOKEN')"
    "env.read=$((Test-WaToken -EnvFile $envFile).Fingerprint)"

    # 2. A rotation of the .env: the new token where the application reads it, the old one revoked.
    $rotation = Update-WaToken -EnvFile $envFile
    "rotation.completed=$($rotation.Completed)"
    $rotated = Test-WaToken -EnvFile $envFile
    "rotation.status=$($rotated.Status)"
    "rotation.fingerprint=$($rotated.Fingerprint)"

    # 3. A revocation of what the .env holds.
    Get-WaToken -EnvFile $envFile | Revoke-WaToken -Confirm:$false
    $revoked = Test-WaToken -EnvFile $envFile
    "revoked.status=$($revoked.Status)"
    "revoked.valid=$($revoked.IsValid)"

    # 4. An audit of many tokens, piped as SecureStrings.
    $tokens = [System.Collections.Generic.List[securestring]]::new()
    foreach ($line in [System.IO.File]::ReadAllLines($env:NAOVA_TOKENS)) { $tokens.Add((Secure $line)) }
    $audit = @($tokens | Test-WaToken)
    "audit.reports=$($audit.Count)"
    "audit.healthy=$(@($audit | Where-Object { "$($_.Status)" -eq 'Healthy' }).Count)"
    "audit.fingerprints=$(@($audit | ForEach-Object { $_.Fingerprint }) -join ',')"
    'done=yes'
}
finally {
    # The module's loader picked dependencies/<tfm> by the runtime; the engine's assembly says which folder it came from.
    foreach ($assembly in [AppDomain]::CurrentDomain.GetAssemblies()) {
        if ($assembly.GetName().Name -eq 'Naova.WhatsAppToken.Engine') { "dependencies=$([System.IO.Path]::GetFileName([System.IO.Path]::GetDirectoryName($assembly.Location)))" }
    }
}
