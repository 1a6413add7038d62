# The extension of the stand-in's WithMetadata and Locked vaults (see ../../README.md): Set-Secret takes -Metadata and
# Set-SecretInfo is exported, as SecretStore's extension does. Declarations only: the stand-in keeps the secrets.
function Get-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement reads its vaults itself.' }
function Set-Secret { param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters, [hashtable] $Metadata) throw 'The stand-in SecretManagement writes its vaults itself.' }
function Set-SecretInfo { param([string] $Name, [hashtable] $Metadata, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement writes its vaults itself.' }
function Remove-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement writes its vaults itself.' }
function Get-SecretInfo { param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement reads its vaults itself.' }
function Test-SecretVault { param([string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement answers for its vaults itself.' }
Export-ModuleMember -Function Get-Secret, Set-Secret, Set-SecretInfo, Remove-Secret, Get-SecretInfo, Test-SecretVault
