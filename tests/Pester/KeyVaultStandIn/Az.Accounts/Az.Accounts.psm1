# Connect-AzAccount, Disconnect-AzAccount and Get-AzContext for the tests. SecretManagement runs an extension vault in
# a runspace of its own, where a test's global functions are not seen: the context is kept in the process environment
# (NAOVA_AZ_SUBSCRIPTION_ID), which every runspace of the process reads, and each call is counted there too
# (NAOVA_AZ_CALLS, "Connect-AzAccount -Identity;Get-AzContext;..."), for tests that check who asked.
Set-StrictMode -Version 3.0

function Add-AzCall([string] $Call) { $env:NAOVA_AZ_CALLS = (@($env:NAOVA_AZ_CALLS, $Call) | Where-Object { $_ }) -join ';' }

function Connect-AzAccount {
    [CmdletBinding()]
    param([switch] $Identity, [string] $SubscriptionId = '00000000-0000-0000-0000-000000000000')
    Add-AzCall "Connect-AzAccount -Identity:$Identity"
    $env:NAOVA_AZ_SUBSCRIPTION_ID = $SubscriptionId
    [pscustomobject]@{ Context = Get-AzContext }
}

function Disconnect-AzAccount {
    [CmdletBinding()]
    param()
    Add-AzCall 'Disconnect-AzAccount'
    Remove-Item -LiteralPath env:NAOVA_AZ_SUBSCRIPTION_ID -ErrorAction SilentlyContinue
}

function Get-AzContext {
    [CmdletBinding()]
    param()
    Add-AzCall 'Get-AzContext'
    if (-not $env:NAOVA_AZ_SUBSCRIPTION_ID) { return }
    [pscustomobject]@{ Subscription = [pscustomobject]@{ Id = $env:NAOVA_AZ_SUBSCRIPTION_ID }; Account = [pscustomobject]@{ Id = 'managed-identity' } }
}
