# The peer of session-module.ps1's connection use: 22 Graph reads with Invoke-RestMethod and one web session.
param([string] $Module, [string] $Uri, [string] $Waba)
$ErrorActionPreference = 'Stop'
$token = $env:NAOVA_BENCH_ADMIN
$hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($env:NAOVA_BENCH_SECRET))
$proof = [System.Convert]::ToHexString($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($token))).ToLowerInvariant()
$headers = @{ Authorization = "Bearer $token" }
$null = Invoke-RestMethod -Uri "${Uri}v26.0/$($env:NAOVA_BENCH_BUSINESS)?fields=id,name&appsecret_proof=$proof" -Headers $headers -SessionVariable session
foreach ($i in 1..21) {
    $null = Invoke-RestMethod -Uri "${Uri}v26.0/$($env:NAOVA_BENCH_BUSINESS)/system_users?fields=id,name,role&limit=100&appsecret_proof=$proof" -Headers $headers -WebSession $session
}
[Console]::Out.WriteLine('SESSION done')
