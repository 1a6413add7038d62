@{
    RootModule            = 'Naova.WhatsAppToken.dll'
    ModuleVersion         = '0.1.0'
    GUID                  = '3f6c1f2e-8d0a-4d7e-9b1c-5a2e7c4b9d61'
    Author                = 'Naova'
    CompanyName           = 'Naova'
    Copyright             = '(c) Naova. MIT License.'
    Description           = 'Creates permanent WhatsApp Cloud API tokens the way Meta documents it (system user, app and WABA grants, a token with the three WhatsApp scopes that never expires, checked with the Access Token Debugger) as a PowerShell pipeline, and keeps the token in a SecretManagement vault without ever showing it.'
    CompatiblePSEditions  = @('Desktop', 'Core')
    PowerShellVersion     = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess      = @('Naova.WhatsAppToken.format.ps1xml')
    TypesToProcess        = @('Naova.WhatsAppToken.types.ps1xml')
    CmdletsToExport       = @(
        'Connect-WaBusiness'
        'Disconnect-WaBusiness'
        'Get-WaConnection'
        'Get-WaSystemUser'
        'Get-WaWhatsAppAccount'
        'Get-WaApp'
        'New-WaSystemUser'
        'Grant-WaAssets'
        'New-WaToken'
        'Test-WaToken'
        'Update-WaToken'
        'Save-WaToken'
        'Get-WaToken'
        'Revoke-WaToken'
    )
    FunctionsToExport     = @()
    AliasesToExport       = @()
    VariablesToExport     = @()
    PrivateData           = @{
        PSData = @{
            Tags         = @('WhatsApp', 'Meta', 'Graph', 'Token', 'SecretManagement', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/naova/Naova.WhatsAppToken'
            LicenseUri   = 'https://github.com/naova/Naova.WhatsAppToken/blob/main/LICENSE'
            ReleaseNotes = 'First release: system users, asset grants, permanent tokens and their checks as a pipeline.'
        }
    }
}
