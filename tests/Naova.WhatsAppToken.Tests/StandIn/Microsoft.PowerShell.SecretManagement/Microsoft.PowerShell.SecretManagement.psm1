# STAND-IN FOR TESTS, NOT THE REAL MODULE.
#
# Microsoft.PowerShell.SecretManagement can not be installed where the tests run. This script module plays it: the
# real module's command names, parameter sets, positions and parameter types (from its source and documentation,
# version 1.1), and the errors it reports (same error ids, categories and exception types), so Naova.WhatsAppToken,
# which calls SecretManagement only through these public commands, runs here as it runs against the real module.
# The objects it writes are of the real public types (SecretInformation, SecretType, SecretVaultInfo), defined with
# the same names in the test assembly (StandIn/SecretManagementTypes.cs).
#
# Only core language features are used: the test host has no Utility or Management cmdlets.
#
# Three vaults, fixed, kept in this module's scope (a new runspace starts with them empty):
#   WithMetadata     keeps secrets and their metadata (string, int and DateTime values only, as SecretManagement allows)
#   WithoutMetadata  keeps secrets, but its extension has no Set-SecretInfo: Set-Secret -Metadata fails as the real
#                    module reports it (SetSecretMetadataCommandNotSupported) and removes the secret it just wrote
#   Locked           refuses every write and read, as a locked vault does (SetSecretInvalidOperation), until
#                    Unlock-SecretVault -Name Locked is given a (any non-empty) password
# Any other vault name is "not found in registry" (GetSecretVaultNotFound), as for an unregistered vault.
# Get-SecretVault registers each with an extension module (../Vaults) that declares what it keeps, as SecretManagement
# learns it from the real extension's Set-Secret and Set-SecretInfo.

# The public types: the hosted tests have them compiled into the test assembly; a real pwsh (the Pester suite, the
# real-pwsh xunit tests on a machine without the real module) compiles the same file, as the real module loads its
# library.
if (-not ('Microsoft.PowerShell.SecretManagement.SecretInformation' -as [type])) {
    Add-Type -Path ([System.IO.Path]::Combine($PSScriptRoot, '..', 'SecretManagementTypes.cs'))
}

$script:Vaults = [ordered]@{
    WithMetadata    = @{ Metadata = $true;  Locked = $false; Secrets = @{} }
    WithoutMetadata = @{ Metadata = $false; Locked = $false; Secrets = @{} }
    Locked          = @{ Metadata = $true;  Locked = $true;  Secrets = @{} }
}
$script:DefaultVault = 'WithMetadata'

function NewError([Exception] $Exception, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category) {
    [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $null)
}

function GetVault([System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Name) {
    if ([string]::IsNullOrEmpty($Name)) { $Name = $script:DefaultVault }
    foreach ($key in $script:Vaults.Keys) {
        if ([string]::Equals($key, $Name, [StringComparison]::OrdinalIgnoreCase)) { return @{ Name = $key; State = $script:Vaults[$key] } }
    }
    $Cmdlet.ThrowTerminatingError((NewError ([System.Management.Automation.PSInvalidOperationException]::new("Vault not found in registry: $Name")) 'GetSecretVaultNotFound' 'ObjectNotFound'))
}

function LockedError([string] $Message, [string] $ErrorId) {
    $inner = [System.Management.Automation.PSInvalidOperationException]::new('The vault is locked: a password is required to access it.')
    NewError ([System.Management.Automation.PSInvalidOperationException]::new($Message, $inner)) $ErrorId 'InvalidOperation'
}

function TypeOf([object] $Secret) {
    if ($Secret -is [securestring]) { return [Microsoft.PowerShell.SecretManagement.SecretType]::SecureString }
    if ($Secret -is [string]) { return [Microsoft.PowerShell.SecretManagement.SecretType]::String }
    if ($Secret -is [pscredential]) { return [Microsoft.PowerShell.SecretManagement.SecretType]::PSCredential }
    if ($Secret -is [hashtable]) { return [Microsoft.PowerShell.SecretManagement.SecretType]::Hashtable }
    if ($Secret -is [byte[]]) { return [Microsoft.PowerShell.SecretManagement.SecretType]::ByteArray }
    [Microsoft.PowerShell.SecretManagement.SecretType]::Unknown
}

# Metadata values may be string, int or DateTime only (SecretManagement's documented limit).
function CheckMetadata([System.Management.Automation.PSCmdlet] $Cmdlet, [hashtable] $Metadata) {
    foreach ($key in $Metadata.Keys) {
        $value = $Metadata[$key]
        if ($value -is [psobject]) { $value = $value.psobject.BaseObject }
        if (-not ($value -is [string] -or $value -is [int] -or $value -is [datetime])) {
            $type = if ($null -eq $value) { 'null' } else { $value.GetType().FullName }
            $Cmdlet.ThrowTerminatingError((NewError ([System.ArgumentException]::new("Metadata '$key' is of type $type; metadata values must be string, int or DateTime.")) 'SetSecretMetadataInvalidType' 'InvalidArgument'))
        }
    }
}

function ToReadOnly([hashtable] $Metadata) {
    $dictionary = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::OrdinalIgnoreCase)
    if ($null -ne $Metadata) {
        foreach ($key in $Metadata.Keys) {
            $value = $Metadata[$key]
            if ($value -is [psobject]) { $value = $value.psobject.BaseObject }
            $dictionary[[string] $key] = $value
        }
    }
    [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]]::new($dictionary)
}

