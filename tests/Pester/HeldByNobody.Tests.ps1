#Requires -Version 5.1
<#
  Issue 24: no token left valid at Meta that nobody holds, in real pwsh against the local Graph API emulator, counting
  the tokens Meta (the emulator) holds for the system user before and after.
  - Case 6: a save that fails inside ForEach-Object -Parallel, whose $WaUnsavedToken dies with its runspace, and one
    inside Start-ThreadJob, whose token the next New-WaToken takes back.
  - Case 13: examples/Onboard.ps1 run again on the same .env reuses the token it stored, and makes no second one.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:Repo = Get-TestRepo
    $script:Manifest = Get-TestManifest
    Import-Module $script:Manifest -Force
    Import-Module (Join-Path $script:Repo 'examples/GraphEmulator.psm1') -Force
    $script:Emulator = Start-GraphEmulator -Configuration (Get-TestConfiguration) -NoBuild
    $script:Connect = Get-TestConnection $script:Emulator
    $script:Work = New-TestFolder

    function Get-UserToken([string] $SystemUserId) {
        @((Get-GraphEmulatorState $script:Emulator).tokens | Where-Object { $_.type -eq 'SYSTEM_USER' -and $_.userId -eq $SystemUserId })
    }
}

AfterAll {
    Disconnect-WaBusiness -ErrorAction SilentlyContinue
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

# ForEach-Object -Parallel is PowerShell 7's: Windows PowerShell 5.1 has none, so there the case does not arise.
Describe 'A save that fails inside ForEach-Object -Parallel (case 6)' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
    BeforeAll {
        Connect-WaBusiness @script:Connect
        $script:User = New-WaSystemUser -Name parallel-svc -Role Employee | Grant-WaAssets -WhatsAppBusinessAccount $script:Emulator.Seed.WabaId -Task MANAGE
        $script:EnvFile = Join-Path $script:Work 'parallel.env'
        # The variable is there already and -NoClobber will not replace it: the save fails after Meta made the token.
        [System.IO.File]::WriteAllText($script:EnvFile, "WHATSAPP_ACCESS_TOKEN=the-application-s-own`n")
        Remove-Variable -Name WaUnsavedToken -Scope Global -ErrorAction SilentlyContinue
        $manifest = $script:Manifest; $connect = $script:Connect; $id = $script:User.SystemUserId; $envFile = $script:EnvFile
        # Splatted, so Windows PowerShell 5.1, which skips this block, can still parse the file.
        $parallel = @{
            ThrottleLimit = 2
            Parallel      = {
                Import-Module $using:manifest
                $c = $using:connect
                Connect-WaBusiness @c
                New-WaToken -SystemUserId $using:id |
                    Save-WaToken -EnvFile $using:envFile -Variable WHATSAPP_ACCESS_TOKEN -NoClobber -ErrorAction SilentlyContinue -ErrorVariable failed
                $failed
            }
        }
        $script:Failed = @(1..2 | ForEach-Object @parallel)
    }

    It 'made two tokens at Meta, and left none of them valid: nothing could hold them' {
        $made = Get-UserToken $script:User.SystemUserId
        $made | Should -HaveCount 2
        @($made | Where-Object valid) | Should -HaveCount 0
    }

    It 'says in each error that the token was revoked, and why' {
        $script:Failed | Should -HaveCount 2
        foreach ($e in $script:Failed) {
            $e.FullyQualifiedErrorId | Should -BeLike 'EnvVariableExists,*'
            $e.ErrorDetails.Message | Should -BeLike '*revoked at Meta*ForEach-Object -Parallel*'
            $e.ErrorDetails.Message | Should -Not -BeLike '*$WaUnsavedToken | Save-WaToken*'
        }
    }

    It "left the caller's `$WaUnsavedToken empty and the application's .env as it was" {
        Get-Variable -Name WaUnsavedToken -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        [System.IO.File]::ReadAllText($script:EnvFile) | Should -Be "WHATSAPP_ACCESS_TOKEN=the-application-s-own`n"
    }
}

