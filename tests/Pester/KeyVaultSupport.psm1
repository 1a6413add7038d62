# The Key Vault emulator for the Pester files, as TestSupport.psm1 gives the Graph emulator and the vaults: started
# from what dotnet test built, on 127.0.0.1 (a port it picks), over HTTPS with a certificate made here, accepting one
# bearer token made here; and the Az.KeyVault stand-in (KeyVaultStandIn/) registered as Az.KeyVault's vault is.
# PowerShell 7 (the stand-in calls Invoke-RestMethod -SkipCertificateCheck).

Set-StrictMode -Version 3.0

$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestKeyVaultRun {
    <#
    .SYNOPSIS
    Whether a Key Vault file runs here (Skip), and what its titles say it ran against (Against). SecretManagement's own
    behaviour under Key Vault's rules (its write, then its removal) is what those files test: they need the real
    SecretManagement, as the stand-in of the xunit tests would prove nothing. Uses TestSupport.psm1's Get-SecretBackend.
    #>
    $backend = Get-SecretBackend
    [pscustomobject]@{
        Skip    = -not $backend.Real
        Against = if ($backend.Real) { "$($backend.Name), Az.KeyVault stand-in, Key Vault emulator" } else { 'skipped: needs the real SecretManagement' }
    }
}

function Start-TestKeyVaultSession {
    <#
    .SYNOPSIS
    What a Key Vault file starts with: the real SecretManagement, the module as built and the Graph emulator's module
    (imported for the whole session), the Graph emulator and the Key Vault emulator. Answers Graph and KeyVault; every
    failure stops what it started. Stop-TestKeyVaultSession ends it.
    #>
    param([string] $Configuration = 'Debug')
    Import-Module Microsoft.PowerShell.SecretManagement -Global -ErrorAction Stop
    Import-Module (Get-TestManifest) -Global -Force
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Global -Force
    $graph = Start-GraphEmulator -Configuration $Configuration -NoBuild
    try { [pscustomobject]@{ Graph = $graph; KeyVault = (Start-TestKeyVault -Configuration $Configuration) } }
    catch {
        Stop-GraphEmulator $graph
        throw
    }
}

function Stop-TestKeyVaultSession {
    <# Ends what Start-TestKeyVaultSession started, and the vault registered as <Vault>, and clears the stand-in's variables. #>
    param([AllowNull()] $Session, [string] $Vault)
    if (Get-Command Disconnect-WaBusiness -ErrorAction SilentlyContinue) { Disconnect-WaBusiness -ErrorAction SilentlyContinue }
    if ($Vault -and (Get-Command Unregister-SecretVault -ErrorAction SilentlyContinue)) { Unregister-SecretVault -Name $Vault -ErrorAction SilentlyContinue }
    if ($Session) {
        Stop-GraphEmulator $Session.Graph
        Stop-TestKeyVault $Session.KeyVault
    }
    Remove-Item -LiteralPath env:NAOVA_KEYVAULT_URI, env:NAOVA_KEYVAULT_TOKEN, env:NAOVA_AZ_SUBSCRIPTION_ID, env:NAOVA_AZ_CALLS -ErrorAction SilentlyContinue
}

function Start-TestKeyVault {
    <#
    .SYNOPSIS
    Starts the Key Vault emulator and answers Uri (https://127.0.0.1:PORT/), Token, Process and the folder of its
    certificate. Every failure stops what it started.
    #>
    param([string] $Configuration = 'Debug', [int] $TimeoutSeconds = 60)
    $dll = Join-Path $script:Repo "src/Naova.WhatsAppToken.KeyVaultEmulator/bin/$Configuration/net10.0/Naova.WhatsAppToken.KeyVaultEmulator.dll"
    if (-not (Test-Path -LiteralPath $dll)) { throw "The Key Vault emulator is not built for $Configuration ('$dll'): dotnet build NaovaPs.sln." }
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('naova-keyvault-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $folder
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    try {
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=127.0.0.1', $key,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddIpAddress([System.Net.IPAddress]::Loopback)
        $request.CertificateExtensions.Add($names.Build())
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddHours(2))
        [System.IO.File]::WriteAllText((Join-Path $folder 'cert.pem'), $certificate.ExportCertificatePem())
        [System.IO.File]::WriteAllText((Join-Path $folder 'key.pem'), $key.ExportPkcs8PrivateKeyPem())
        $certificate.Dispose()
    }
    finally { $key.Dispose() }
    $token = [guid]::NewGuid().ToString('N')

    $start = New-Object System.Diagnostics.ProcessStartInfo 'dotnet'
    foreach ($argument in $dll, '--cert', (Join-Path $folder 'cert.pem'), '--key', (Join-Path $folder 'key.pem'), '--token', $token) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        # It prints its address once it answers: no polling, no port chosen here that another process could take.
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait($TimeoutSeconds * 1000) -or $null -eq $line.Result -or $line.Result -notmatch 'listening on (https://127\.0\.0\.1:\d+/)') {
            throw "The Key Vault emulator did not start: $($line.Result) $($process.StandardError.ReadToEnd())"
        }
        [pscustomobject]@{ PSTypeName = 'Naova.TestKeyVault'; Uri = [uri]$Matches[1]; Token = $token; Process = $process; Folder = $folder }
    }
    catch {
        Stop-TestKeyVault ([pscustomobject]@{ Process = $process; Folder = $folder })
        throw
    }
}