function Info([string] $VaultName, [string] $Name, [hashtable] $Entry) {
    [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($Name, (TypeOf $Entry.Secret), $VaultName, $Entry.Metadata)
}

function Set-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SecureStringParameterSet')]
    param(
        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 0, Mandatory)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [object] $Secret,

        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [securestring] $SecureStringSecret,

        [Parameter(ParameterSetName = 'SecretInfoParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $SecretInfo,

        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 2)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 2)]
        [Parameter(ParameterSetName = 'SecretInfoParameterSet', Mandatory)]
        [string] $Vault,

        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 3)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 3)]
        [hashtable] $Metadata,

        [switch] $NoClobber
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Write secret to vault and override any existing secret of the same name')) { return }
        $value = switch ($PSCmdlet.ParameterSetName) {
            'SecureStringParameterSet' { $SecureStringSecret }
            'ObjectParameterSet' { if ($Secret -is [psobject]) { $Secret.psobject.BaseObject } else { $Secret } }
            'SecretInfoParameterSet' {
                $source = GetVault $PSCmdlet $SecretInfo.VaultName
                $Name = $SecretInfo.Name
                $Metadata = @{}
                foreach ($pair in $SecretInfo.Metadata.GetEnumerator()) { $Metadata[$pair.Key] = $pair.Value }
                $source.State.Secrets[$SecretInfo.Name].Secret
            }
        }
        $target = GetVault $PSCmdlet $Vault
        if ($NoClobber -and $target.State.Secrets.ContainsKey($Name)) {
            $PSCmdlet.ThrowTerminatingError((NewError ([System.Management.Automation.PSInvalidOperationException]::new("A secret with name $Name already exists in vault $($target.Name).")) 'SetSecretCommandAlreadyExistsWithNoClobber' 'ResourceExists'))
        }
        if ($target.State.Locked) {
            $PSCmdlet.WriteError((LockedError "Unable to add secret $Name to vault $($target.Name)" 'SetSecretInvalidOperation'))
            return
        }
        if ($null -ne $Metadata) { CheckMetadata $PSCmdlet $Metadata }
        $kept = if ($target.State.Metadata) { ToReadOnly $Metadata } else { ToReadOnly $null }
        $target.State.Secrets[$Name] = @{ Secret = $value; Metadata = $kept }
        if ($null -ne $Metadata -and $Metadata.Count -gt 0 -and -not $target.State.Metadata) {
            # As SecretManagement does when the extension has no Set-SecretInfo: report, then remove what was written.
            $PSCmdlet.WriteError((NewError ([System.Management.Automation.PSNotSupportedException]::new("Cannot add secret metadata '$Name' to vault '$($target.Name): The vault does not support the Set-SecretInfo function.")) 'SetSecretMetadataCommandNotSupported' 'NotImplemented'))
            $null = $target.State.Secrets.Remove($Name)
            $PSCmdlet.WriteVerbose("Secret $Name was successfully removed from vault $($target.Name).")
            return
        }
        $PSCmdlet.WriteVerbose("Secret $Name was successfully added to vault $($target.Name).")
    }
}

