# Test stand-in for Az.KeyVault (see ../README.md): the three secret cmdlets its SecretManagement extension uses.
@{
    RootModule        = 'Az.KeyVault.psm1'
    # As Az.KeyVault's: SecretManagement calls the extension's functions as Az.KeyVault.Extension\<function>.
    NestedModules     = @('.\Az.KeyVault.Extension')
    ModuleVersion     = '6.3.1'
    GUID              = '6a7e1a2b-4c61-4f0e-9b7a-2f3d8c1e5a90'
    Author            = 'Naova (test stand-in)'
    Description       = 'Test stand-in for Az.KeyVault: Get-, Set- and Remove-AzKeyVaultSecret over the Key Vault emulator, and the SecretManagement extension Az.KeyVault publishes.'
    PowerShellVersion = '7.0'
    FunctionsToExport = @('Get-AzKeyVaultSecret', 'Set-AzKeyVaultSecret', 'Remove-AzKeyVaultSecret')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
