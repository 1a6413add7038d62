#Requires -Version 5.1
<#
  Issue 24, case 7, in real pwsh with the real SecretManagement and SecretStore where PowerShell finds them (the
  stand-in's vault otherwise; the titles say which): Update-WaToken given a secret that is not a Meta token (a database
  password) refuses it with NotAToken and sends nothing to Meta. The emulator counts every Graph request it is sent.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Backend = (Get-SecretBackend).Name
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-TestManifest) -Force
    Import-Module (Join-Path (Get-TestRepo) 'examples/GraphEmulator.psm1') -Force
    $script:Emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
    $connect = Get-TestConnection $script:Emulator
    Connect-WaBusiness @connect
    $script:Vault = Initialize-TestVault -Name NaovaNonToken
    $script:Password = 'Sup3r-Secret_db#pass!2026'
    Set-Secret -Vault $script:Vault -Name DB_PASSWORD -Secret (ConvertTo-SecureString $script:Password -AsPlainText -Force)
    $script:Work = New-TestFolder
    $script:EnvFile = Join-Path $script:Work '.env'
    [System.IO.File]::WriteAllText($script:EnvFile, "DB_PASSWORD=$($script:Password)`n")
}

AfterAll {
    Disconnect-WaBusiness -ErrorAction SilentlyContinue
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Update-WaToken on a database password (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    It 'refuses <Command> with NotAToken and sends Meta nothing' -ForEach @(
        @{ Command = 'Update-WaToken -Vault $vault -Name DB_PASSWORD' }
        @{ Command = 'Update-WaToken -Vault $vault -Name DB_PASSWORD -WhatIf' }
        @{ Command = 'Update-WaToken -EnvFile $envFile -Variable DB_PASSWORD' }
        @{ Command = 'Get-SecretInfo -Vault $vault -Name DB_PASSWORD | Update-WaToken' }
    ) {
        $vault = $script:Vault
        $envFile = $script:EnvFile
        $before = (Get-GraphEmulatorState $script:Emulator).requestCount

        # The runner stops at the first error; here the error is what is looked at.
        $ErrorActionPreference = 'Continue'
        $all = @(& ([scriptblock]::Create($Command)) 2>&1 3>&1 4>&1 6>&1)
        $failed = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })

        (Get-GraphEmulatorState $script:Emulator).requestCount | Should -Be $before
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'NotAToken,Naova.WhatsAppToken.Commands.UpdateWaTokenCommand'
        "$($failed[0].ErrorDetails.Message) $($all | Out-String)" | Should -Not -BeLike "*$($script:Password)*"
        (Get-Secret -Vault $script:Vault -Name DB_PASSWORD -AsPlainText) | Should -Be $script:Password
    }
}
