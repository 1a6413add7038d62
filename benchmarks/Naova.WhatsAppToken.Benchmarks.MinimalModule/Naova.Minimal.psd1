@{
    RootModule           = 'Naova.Minimal.dll'
    ModuleVersion        = '1.0.0'
    GUID                 = '6a0b7c1d-2e3f-4a5b-8c9d-0e1f2a3b4c5d'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    CmdletsToExport      = @('Get-MinimalGreeting')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
}
