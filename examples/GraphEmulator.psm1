# Starts and stops the local Graph API emulator for build.ps1 -Task Demo and the Pester suite.
# Windows PowerShell 5.1 and PowerShell 7.x. The emulator listens on 127.0.0.1 only, on a free port.
#
# The emulator's own assembly is started (dotnet <dll>), not `dotnet run`: `dotnet run` starts the emulator as a
# child process, and stopping `dotnet run` by its id would leave that child listening.

Set-StrictMode -Version 3.0

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:Project = Join-Path $script:RepoRoot 'src/Naova.WhatsAppToken.Emulator/Naova.WhatsAppToken.Emulator.csproj'
$script:EmulatorPath = @{}

function Get-FreeLoopbackPort {
    $listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-GraphEmulator {
    <#
    .SYNOPSIS
    Builds and starts the Graph API emulator on 127.0.0.1 and waits until it answers.
    .OUTPUTS
    An object with Uri, Process, Seed (BusinessId, AppId, AppSecret, AdminToken, WabaId, SecondWabaId, PhoneNumberId) and Log.
    #>
    [CmdletBinding()]
    param(
        [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Debug',
        [int] $Port = 0,
        [int] $TimeoutSeconds = 60,
        [switch] $NoBuild
    )
    if (-not $NoBuild) {
        # The build's own lines go to the verbose stream, not to the output: the caller gets exactly one object.
        # --disable-build-servers: no MSBuild node or compiler server outlives the build.
        $built = & dotnet 'build' $script:Project '-c' $Configuration '--nologo' '-v' 'quiet' '--disable-build-servers'
        $built | ForEach-Object { Write-Verbose "$_" }
        if ($LASTEXITCODE -ne 0) { throw "Building the emulator failed (dotnet exit code $LASTEXITCODE):`n$($built | Out-String)" }
    }
    $dll = Get-GraphEmulatorPath -Configuration $Configuration
    if (-not (Test-Path -LiteralPath $dll)) { throw "The emulator is not built for $Configuration ('$dll'); run without -NoBuild." }
    if ($Port -eq 0) { $Port = Get-FreeLoopbackPort }
    $uri = "http://127.0.0.1:$Port/"
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ("naova-emulator-{0}-{1}.log" -f $Port, [guid]::NewGuid().ToString('N'))

    # Start-Process joins arguments with spaces: quote the path ourselves. The emulator runs without .NET's
    # diagnostics: it is stopped by its id, and a stopped .NET process leaves its diagnostic socket and debug pipes in
    # the temporary folder (dotnet-diagnostic-<pid>-*-socket, clr-debug-pipe-<pid>-*). Start-Process of Windows
    # PowerShell 5.1 has no -Environment: the variable is set for the start only.
    $diagnostics = $env:DOTNET_EnableDiagnostics
    $env:DOTNET_EnableDiagnostics = '0'
    try {
        $process = Start-Process -FilePath 'dotnet' -ArgumentList @("`"$dll`"", '--urls', "http://127.0.0.1:$Port") `
            -NoNewWindow -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
    }
    finally {
        $env:DOTNET_EnableDiagnostics = $diagnostics
    }
    # From here on, any failure stops the process it started: nothing is left listening.
    try {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ($true) {
            if ($process.HasExited) {
                $why = if (Test-Path -LiteralPath "$log.err") { Get-Content -LiteralPath "$log.err" -Raw } else { '' }
                throw "The emulator stopped at start (exit code $($process.ExitCode)). $why"
            }
            try {
                $null = Invoke-RestMethod -Uri "${uri}_emulator/state" -TimeoutSec 2 -ErrorAction Stop
                break
            }
            catch {
                if ([DateTime]::UtcNow -gt $deadline) {
                    throw "The emulator did not answer on $uri within $TimeoutSeconds s."
                }
                Start-Sleep -Milliseconds 250
            }
        }

        # The seed next to the assembly is the one the emulator loaded.
        $seed = Get-Content -LiteralPath (Join-Path (Split-Path -Parent $dll) 'seed.json') -Raw | ConvertFrom-Json
        $app = @($seed.apps | Where-Object { $_.relation -eq 'owned' })[0]
        $admin = @($seed.people | Where-Object { $_.role -eq 'ADMIN' })[0]
        $waba = @($seed.wabas | Where-Object { @($_.phoneNumbers).Count -gt 0 })[0]
        $second = @($seed.wabas | Where-Object { $_.id -ne $waba.id })[0]
        [pscustomobject]@{
            PSTypeName = 'Naova.GraphEmulator'
            Uri     = [uri]$uri
            Process = $process
            Log     = $log
            Seed    = [pscustomobject]@{
                BusinessId    = [string]$seed.business.id
                AppId         = [string]$app.id
                AppSecret     = [string]$app.secret
                AdminToken    = [string]$admin.token
                WabaId        = [string]$waba.id
                SecondWabaId  = [string]$second.id
                PhoneNumberId = [string]@($waba.phoneNumbers)[0].id
            }
        }
    }
    catch {
        if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue; $null = $process.WaitForExit(10000) }
        throw
    }
}

function Stop-GraphEmulator {
    <# .SYNOPSIS Stops an emulator that Start-GraphEmulator started (by its process id) and removes its logs. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] [PSTypeName('Naova.GraphEmulator')] $Emulator)
    process {
        if ($null -eq $Emulator) { return }
        if (-not $Emulator.Process.HasExited) {
            Stop-Process -Id $Emulator.Process.Id -Force -ErrorAction SilentlyContinue
            $null = $Emulator.Process.WaitForExit(10000)
        }
        Remove-Item -LiteralPath $Emulator.Log, "$($Emulator.Log).err" -Force -ErrorAction SilentlyContinue
    }
}

function Get-GraphEmulatorPath {
    <#
    .SYNOPSIS
    Where the emulator's assembly is for a configuration: the one build output under bin/<Configuration>/, or, when
    there is none or more than one (a target framework changed), what MSBuild says (asked once per configuration).
    #>
    [CmdletBinding()]
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Debug')
    if (-not $script:EmulatorPath.ContainsKey($Configuration)) {
        # An MSBuild evaluation costs seconds; every pwsh of the Pester suite starts an emulator.
        $bin = Join-Path (Split-Path -Parent $script:Project) "bin/$Configuration"
        $built = @(Get-ChildItem -Path (Join-Path $bin '*/Naova.WhatsAppToken.Emulator.dll') -File -ErrorAction SilentlyContinue)
        if ($built.Count -eq 1) { $script:EmulatorPath[$Configuration] = $built[0].FullName }
    }
    if (-not $script:EmulatorPath.ContainsKey($Configuration)) {
        $answer = & dotnet msbuild $script:Project -nologo '-nodeReuse:false' '-getProperty:TargetPath' "-p:Configuration=$Configuration"
        if ($LASTEXITCODE -ne 0) { throw "Asking MSBuild where the emulator is failed (exit code $LASTEXITCODE): $($answer | Out-String)" }
        $script:EmulatorPath[$Configuration] = ($answer | Out-String).Trim()
    }
    $script:EmulatorPath[$Configuration]
}

function Get-GraphEmulatorState {
    <# .SYNOPSIS What the emulator holds (system users, grants, tokens by fingerprint): GET /_emulator/state. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri "$($Emulator.Uri)_emulator/state" -ErrorAction Stop
}

Export-ModuleMember -Function Start-GraphEmulator, Stop-GraphEmulator, Get-GraphEmulatorState, Get-GraphEmulatorPath, Get-FreeLoopbackPort
