# The SecretManagement extension of the Az.KeyVault stand-in (see ../../README.md): the five functions, nothing more.
@{
    ModuleVersion     = '1.0'
    RootModule        = 'Az.KeyVault.Extension.psm1'
    FunctionsToExport = @('Set-Secret', 'Get-Secret', 'Remove-Secret', 'Get-SecretInfo', 'Test-SecretVault')
}
