# Test stand-in for Az.Accounts (see ../README.md): the Az context the Az.KeyVault stand-in's extension checks.
@{
    RootModule        = 'Az.Accounts.psm1'
    ModuleVersion     = '5.3.0'
    GUID              = '3c1f0b6e-8d2a-4e57-a1c4-9b0e6f2d7a13'
    Author            = 'Naova (test stand-in)'
    Description       = 'Test stand-in for Az.Accounts: Connect-AzAccount and Get-AzContext, the context kept in the process environment.'
    PowerShellVersion = '7.0'
    FunctionsToExport = @('Connect-AzAccount', 'Get-AzContext', 'Disconnect-AzAccount')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