# Start-ThreadJob's runspace looks like one an application hosts (named RunspaceN, under "Default Host"), so a failed
# save there keeps its token as anywhere else; the job's $WaUnsavedToken ends with it, but the state folder's record of
# the token does not: the next New-WaToken for that system user, here in the caller's runspace, gives that token back
# instead of making a second one. Start-ThreadJob ships with pwsh (the ThreadJob module), not with every host.
Describe 'A save that fails inside Start-ThreadJob (case 6)' {
    BeforeAll {
        $script:HasThreadJob = [bool](Get-Command Start-ThreadJob -ErrorAction SilentlyContinue)
        function Skip-WithoutThreadJob {
            if (-not $script:HasThreadJob) { Set-ItResult -Skipped -Because "this host ($($PSVersionTable.PSVersion)) has no Start-ThreadJob: the ThreadJob module ships with pwsh, not with the PowerShell SDK" }
            -not $script:HasThreadJob
        }
        if (-not $script:HasThreadJob) { return }
        Connect-WaBusiness @script:Connect
        $script:User = New-WaSystemUser -Name threadjob-svc -Role Employee | Grant-WaAssets -WhatsAppBusinessAccount $script:Emulator.Seed.WabaId -Task MANAGE
        $script:EnvFile = Join-Path $script:Work 'threadjob.env'
        [System.IO.File]::WriteAllText($script:EnvFile, "WHATSAPP_ACCESS_TOKEN=the-application-s-own`n")
        Remove-Variable -Name WaUnsavedToken -Scope Global -ErrorAction SilentlyContinue
        $job = Start-ThreadJob -ArgumentList $script:Manifest, $script:Connect, $script:User.SystemUserId, $script:EnvFile -ScriptBlock {
            param($Manifest, $Connect, $Id, $EnvFile)
            Import-Module $Manifest
            Connect-WaBusiness @Connect
            $made = New-WaToken -SystemUserId $Id
            $made | Save-WaToken -EnvFile $EnvFile -Variable WHATSAPP_ACCESS_TOKEN -NoClobber -ErrorAction SilentlyContinue -ErrorVariable failed
            [pscustomobject]@{ Made = $made.Fingerprint; ErrorId = @($failed)[0].FullyQualifiedErrorId; Kept = @($WaUnsavedToken).Count }
        }
        $script:Job = $job | Wait-Job -Timeout 120 | Receive-Job
        $job | Remove-Job -Force
        $script:Again = New-WaToken -SystemUserId $script:User.SystemUserId -WarningVariable said -WarningAction SilentlyContinue
        $script:Said = @($said)
    }

    It 'failed to save in the job, which kept the token it made' {
        if (Skip-WithoutThreadJob) { return }
        $script:Job.ErrorId | Should -BeLike 'EnvVariableExists,*'
        $script:Job.Kept | Should -Be 1
    }

    It "gives that token back to the next New-WaToken, outside the job, and Meta holds it alone" {
        if (Skip-WithoutThreadJob) { return }
        $script:Again.Fingerprint | Should -Be $script:Job.Made
        ($script:Said -join "`n") | Should -BeLike "*$($script:Job.Made)*"
        $made = Get-UserToken $script:User.SystemUserId
        $made | Should -HaveCount 1
        @($made | Where-Object valid) | Should -HaveCount 1
        Get-Variable -Name WaUnsavedToken -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Onboard.ps1 run twice on one .env (case 13)' {
    BeforeAll {
        $onboard = Join-Path $script:Repo 'examples/Onboard.ps1'
        $script:EnvFile = Join-Path $script:Work 'onboard.env'
        $script:First = & $onboard @script:Connect -SystemUserName onboard-twice -EnvFile $script:EnvFile
        $script:Second = & $onboard @script:Connect -SystemUserName onboard-twice -EnvFile $script:EnvFile
        Connect-WaBusiness @script:Connect
        $script:User = Get-WaSystemUser -Name onboard-twice
    }

    It 'reports the same healthy token both times' {
        "$($script:First.Status)" | Should -Be 'Healthy'
        "$($script:Second.Status)" | Should -Be 'Healthy'
        $script:Second.Fingerprint | Should -Be $script:First.Fingerprint
    }

    It 'left Meta with one valid token for the system user: the one in the .env' {
        $valid = @(Get-UserToken $script:User.Id | Where-Object valid)
        $valid | Should -HaveCount 1
        $valid[0].fingerprint | Should -Be (Get-WaToken -EnvFile $script:EnvFile).Fingerprint
    }

    It 'rotates a stored token that stopped working rather than leaving it, and still holds one valid token' {
        Revoke-WaToken -Token (Get-WaToken -EnvFile $script:EnvFile).Token -Force
        $third = & (Join-Path $script:Repo 'examples/Onboard.ps1') @script:Connect -SystemUserName onboard-twice -EnvFile $script:EnvFile
        "$($third.Status)" | Should -Be 'Healthy'
        $third.Fingerprint | Should -Not -Be $script:First.Fingerprint
        $valid = @(Get-UserToken $script:User.Id | Where-Object valid)
        $valid | Should -HaveCount 1
        $valid[0].fingerprint | Should -Be $third.Fingerprint
    }
}
