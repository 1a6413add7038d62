# What the Pester files share: the repository's paths, the configuration the test run built, a child pwsh that can not
# prompt, the vault the tests save into (the real SecretManagement + SecretStore where they are installed, the stand-in
# otherwise, and each test says which), and the processes a run leaves behind.
# PowerShell 7 (the suite runs in pwsh 7.6.10); the syntax stays what Windows PowerShell 5.1 reads, as ScriptTests checks.

Set-StrictMode -Version 3.0

$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

# NAOVA_PROCESS_MARK: the runner gives every Pester file's process tree one (children inherit it). Run by hand,
# this process gives one to the children it starts. NAOVA_TEST_MARK: one per child run, see Invoke-TestPwsh.
if (-not $env:NAOVA_PROCESS_MARK) { $env:NAOVA_PROCESS_MARK = [guid]::NewGuid().ToString('N') }

function Get-TestRepo { $script:Repo }

function Get-TestConfiguration {
    <# The configuration dotnet test built (the runner says), so build.ps1 and the emulator reuse it instead of building another. #>
    if ($env:NAOVA_CONFIGURATION) { $env:NAOVA_CONFIGURATION } else { 'Debug' }
}

function Get-TestManifest { Join-Path $script:Repo 'out/Naova.WhatsAppToken/Naova.WhatsAppToken.psd1' }

function Get-TestPwsh {
    <#
    The pwsh executable this PowerShell runs from. Not (Get-Process -Id $PID).Path: when pwsh runs as a .NET tool
    (dotnet tool run pwsh) that is dotnet.
    #>
    foreach ($name in 'pwsh', 'pwsh.exe') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    $found = Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($found) { return $found.Source }
    throw "No pwsh executable in $PSHOME or on PATH."
}

function Invoke-TestPwsh {
    <#
    .SYNOPSIS
    Runs a script file in a child pwsh -NoProfile -NonInteractive, through Invoke-TestProcess (which see).
    #>
    param(
        [Parameter(Mandatory)] [string] $File,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 300,
        [string] $WorkingDirectory = $script:Repo
    )
    Invoke-TestProcess -FilePath (Get-TestPwsh) -ArgumentList (@('-NoProfile', '-NonInteractive', '-File', $File) + $ArgumentList) `
        -Environment $Environment -TimeoutSeconds $TimeoutSeconds -WorkingDirectory $WorkingDirectory
}

function Invoke-TestProcess {
    <#
    .SYNOPSIS
    Runs a program with its standard input closed, and answers its exit code and every line it wrote (stdout, then
    stderr). A child that is still running after -TimeoutSeconds was waiting for something (a prompt, a lock): it is
    stopped with its children, and TimedOut says so.
    Also what it left: ProcessesBefore and ProcessesAfter count the processes of this Pester file (they carry its
    NAOVA_PROCESS_MARK) before the child starts and after it ended; Left lists those that carry the child's own
    NAOVA_TEST_MARK, which the child and every process it starts inherit (Linux: /proc; elsewhere both stay empty).
    #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 300,
        [string] $WorkingDirectory = $script:Repo
    )
    $start = New-Object System.Diagnostics.ProcessStartInfo $FilePath
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    # Plain text: what a log would keep, without the colours pwsh and dotnet add for a terminal.
    $start.Environment['NO_COLOR'] = '1'
    $runMark = New-TestMark
    $start.Environment['NAOVA_TEST_MARK'] = $runMark
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = [string]$Environment[$name] }
    $before = @(Get-MarkedProcess -Mark $env:NAOVA_PROCESS_MARK -Variable NAOVA_PROCESS_MARK).Count
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
        if ($timedOut) { $process.Kill($true) }
        $process.WaitForExit()
        $escape = [string][char]27
        $lines = @(($stdout.Result -split "`r?`n") + ($stderr.Result -split "`r?`n") | Where-Object { $_ -ne '' } | ForEach-Object { $_ -replace "$escape\[[0-9;?]*[A-Za-z]", '' })
        [pscustomobject]@{
            ExitCode        = $process.ExitCode
            TimedOut        = $timedOut
            Output          = $lines
            Text            = ($lines -join "`n")
            ProcessesBefore = $before
            ProcessesAfter  = @(Get-MarkedProcess -Mark $env:NAOVA_PROCESS_MARK -Variable NAOVA_PROCESS_MARK).Count
            Left            = @(Get-MarkedProcess -Mark $runMark -Variable NAOVA_TEST_MARK)
        }
    }
    finally {
        $process.Dispose()
    }
}

function New-TestMark {
    <# A value for a mark variable: every process started with it in its environment, and theirs, carry it. #>
    [guid]::NewGuid().ToString('N')
}

function Test-CanFindMarkedProcess { Test-Path -LiteralPath '/proc/self/environ' }

function Get-MarkedProcess {
    <#
    .SYNOPSIS
    The processes still running (this one aside) that carry <Variable>=<Mark> in the environment they started with,
    wherever they were reparented (Linux: /proc). What Stop-Process would need: Id and CommandLine.
    #>
    param([Parameter(Mandatory)] [string] $Mark, [string] $Variable = 'NAOVA_TEST_MARK')
    $needle = "$Variable=$Mark"
    foreach ($dir in Get-ChildItem -LiteralPath '/proc' -Directory -ErrorAction SilentlyContinue) {
        $id = 0
        if (-not [int]::TryParse($dir.Name, [ref]$id) -or $id -eq $PID) { continue }
        try {
            $environ = [System.IO.File]::ReadAllText((Join-Path $dir.FullName 'environ'))
            if (-not ($environ.Split([char]0) -contains $needle)) { continue }
            $command = [System.IO.File]::ReadAllText((Join-Path $dir.FullName 'cmdline')).Replace([char]0, ' ').Trim()
            [pscustomobject]@{ Id = $id; CommandLine = $command }
        }
        catch { }
    }
}