function Get-Secret {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet')]
    [OutputType([object])]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [string] $Name,

        [Parameter(ParameterSetName = 'NameParameterSet', Position = 1)]
        [string] $Vault,

        [Parameter(ParameterSetName = 'InfoParameterSet', Mandatory, ValueFromPipeline)]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject,

        [switch] $AsPlainText
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') { $Name = $InputObject.Name; $Vault = $InputObject.VaultName }
        $source = GetVault $PSCmdlet $Vault
        if ($source.State.Locked) {
            $PSCmdlet.WriteError((LockedError "Unable to get secret $Name from vault $($source.Name)" 'GetSecretInvalidOperation'))
            return
        }
        $entry = $source.State.Secrets[$Name]
        if ($null -eq $entry) {
            $PSCmdlet.WriteError((NewError ([System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found.")) 'GetSecretNotFound' 'ObjectNotFound'))
            return
        }
        $value = $entry.Secret
        if ($AsPlainText -and $value -is [securestring]) { return [System.Net.NetworkCredential]::new('', $value).Password }
        if (-not $AsPlainText -and $value -is [string]) {
            $secure = [securestring]::new()
            foreach ($c in $value.ToCharArray()) { $secure.AppendChar($c) }
            return $secure
        }
        , $value
    }
}

function Get-SecretInfo {
    [CmdletBinding()]
    [OutputType([Microsoft.PowerShell.SecretManagement.SecretInformation])]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string] $Name,

        [Parameter(Position = 1)]
        [string] $Vault
    )
    end {
        if ([string]::IsNullOrEmpty($Name)) { $Name = '*' }
        $pattern = [System.Management.Automation.WildcardPattern]::Get($Name, 'IgnoreCase')
        $names = if ([string]::IsNullOrEmpty($Vault)) { @($script:Vaults.Keys) } else { @((GetVault $PSCmdlet $Vault).Name) }
        foreach ($vaultName in $names) {
            $state = $script:Vaults[$vaultName]
            if ($state.Locked) {
                $PSCmdlet.WriteError((LockedError "Unable to get secret information from vault $vaultName" 'GetSecretInfoInvalidOperation'))
                continue
            }
            $sorted = [System.Collections.Generic.SortedDictionary[string, object]]::new([StringComparer]::OrdinalIgnoreCase)
            foreach ($key in $state.Secrets.Keys) { if ($pattern.IsMatch($key)) { $sorted[$key] = $state.Secrets[$key] } }
            foreach ($pair in $sorted.GetEnumerator()) { Info $vaultName $pair.Key $pair.Value }
        }
    }
}

function Set-SecretInfo {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'NameParameterSet', Position = 1, Mandatory, ValueFromPipeline)]
        [Parameter(ParameterSetName = 'InfoParameterSet', Position = 0, Mandatory)]
        [hashtable] $Metadata,

        [Parameter(ParameterSetName = 'NameParameterSet', Position = 2)]
        [string] $Vault,

        [Parameter(ParameterSetName = 'InfoParameterSet', Mandatory, ValueFromPipeline)]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Write secret metadata to vault and override any existing metadata associated with the secret')) { return }
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') { $Name = $InputObject.Name; $Vault = $InputObject.VaultName }
        $target = GetVault $PSCmdlet $Vault
        if ($target.State.Locked) {
            $PSCmdlet.WriteError((LockedError "Cannot add secret metadata '$Name' to vault '$($target.Name)'" 'SetSecretMetadataInvalidOperation'))
            return
        }
        if (-not $target.State.Metadata) {
            $PSCmdlet.WriteError((NewError ([System.Management.Automation.PSNotSupportedException]::new("Cannot add secret metadata '$Name' to vault '$($target.Name): The vault does not support the Set-SecretInfo function.")) 'SetSecretMetadataCommandNotSupported' 'NotImplemented'))
            return
        }
        CheckMetadata $PSCmdlet $Metadata
        $entry = $target.State.Secrets[$Name]
        if ($null -eq $entry) {
            $PSCmdlet.WriteError((NewError ([System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found.")) 'GetSecretNotFound' 'ObjectNotFound'))
            return
        }
        $entry.Metadata = ToReadOnly $Metadata
    }
}

function Remove-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'NameParameterSet', Position = 1, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Vault,

        [Parameter(ParameterSetName = 'InfoParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject
    )
    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Remove secret by name from vault')) { return }
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') { $Name = $InputObject.Name; $Vault = $InputObject.VaultName }
        $target = GetVault $PSCmdlet $Vault
        if ($target.State.Locked) {
            $PSCmdlet.WriteError((LockedError "Unable to remove secret $Name from vault $($target.Name)" 'RemoveSecretInvalidOperation'))
            return
        }
        if (-not $target.State.Secrets.Remove($Name)) {
            $PSCmdlet.WriteError((NewError ([System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found.")) 'GetSecretNotFound' 'ObjectNotFound'))
        }
    }
}

function Get-SecretVault {
    [CmdletBinding()]
    [OutputType([Microsoft.PowerShell.SecretManagement.SecretVaultInfo])]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]] $Name
    )
    end {
        if ($null -eq $Name) { $Name = @('*') }
        foreach ($n in $Name) {
            $pattern = [System.Management.Automation.WildcardPattern]::Get($n, 'IgnoreCase')
            $found = $false
            foreach ($key in $script:Vaults.Keys) {
                if ($pattern.IsMatch($key)) {
                    $found = $true
                    # Each vault's extension module (../Vaults), from which Naova.WhatsAppToken reads whether it keeps metadata.
                    $module = if ($script:Vaults[$key].Metadata) { 'Naova.StandIn.WithMetadata' } else { 'Naova.StandIn.WithoutMetadata' }
                    $path = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', 'Vaults', $module))
                    [Microsoft.PowerShell.SecretManagement.SecretVaultInfo]::new($key, $module, $path, "Stand-in test vault $key", $key -eq $script:DefaultVault)
                }
            }
            if (-not $found -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
                $PSCmdlet.WriteError((NewError ([System.Management.Automation.ItemNotFoundException]::new("Vault $n does not exist in registry.")) 'GetSecretVaultNotFound' 'ObjectNotFound'))
            }
        }
    }
}

function Test-SecretVault {
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [string[]] $Name
    )
    process {
        if ($null -eq $Name) { $Name = @($script:Vaults.Keys) }
        foreach ($n in $Name) { -not (GetVault $PSCmdlet $n).State.Locked }
    }
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Position = 1, Mandatory)]
        [securestring] $Password
    )
    end {
        # Any non-empty password unlocks the Locked vault for the rest of the session, as a vault's real one would.
        $vault = GetVault $PSCmdlet $Name
        if ($Password.Length -eq 0) {
            $PSCmdlet.WriteError((NewError ([System.Management.Automation.PSInvalidOperationException]::new("Unlocking vault '$Name' failed with error: the password is empty.")) 'UnlockSecretVaultInvalidOperation' 'InvalidOperation'))
            return
        }
        $vault.State.Locked = $false
        $PSCmdlet.WriteVerbose("Secret vault '$($vault.Name)' was successfully unlocked.")
    }
}

