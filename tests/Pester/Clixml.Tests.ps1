#Requires -Version 5.1
<#
  Export-Clixml of everything the doc's path gives, in real PowerShell: on Linux and macOS PowerShell has no DPAPI and
  serialises a SecureString as its UTF-16 hex, so an object (or an error whose TargetObject is one) that carried the
  token would leak it into the file. Every output, $WaUnsavedToken and $Error go through the real Export-Clixml
  (Microsoft.PowerShell.Utility), are read back with Import-Clixml, and the files are searched for every secret of the
  run (the tokens made, the admin token, the app secret) in plain text, URL-encoded, UTF-16 and UTF-8 hex, and base64
  of either.

  Needs: the module and the emulator built (dotnet build NaovaPs.sln). Runs in this Pester process (pwsh with its own
  HOME), against a SecretStore vault with the real SecretManagement where it is installed, the stand-in otherwise.
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
    $script:Work = New-TestFolder -Prefix 'naova-clixml'
    $script:Control = $null

    function Get-Encodings([string] $Secret) {
        $utf8 = [System.Text.Encoding]::UTF8.GetBytes($Secret)
        $utf16 = [System.Text.Encoding]::Unicode.GetBytes($Secret)
        [ordered]@{
            'plain'            = $Secret
            'URL-encoded'      = [uri]::EscapeDataString($Secret)
            'UTF-16 hex'       = [System.BitConverter]::ToString($utf16).Replace('-', '')
            'UTF-8 hex'        = [System.BitConverter]::ToString($utf8).Replace('-', '')
            'base64 of UTF-8'  = [System.Convert]::ToBase64String($utf8)
            'base64 of UTF-16' = [System.Convert]::ToBase64String($utf16)
        }
    }
    function Get-Plain([securestring] $Secure) { [System.Net.NetworkCredential]::new('', $Secure).Password }
}

