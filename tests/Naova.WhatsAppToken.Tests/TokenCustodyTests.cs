using System.Text;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Where a token may end up besides its vault: $WaUnsavedToken (each token with the name it was meant for, never two
/// into one name) and Export-Clixml of outputs and errors (where PowerShell writes a SecureString as UTF-16 hex when
/// there is no DPAPI, as on Linux and macOS).
/// </summary>
public class TokenCustodyTests
{
    private const string TwoUnsaved = EmulatorSession.Connect + """
        $token = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
        $second = New-WaToken -SystemUserId $token.SystemUserId
        $null = $token | Save-WaToken -Vault Locked -Name APP_ONE -ErrorAction SilentlyContinue
        $null = $second | Save-WaToken -Vault Locked -Name APP_TWO -ErrorAction SilentlyContinue
        $token.Fingerprint
        $second.Fingerprint
        """;

    private static async Task<EmulatorSession> StartAsync()
    {
        var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import).AssertClean();
        return s;
    }

    private static string? Held(EmulatorSession s, string name) =>
        s.Run("(Get-WaToken -Vault WithMetadata -Name $n -ErrorAction SilentlyContinue).Fingerprint", new { n = name }).Output.FirstOrDefault()?.ToString();

    [Fact]
    public async Task Several_unsaved_tokens_piped_to_one_name_are_refused_and_each_keeps_the_name_it_was_meant_for()
    {
        await using var s = await StartAsync();
        // The Locked vault, unlocked so it passes the check made before a token is taken, then refusing both writes.
        var table = new ScriptedSecrets();
        table.Refuse.UnionWith(new[] { "APP_ONE", "APP_TWO" });
        s.Ps.Runspace.SessionStateProxy.SetVariable("vaultTable", table);
        s.Run("$p = [securestring]::new(); $p.AppendChar('x'); Unlock-SecretVault -Name Locked -Password $p\n" + ScriptedSecrets.Install("vaultTable", SecretManagementStandIn.Locked)).AssertClean();
        var made = s.Run(TwoUnsaved).Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(2, s.Run("@($WaUnsavedToken).Count").Output.Single().BaseObject);

        var r = s.Run("$WaUnsavedToken | Save-WaToken -Vault WithMetadata -Name APP_ONE");

        Assert.Equal(made[0], Held(s, "APP_ONE"));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("SeveralTokensOneName,", error.FullyQualifiedErrorId);
        Assert.Contains("'APP_TWO'", error.ErrorDetails.RecommendedAction);
        Assert.Equal(made[1], s.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));

        // Without -Name, the kept token goes back where it was meant to go.
        var again = s.Run("$WaUnsavedToken | Save-WaToken -Vault WithMetadata").AssertClean();
        Assert.Equal("vault WithMetadata, secret APP_TWO", again.One("WaToken").S("StoredIn"));
        Assert.Equal(made[1], Held(s, "APP_TWO"));
        Assert.Equal(made[0], Held(s, "APP_ONE"));
        Assert.Equal(true, s.Run("$null -eq $WaUnsavedToken").Output.Single().BaseObject);
    }

    [Fact]
    public async Task Export_Clixml_of_every_output_and_error_of_the_doc_path_holds_no_secret_in_any_encoding()
    {
        await using var s = await StartAsync();
        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), 1, "oauth/revoke");
        string folder = Directory.CreateTempSubdirectory("naova-clixml-").FullName;
        try
        {
            var r = s.Run(EmulatorSession.Connect.TrimEnd() + " -MaxRetries 0\n" + """
                $all = [System.Collections.Generic.List[object]]::new()
                $all.Add((Get-WaConnection))
                $su = New-WaSystemUser -Name naova-whatsapp-service -Role Admin; $all.Add($su)
                $grant = $su | Grant-WaAssets -WhatsAppBusinessAccount $waba; $all.Add($grant)
                $token = $grant | New-WaToken -Expiration Never; $all.Add($token)
                $saved = $token | Save-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN; $all.Add($saved)
                $all.Add(($saved | Test-WaToken))
                $token | Save-WaToken -Vault Locked -ErrorAction SilentlyContinue
                $all.Add($WaUnsavedToken)
                Update-WaToken -Vault WithMetadata -ErrorAction SilentlyContinue | ForEach-Object { $all.Add($_) }
                Update-WaToken -Vault WithMetadata -ErrorAction SilentlyContinue | ForEach-Object { $all.Add($_) }
                $all.Add((Get-WaToken -Vault WithMetadata))
                # Export-Clixml's serializer (the hosted engine has no Microsoft.PowerShell.Utility): depth 5, and its default 2.
                [IO.File]::WriteAllText("$folder/out.xml", [System.Management.Automation.PSSerializer]::Serialize($all.ToArray(), 5))
                [IO.File]::WriteAllText("$folder/errors.xml", [System.Management.Automation.PSSerializer]::Serialize($Error.ToArray(), 5))
                [IO.File]::WriteAllText("$folder/out-default.xml", [System.Management.Automation.PSSerializer]::Serialize($all.ToArray(), 2))
                [IO.File]::WriteAllText("$folder/errors-default.xml", [System.Management.Automation.PSSerializer]::Serialize($Error.ToArray(), 2))
                $texts = @(Get-SecretInfo -Vault WithMetadata | ForEach-Object { Get-Secret -Vault WithMetadata -Name $_.Name -AsPlainText })
                $texts += [Net.NetworkCredential]::new('', $token.Token).Password
                $texts += @($WaUnsavedToken | ForEach-Object { [Net.NetworkCredential]::new('', $_.Token).Password })
                $Error.Count
                $texts
                """, new { folder });
            Assert.True(r.Terminating == null, "terminating: " + r.Terminating?.Message);
            Assert.True(Directory.GetFiles(folder, "*.xml").Length == 4, "files not written: " + string.Join(" | ", r.Errors.Select(e => e.FullyQualifiedErrorId + " " + e.Exception.Message)));
            int errors = (int)r.Output[0].BaseObject;
            var secrets = r.Output.Skip(1).Select(o => o.ToString()).Where(t => t.Length > 0).Distinct()
                .Concat(new[] { s.Seed.AdminUserToken, s.Seed.AppSecret }).ToArray();
            Assert.True(errors >= 2, "the run was to fail a save and a rotation, and has " + errors + " errors");
            Assert.True(secrets.Length >= 4, "tokens found: " + (secrets.Length - 2));
            foreach (string file in Directory.GetFiles(folder, "*.xml"))
            {
                string xml = File.ReadAllText(file);
                Assert.Contains("Naova.WhatsAppToken", xml);
                foreach (string secret in secrets)
                    foreach (var (form, text) in Encodings(secret))
                        Assert.False(xml.Contains(text, StringComparison.OrdinalIgnoreCase), $"{Path.GetFileName(file)} holds a secret as {form}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<(string, string)> Encodings(string secret)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(secret), utf16 = Encoding.Unicode.GetBytes(secret);
        yield return ("plain", secret);
        yield return ("URL-encoded", Uri.EscapeDataString(secret));
        yield return ("UTF-16 hex", Convert.ToHexString(utf16));
        yield return ("UTF-8 hex", Convert.ToHexString(utf8));
        yield return ("base64 of UTF-8", Convert.ToBase64String(utf8));
        yield return ("base64 of UTF-16", Convert.ToBase64String(utf16));
    }
}