function Get-SecretBackend {
    <#
    .SYNOPSIS
    Which SecretManagement the vault tests run against: the real Microsoft.PowerShell.SecretManagement and
    Microsoft.PowerShell.SecretStore where PowerShell finds them (../shared/psmodules in CI, Install-PSResource on a
    user's machine), the stand-in of the xunit tests otherwise. Name says which, for the tests' names.
    #>
    $management = Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretManagement | Sort-Object Version -Descending | Select-Object -First 1
    $store = Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretStore | Sort-Object Version -Descending | Select-Object -First 1
    if ($management -and $store) {
        [pscustomobject]@{
            Real = $true
            Name = "real SecretManagement $($management.Version) + SecretStore $($store.Version)"
            Management = $management
            Store = $store
        }
    }
    else {
        [pscustomobject]@{
            Real = $false
            Name = 'SecretManagement stand-in (the real modules are not installed)'
            Management = $null
            Store = $null
        }
    }
}

function Initialize-TestVault {
    <#
    .SYNOPSIS
    Gives this process a vault to save into and answers its name: a SecretStore vault (no password, no prompts) with
    the real modules; the stand-in's vault that keeps metadata otherwise. HOME is the run's own (the runner gives each
    Pester file a fresh one), so no user's store is touched.
    #>
    param([string] $Name = 'NaovaPester')
    $backend = Get-SecretBackend
    if ($backend.Real) {
        Import-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore -ErrorAction Stop
        Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false -ErrorAction Stop
        if (-not (Get-SecretVault -Name $Name -ErrorAction SilentlyContinue)) {
            Register-SecretVault -Name $Name -ModuleName Microsoft.PowerShell.SecretStore -ErrorAction Stop
        }
        return $Name
    }
    $standIn = Join-Path $script:Repo 'tests/Naova.WhatsAppToken.Tests/StandIn'
    # As if installed: found by name (the module calls it module-qualified, which loads it by name), and imported into
    # the session rather than into this module's scope.
    $env:PSModulePath = $standIn + [System.IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module (Join-Path $standIn 'Microsoft.PowerShell.SecretManagement/Microsoft.PowerShell.SecretManagement.psd1') -Force -Global -ErrorAction Stop
    'WithMetadata'
}

function Get-TestConnection {
    <# Connect-WaBusiness's parameters for the emulator's seeded business: its published demo credentials, valid nowhere else. #>
    param([Parameter(Mandatory)] $Emulator)
    @{
        BusinessId  = $Emulator.Seed.BusinessId
        AppId       = $Emulator.Seed.AppId
        AccessToken = ConvertTo-SecureString $Emulator.Seed.AdminToken -AsPlainText -Force
        AppSecret   = ConvertTo-SecureString $Emulator.Seed.AppSecret -AsPlainText -Force
        GraphUri    = $Emulator.Uri
    }
}

function New-TestFolder {
    param([string] $Prefix = 'naova-pester')
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ($Prefix + '-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $folder
    $folder
}

# What the Pester files running beside a build read: the module folder they import and the emulator they start.
# dotnet test built both just before; a build run by a Pester file must find them up to date and write nothing, or a
# file beside it reads a half-written one (seen in CI: the emulator's runtimeconfig.json, empty for 40 ms, stopped an
# emulator with "Failed to map file"). MSBuild's Copy deletes a file and writes it anew but keeps its modification
# time, so where PowerShell reads the inode (UnixStat: PowerShell 7 off Windows) the stamp has its number and its
# status-change time too.
function Get-SharedOutputStamp {
    $stamp = @{}
    foreach ($folder in (Join-Path $script:Repo 'out/Naova.WhatsAppToken'), (Join-Path $script:Repo "src/Naova.WhatsAppToken.Emulator/bin/$(Get-TestConfiguration)/net10.0")) {
        Get-ChildItem -LiteralPath $folder -File -Recurse | ForEach-Object {
            $unix = if ($_.PSObject.Properties['UnixStat'] -and $_.UnixStat) { ', inode {0}, changed {1:o}' -f $_.UnixStat.Inode, $_.UnixStat.StatusChangeTime } else { '' }
            $stamp[$_.FullName] = '{0} bytes, written {1:o}{2}' -f $_.Length, $_.LastWriteTimeUtc, $unix
        }
    }
    $stamp
}

# The files of two Get-SharedOutputStamp that differ, with both stamps: written again, added or removed.
function Get-Rewritten([hashtable] $Before, [hashtable] $After) {
    foreach ($file in @($Before.Keys) + @($After.Keys) | Sort-Object -Unique) {
        if ($Before[$file] -ne $After[$file]) { "$file ($($Before[$file]) -> $($After[$file]))" }
    }
}

Export-ModuleMember -Function Get-TestRepo, Get-TestConfiguration, Get-TestManifest, Get-TestPwsh, Invoke-TestPwsh, Invoke-TestProcess, New-TestMark,
    Test-CanFindMarkedProcess, Get-MarkedProcess, Get-SecretBackend, Initialize-TestVault, Get-TestConnection, New-TestFolder,
    Get-SharedOutputStamp, Get-Rewritten