AfterAll {
    if ($script:Emulator) { Stop-GraphEmulator $script:Emulator }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Export-Clixml of the doc path, its rotation and its errors (<Backend>)' -ForEach @{ Backend = $script:Backend } {
    BeforeAll {
        $vault = Initialize-TestVault
        $connect = Get-TestConnection -Emulator $script:Emulator
        $Error.Clear()
        $all = [System.Collections.Generic.List[object]]::new()
        $all.Add((Connect-WaBusiness @connect -MaxRetries 0 -PassThru))
        $user = New-WaSystemUser -Name naova-whatsapp-service -Role Admin -Connection $all[0]
        $all.Add($user)
        $grant = $user | Grant-WaAssets -WhatsAppBusinessAccount $script:Emulator.Seed.WabaId -Connection $all[0]
        $all.Add($grant)
        $token = $grant | New-WaToken -Expiration Never -Connection $all[0]
        $script:FirstToken = $token
        $all.Add($token)
        $saved = $token | Save-WaToken -Vault $vault -Name WHATSAPP_ACCESS_TOKEN
        $all.Add($saved)
        $all.Add(($saved | Test-WaToken -Connection $all[0]))
        # Errors that carry the token's story: a second token refused under -NoClobber (it goes to $WaUnsavedToken; a
        # vault that is not there is refused before any token is made), and a rotation whose revoke Meta refuses (the
        # error's target is the rotation).
        $grant | New-WaToken -Expiration Never -Connection $all[0] | Save-WaToken -Vault $vault -Name WHATSAPP_ACCESS_TOKEN -NoClobber -ErrorAction SilentlyContinue
        $unsaved = Get-Variable -Name WaUnsavedToken -Scope Global -ValueOnly -ErrorAction SilentlyContinue
        $all.Add($unsaved)
        $fault = '{"kind":"graphError","status":500,"code":2,"isTransient":true,"pathContains":"oauth/revoke"}'
        $null = Invoke-RestMethod -Method Post -Uri "$($script:Emulator.Uri)_emulator/faults" -Body $fault -ContentType application/json
        Update-WaToken -Vault $vault -Connection $all[0] -ErrorAction SilentlyContinue | ForEach-Object { $all.Add($_) }
        Update-WaToken -Vault $vault -Connection $all[0] -ErrorAction SilentlyContinue | ForEach-Object { $all.Add($_) }
        $all.Add((Get-WaToken -Vault $vault -Name WHATSAPP_ACCESS_TOKEN))
        $script:ErrorCount = $Error.Count
        $script:Objects = $all.Count

        $files = @{
            'out.xml'            = @{ InputObject = $all.ToArray(); Depth = 5 }
            'out-default.xml'    = @{ InputObject = $all.ToArray() }
            'errors.xml'         = @{ InputObject = $Error.ToArray(); Depth = 5 }
            'errors-default.xml' = @{ InputObject = $Error.ToArray() }
            'unsaved.xml'        = @{ InputObject = $unsaved; Depth = 5 }
        }
        foreach ($name in $files.Keys) {
            $arguments = $files[$name]
            # Piped, as a user does: each object is its own entry in the file.
            $depth = if ($arguments.ContainsKey('Depth')) { @{ Depth = $arguments['Depth'] } } else { @{} }
            $arguments.InputObject | Export-Clixml -Path (Join-Path $script:Work $name) @depth
        }
        $script:Files = Get-ChildItem -LiteralPath $script:Work -Filter *.xml
        # The control: the bare SecureString, serialised by PowerShell itself (off Windows, its UTF-16 hex).
        $script:Control = Join-Path ([System.IO.Path]::GetTempPath()) ('naova-clixml-control-' + [guid]::NewGuid().ToString('N') + '.xml')
        $token.Token | Export-Clixml -Path $script:Control

        # Every secret of the run: each token the vault holds or held, the ones made and left unsaved, and the
        # connection's own.
        $texts = [System.Collections.Generic.List[string]]::new()
        foreach ($info in Get-SecretInfo -Vault $vault) {
            $value = Get-Secret -Vault $vault -Name $info.Name -ErrorAction SilentlyContinue
            if ($value -is [securestring]) { $texts.Add((Get-Plain $value)) }
        }
        $texts.Add((Get-Plain $token.Token))
        foreach ($kept in @($unsaved)) { if ($kept) { $texts.Add((Get-Plain $kept.Token)) } }
        $texts.Add($script:Emulator.Seed.AdminToken)
        $texts.Add($script:Emulator.Seed.AppSecret)
        $script:Secrets = @($texts | Where-Object { $_ } | Select-Object -Unique)
        $script:Tokens = @($script:Secrets | Where-Object { $_ -like 'EAA*' })
    }

    AfterAll {
        if ($script:Control) { Remove-Item -LiteralPath $script:Control -Force -ErrorAction SilentlyContinue }
    }

    It 'finds the token where PowerShell itself writes it: a bare SecureString off Windows (the search can fail)' {
        if ($IsWindows -or $PSVersionTable.PSVersion.Major -lt 6) {
            Set-ItResult -Skipped -Because 'Windows PowerShell and PowerShell on Windows encrypt a SecureString with DPAPI'
            return
        }
        $xml = Get-Content -LiteralPath $script:Control -Raw
        $forms = Get-Encodings (Get-Plain $script:FirstToken.Token)
        $xml.IndexOf($forms['UTF-16 hex'], [System.StringComparison]::OrdinalIgnoreCase) | Should -BeGreaterOrEqual 0
    }

    It 'ran the path: objects, errors and tokens to look for' {
        $script:Objects | Should -BeGreaterOrEqual 8
        $script:ErrorCount | Should -BeGreaterOrEqual 2
        # The first token, its rotation's new one, and the admin token: three Meta tokens at least.
        $script:Tokens.Count | Should -BeGreaterOrEqual 3
        $script:Files.Count | Should -Be 5
    }

    It 'reads every file back with Import-Clixml, the module''s objects among them' {
        foreach ($file in $script:Files) {
            { Import-Clixml -LiteralPath $file.FullName } | Should -Not -Throw
        }
        $back = @(Import-Clixml -LiteralPath (Join-Path $script:Work 'out.xml'))
        $back.Count | Should -Be $script:Objects
        ($back | Where-Object { $_.PSObject.TypeNames -contains 'Deserialized.Naova.WhatsAppToken.WaToken' }).Count | Should -BeGreaterThan 0
        # A WaToken comes back with its fingerprint and its metadata, and without its token.
        $restored = $back | Where-Object { $_.PSObject.TypeNames -contains 'Deserialized.Naova.WhatsAppToken.WaToken' } | Select-Object -First 1
        $restored.Fingerprint | Should -Match '^[0-9a-f]{12}$'
        $restored.PSObject.Properties.Name | Should -Not -Contain 'Token'
    }

    It 'holds no secret in <_>' -ForEach @('out.xml', 'out-default.xml', 'errors.xml', 'errors-default.xml', 'unsaved.xml') {
        $xml = Get-Content -LiteralPath (Join-Path $script:Work $_) -Raw
        $xml | Should -Match 'Naova\.WhatsAppToken'
        $found = foreach ($secret in $script:Secrets) {
            $forms = Get-Encodings $secret
            foreach ($form in $forms.Keys) {
                if ($xml.IndexOf($forms[$form], [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { "a secret of $($secret.Length) characters as $form" }
            }
        }
        @($found) | Should -BeNullOrEmpty
    }
}