# The stand-in's three vaults are fixed: registering, unregistering and choosing the default are refused.
function Register-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Position = 0, Mandatory)] [ValidateNotNullOrEmpty()] [string] $ModuleName,
        [Parameter(Position = 1)] [string] $Name,
        [hashtable] $VaultParameters,
        [switch] $DefaultVault,
        [switch] $AllowClobber,
        [string] $Description,
        [switch] $PassThru
    )
    end { $PSCmdlet.ThrowTerminatingError((NewError ([System.NotSupportedException]::new('The SecretManagement stand-in has three fixed vaults.')) 'RegisterSecretVaultStandIn' 'NotImplemented')) }
}

function Unregister-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipelineByPropertyName)] [string[]] $Name,
        [Parameter(ParameterSetName = 'SecretVaultParameterSet', Position = 0, Mandatory, ValueFromPipeline)] [Microsoft.PowerShell.SecretManagement.SecretVaultInfo] $SecretVault
    )
    end { $PSCmdlet.ThrowTerminatingError((NewError ([System.NotSupportedException]::new('The SecretManagement stand-in has three fixed vaults.')) 'UnregisterSecretVaultStandIn' 'NotImplemented')) }
}

function Set-SecretVaultDefault {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory)] [string] $Name,
        [Parameter(ParameterSetName = 'SecretVaultParameterSet', Position = 0, Mandatory, ValueFromPipeline)] [Microsoft.PowerShell.SecretManagement.SecretVaultInfo] $SecretVault,
        [Parameter(ParameterSetName = 'ClearParameterSet', Mandatory)] [switch] $ClearDefault
    )
    # As SecretManagement does: one of the registered vaults becomes the default, or none is (-ClearDefault).
    end {
        if ($ClearDefault) { $script:DefaultVault = $null; return }
        if ($SecretVault) { $Name = $SecretVault.Name }
        $script:DefaultVault = (GetVault $PSCmdlet $Name).Name
    }
}

Export-ModuleMember -Function Set-Secret, Get-Secret, Get-SecretInfo, Set-SecretInfo, Remove-Secret, Get-SecretVault, Test-SecretVault, Unlock-SecretVault, Register-SecretVault, Unregister-SecretVault, Set-SecretVaultDefault
