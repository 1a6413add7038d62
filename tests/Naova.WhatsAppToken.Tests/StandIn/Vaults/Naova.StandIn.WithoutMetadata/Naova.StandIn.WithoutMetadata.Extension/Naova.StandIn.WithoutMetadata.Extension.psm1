# The extension of the stand-in's WithoutMetadata vault (see ../../README.md): Set-Secret takes no -Metadata and there
# is no Set-SecretInfo, as Az.KeyVault's extension. Declarations only: the stand-in keeps the secrets.
function Get-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement reads its vaults itself.' }
function Set-Secret { param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement writes its vaults itself.' }
function Remove-Secret { param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement writes its vaults itself.' }
function Get-SecretInfo { param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement reads its vaults itself.' }
function Test-SecretVault { param([string] $VaultName, [hashtable] $AdditionalParameters) throw 'The stand-in SecretManagement answers for its vaults itself.' }
Export-ModuleMember -Function Get-Secret, Set-Secret, Remove-Secret, Get-SecretInfo, Test-SecretVault
