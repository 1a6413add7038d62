# A SecretManagement extension that behaves as Az.KeyVault's published one (see ../../README.md): no -Metadata on
# Set-Secret, no Set-SecretInfo, Remove-Secret a soft delete, Get-SecretInfo without metadata, the secret's type kept
# as Key Vault's contentType. Written for these tests; Az.KeyVault's own is not copied.
Set-StrictMode -Version 3.0

function Assert-AzContext {
    param([object] $SubscriptionId, [object] $AzKVaultName)
    foreach ($parameter in @{ SubscriptionId = $SubscriptionId; AZKVaultName = $AzKVaultName }.GetEnumerator()) {
        if ($parameter.Value -isnot [string]) { throw "The vault parameter $($parameter.Key) must be a string. Check the registration with 'Get-SecretVault | Format-List'." }
    }
    $context = Az.Accounts\Get-AzContext
    if ($null -eq $context -or $context.Subscription.Id -ne $SubscriptionId) {
        throw "To use the Azure vault '$AzKVaultName', sign in to its subscription: Connect-AzAccount -SubscriptionId $SubscriptionId."
    }
}

function ConvertFrom-SecureText([securestring] $Value) { [System.Net.NetworkCredential]::new('', $Value).Password }

function Get-Secret {
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    $secret = Az.KeyVault\Get-AzKeyVaultSecret -VaultName $AdditionalParameters.AZKVaultName -Name $Name
    if ($null -eq $secret) { return }
    switch ($secret.ContentType) {
        'String' { return ConvertFrom-SecureText $secret.SecretValue }
        'ByteArray' { return [System.Text.Encoding]::ASCII.GetBytes((ConvertFrom-SecureText $secret.SecretValue)) }
        'Hashtable' { $table = @{}; (ConvertFrom-SecureText $secret.SecretValue | ConvertFrom-Json).PSObject.Properties | ForEach-Object { $table[$_.Name] = $_.Value }; return $table }
        'PSCredential' {
            $pair = ConvertFrom-SecureText $secret.SecretValue | ConvertFrom-Json
            return [pscredential]::new($pair.UserName, (ConvertTo-SecureString $pair.Password -AsPlainText -Force))
        }
        default { return $secret.SecretValue }
    }
}

function Set-Secret {
    param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters)
    $vault = $AdditionalParameters.AZKVaultName
    $type = $Secret.GetType().Name
    $value = switch ($type) {
        'SecureString' { $Secret }
        'String' { ConvertTo-SecureString $Secret -AsPlainText -Force }
        'Byte[]' { ConvertTo-SecureString ([System.Text.Encoding]::ASCII.GetString($Secret)) -AsPlainText -Force }
        'Hashtable' { ConvertTo-SecureString (ConvertTo-Json $Secret) -AsPlainText -Force }
        'PSCredential' { ConvertTo-SecureString (ConvertTo-Json @{ UserName = $Secret.UserName; Password = $Secret.GetNetworkCredential().Password }) -AsPlainText -Force }
        default { throw 'Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable' }
    }
    $null = Az.KeyVault\Set-AzKeyVaultSecret -VaultName $vault -Name $Name -SecretValue $value -ContentType $type
    return $?
}

function Remove-Secret {
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    Az.KeyVault\Remove-AzKeyVaultSecret -VaultName $AdditionalParameters.AZKVaultName -Name $Name -Force
    return $?
}

function Get-SecretInfo {
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    $pattern = [WildcardPattern]::new($(if ($Filter) { $Filter } else { '*' }))
    foreach ($secret in Az.KeyVault\Get-AzKeyVaultSecret -VaultName $AdditionalParameters.AZKVaultName) {
        if (-not $pattern.IsMatch($secret.Name)) { continue }
        # The type Set-Secret kept as contentType, when it is one of SecretManagement's; Unknown otherwise.
        $known = @([Enum]::GetNames([Microsoft.PowerShell.SecretManagement.SecretType]) | Where-Object { $_ -eq $secret.ContentType })
        $type = if ($known) { [Microsoft.PowerShell.SecretManagement.SecretType]$known[0] } else { [Microsoft.PowerShell.SecretManagement.SecretType]::Unknown }
        [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($secret.Name, $type, $VaultName)
    }
}

function Test-SecretVault {
    param([string] $VaultName, [hashtable] $AdditionalParameters)
    try { Assert-AzContext $AdditionalParameters.SubscriptionId $AdditionalParameters.AZKVaultName }
    catch {
        Write-Error $_
        return $false
    }
    return $true
}
