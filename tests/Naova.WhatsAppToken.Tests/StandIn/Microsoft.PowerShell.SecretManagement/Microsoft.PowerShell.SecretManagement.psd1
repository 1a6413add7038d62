# STAND-IN FOR TESTS, NOT THE REAL MODULE: see the .psm1 beside this file.
@{
    RootModule        = 'Microsoft.PowerShell.SecretManagement.psm1'
    ModuleVersion     = '1.1.2'
    GUID              = '0c7b5d4e-2f0a-4c1e-9a57-5e1f3b8d7a20'
    Author            = 'Naova.WhatsAppToken tests'
    Description       = 'Test stand-in for Microsoft.PowerShell.SecretManagement: the real commands, parameter sets and errors, over three fixed in-memory vaults.'
    PowerShellVersion = '5.1'
    FunctionsToExport = @('Set-Secret', 'Get-Secret', 'Get-SecretInfo', 'Set-SecretInfo', 'Remove-Secret', 'Get-SecretVault', 'Test-SecretVault', 'Unlock-SecretVault', 'Register-SecretVault', 'Unregister-SecretVault', 'Set-SecretVaultDefault')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
