# A session at a prompt: connect, the doc's pipeline, then 20 more commands, each its own pipeline.
param([string] $Module, [string] $Uri, [string] $Waba)
$ErrorActionPreference = 'Stop'
$admin = ConvertTo-SecureString $env:NAOVA_BENCH_ADMIN -AsPlainText -Force
$secret = ConvertTo-SecureString $env:NAOVA_BENCH_SECRET -AsPlainText -Force
Import-Module $Module
Connect-WaBusiness -BusinessId $env:NAOVA_BENCH_BUSINESS -AppId $env:NAOVA_BENCH_APP -AccessToken $admin -AppSecret $secret -GraphUri $Uri
$report = New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $Waba -Task MANAGE | New-WaToken -Expiration Never | Test-WaToken
if ($report.Status -ne 'Healthy') { throw "the pipeline's token is $($report.Status)" }
foreach ($i in 1..20) {
    switch ($i % 4) {
        0 { $null = Get-WaSystemUser }
        1 { $null = Get-WaWhatsAppAccount }
        2 { $null = Get-WaApp }
        3 { $null = New-WaSystemUser -Name naova-whatsapp-service -Role Admin }
    }
}
[Console]::Out.WriteLine('SESSION done')
