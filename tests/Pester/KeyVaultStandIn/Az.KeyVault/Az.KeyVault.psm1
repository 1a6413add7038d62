# Get-, Set- and Remove-AzKeyVaultSecret, as far as Az.KeyVault's SecretManagement extension uses them, over Key
# Vault's REST API (api-version 2025-07-01) at $env:NAOVA_KEYVAULT_URI with $env:NAOVA_KEYVAULT_TOKEN. See ../README.md.
Set-StrictMode -Version 3.0

function Invoke-KeyVault {
    param([string] $Method, [string] $Path, [object] $Body)
    $base = $env:NAOVA_KEYVAULT_URI
    if (-not $base -or -not $env:NAOVA_KEYVAULT_TOKEN) { throw 'The Key Vault stand-in needs NAOVA_KEYVAULT_URI and NAOVA_KEYVAULT_TOKEN (the emulator the test started).' }
    $uri = [uri]$base
    # The certificate check is skipped, so only the emulator on this machine is ever called.
    if ($uri.Scheme -ne 'https' -or -not $uri.IsLoopback) { throw "The Key Vault stand-in calls a loopback https address only, not $base." }
    $call = @{
        Method               = $Method
        Uri                  = '{0}{1}?api-version=2025-07-01' -f $uri.AbsoluteUri, $Path
        Headers              = @{ Authorization = "Bearer $env:NAOVA_KEYVAULT_TOKEN" }
        SkipCertificateCheck = $true
        ErrorAction          = 'Stop'
    }
    if ($PSBoundParameters.ContainsKey('Body')) { $call.Body = ConvertTo-Json $Body -Depth 5 -Compress; $call.ContentType = 'application/json' }
    try { Invoke-RestMethod @call }
    catch {
        $answer = $null
        try { $answer = $_.ErrorDetails.Message | ConvertFrom-Json } catch { }
        $status = if ($_.Exception.PSObject.Properties['Response'] -and $_.Exception.Response) { [int]$_.Exception.Response.StatusCode } else { 0 }
        if ($answer -and $answer.PSObject.Properties['error']) {
            $failure = [System.InvalidOperationException]::new($answer.error.message)
            $failure.Data['Status'] = $status
            $failure.Data['Code'] = $answer.error.code
            throw $failure
        }
        throw
    }
}

function ConvertTo-SecretObject {
    param([object] $Answer, [switch] $WithValue)
    $name = ([uri]$Answer.id).Segments[2].TrimEnd('/')
    $object = [ordered]@{
        VaultName   = ([uri]$Answer.id).Host
        Name        = $name
        Version     = if (([uri]$Answer.id).Segments.Count -gt 3) { ([uri]$Answer.id).Segments[3] } else { $null }
        Id          = $Answer.id
        Enabled     = $Answer.attributes.enabled
        Expires     = if ($Answer.attributes.PSObject.Properties['exp']) { [DateTimeOffset]::FromUnixTimeSeconds($Answer.attributes.exp).UtcDateTime } else { $null }
        ContentType = if ($Answer.PSObject.Properties['contentType']) { $Answer.contentType } else { $null }
        Tags        = if ($Answer.PSObject.Properties['tags']) { $tags = @{}; $Answer.tags.PSObject.Properties | ForEach-Object { $tags[$_.Name] = $_.Value }; $tags } else { $null }
    }
    if ($WithValue) { $object.SecretValue = ConvertTo-SecureString -String $Answer.value -AsPlainText -Force }
    [pscustomobject]$object
}

function Get-AzKeyVaultSecret {
    <# With -Name: the latest version with its value, or nothing when there is none (as Az.KeyVault). Without: every secret, no values. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $VaultName, [string] $Name)
    if ($Name) {
        try { return ConvertTo-SecretObject (Invoke-KeyVault -Method Get -Path "secrets/$Name/") -WithValue }
        catch { if ($_.Exception.Data['Status'] -eq 404) { return } throw }
    }
    $page = Invoke-KeyVault -Method Get -Path 'secrets'
    while ($true) {
        foreach ($item in @($page.value)) { ConvertTo-SecretObject $item }
        if (-not $page.PSObject.Properties['nextLink'] -or -not $page.nextLink) { break }
        $page = Invoke-RestMethod -Uri $page.nextLink -Headers @{ Authorization = "Bearer $env:NAOVA_KEYVAULT_TOKEN" } -SkipCertificateCheck -ErrorAction Stop
    }
}

function Set-AzKeyVaultSecret {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $VaultName,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [securestring] $SecretValue,
        [string] $ContentType,
        [hashtable] $Tag
    )
    $body = @{ value = [System.Net.NetworkCredential]::new('', $SecretValue).Password }
    if ($ContentType) { $body.contentType = $ContentType }
    if ($Tag) { $body.tags = $Tag }
    ConvertTo-SecretObject (Invoke-KeyVault -Method Put -Path "secrets/$Name" -Body $body)
}

function Remove-AzKeyVaultSecret {
    <# A delete: with soft delete (every vault since 2025), the name is kept until recovered or purged. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $VaultName, [Parameter(Mandatory)] [string] $Name, [switch] $Force)
    $null = Invoke-KeyVault -Method Delete -Path "secrets/$Name"
}