function Stop-TestKeyVault {
    param([AllowNull()] $KeyVault)
    if (-not $KeyVault) { return }
    if (-not $KeyVault.Process.HasExited) { $KeyVault.Process.Kill($true); $null = $KeyVault.Process.WaitForExit(10000) }
    $KeyVault.Process.Dispose()
    Remove-Item -LiteralPath $KeyVault.Folder -Recurse -Force -ErrorAction SilentlyContinue
}

function Register-TestAzKeyVault {
    <#
    .SYNOPSIS
    Registers a SecretManagement vault as Az.KeyVault's is, over the emulator: the stand-in on PSModulePath, its
    NAOVA_KEYVAULT_* variables, and the stand-in's Az.Accounts, whose Connect-AzAccount the test calls to sign in.
    -NoRegister: all but the registration, which the runbook then makes itself, as in Azure.
    #>
    param([Parameter(Mandatory)] $KeyVault, [string] $Name = 'NaovaAzKeyVault', [string] $SubscriptionId = '00000000-0000-0000-0000-000000000000', [switch] $NoRegister)
    $env:NAOVA_KEYVAULT_URI = $KeyVault.Uri.AbsoluteUri
    $env:NAOVA_KEYVAULT_TOKEN = $KeyVault.Token
    $standIn = Join-Path $PSScriptRoot 'KeyVaultStandIn'
    if (($env:PSModulePath -split [System.IO.Path]::PathSeparator) -notcontains $standIn) { $env:PSModulePath = $standIn + [System.IO.Path]::PathSeparator + $env:PSModulePath }
    if ($NoRegister) { return }
    Register-SecretVault -Name $Name -ModuleName Az.KeyVault -VaultParameters @{ AZKVaultName = 'kv-naova-test'; SubscriptionId = $SubscriptionId } -ErrorAction Stop
    $Name
}

function Get-TestKeyVaultNames {
    <# The names live and soft-deleted in the emulator, read through Key Vault's own API. #>
    param([Parameter(Mandatory)] $KeyVault)
    $call = @{ Headers = @{ Authorization = "Bearer $($KeyVault.Token)" }; SkipCertificateCheck = $true; ErrorAction = 'Stop' }
    $names = { param($page) @($page.value | ForEach-Object { ([uri]$_.id).Segments[2].TrimEnd('/') }) }
    [pscustomobject]@{
        Live    = & $names (Invoke-RestMethod @call -Uri "$($KeyVault.Uri)secrets?api-version=2025-07-01")
        Deleted = & $names (Invoke-RestMethod @call -Uri "$($KeyVault.Uri)deletedsecrets?api-version=2025-07-01")
    }
}

function Clear-TestKeyVaultName {
    <# Purges a soft-deleted name, as a person who read the 409 would (Remove-AzKeyVaultSecret -InRemovedState). #>
    param([Parameter(Mandatory)] $KeyVault, [Parameter(Mandatory)] [string] $Name)
    $null = Invoke-RestMethod -Method Delete -Uri "$($KeyVault.Uri)deletedsecrets/$($Name)?api-version=2025-07-01" `
        -Headers @{ Authorization = "Bearer $($KeyVault.Token)" } -SkipCertificateCheck -ErrorAction Stop
}

Export-ModuleMember -Function Get-TestKeyVaultRun, Start-TestKeyVaultSession, Stop-TestKeyVaultSession, Start-TestKeyVault, Stop-TestKeyVault, Register-TestAzKeyVault, Get-TestKeyVaultNames, Clear-TestKeyVaultName
