# The same Graph calls as firstcall-module.ps1, with Invoke-RestMethod: Connect-WaBusiness's four checks (the
# business, the app, debug_token of the admin token with the app token, and the admin's role: a person's
# business_users), then the list of system users; with appsecret_proof, the token in the Authorization header, one
# web session.
param([string] $Module, [string] $Uri)
$ErrorActionPreference = 'Stop'
$token = $env:NAOVA_BENCH_ADMIN
$appSecret = $env:NAOVA_BENCH_SECRET
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$hmac = [System.Security.Cryptography.HMACSHA256]::new([System.Text.Encoding]::UTF8.GetBytes($appSecret))
$proof = [System.Convert]::ToHexString($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($token))).ToLowerInvariant()
$headers = @{ Authorization = "Bearer $token" }
$business = Invoke-RestMethod -Uri "${Uri}v26.0/$($env:NAOVA_BENCH_BUSINESS)?fields=id,name&appsecret_proof=$proof" -Headers $headers -SessionVariable session
$null = Invoke-RestMethod -Uri "${Uri}v26.0/$($env:NAOVA_BENCH_APP)?fields=id,name&appsecret_proof=$proof" -Headers $headers -WebSession $session
$debug = Invoke-RestMethod -Uri "${Uri}v26.0/debug_token?input_token=$([uri]::EscapeDataString($token))" -Headers @{ Authorization = "Bearer $($env:NAOVA_BENCH_APP)|$appSecret" } -WebSession $session
if (-not $debug.data.is_valid) { throw 'the admin token is not valid' }
$roles = @((Invoke-RestMethod -Uri "${Uri}v26.0/$($debug.data.user_id)/business_users?fields=business,role&appsecret_proof=$proof" -Headers $headers -WebSession $session).data)
if (-not ($roles | Where-Object { $_.business.id -eq $env:NAOVA_BENCH_BUSINESS })) { throw 'the admin has no role in the business' }
$users = @((Invoke-RestMethod -Uri "${Uri}v26.0/$($env:NAOVA_BENCH_BUSINESS)/system_users?fields=id,name,role&limit=100&appsecret_proof=$proof" -Headers $headers -WebSession $session).data)
$clock.Stop()
if (-not $business.id) { throw 'no business' }
$jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$peak = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
[Console]::Out.WriteLine(('FIRST {0} {1} {2} {3}' -f $clock.Elapsed.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture), $jit, $peak, $users.Count))
