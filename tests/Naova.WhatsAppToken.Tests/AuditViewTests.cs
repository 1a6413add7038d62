using System.Text.RegularExpressions;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// A vault audit as a runbook's reader sees it at 80 columns: each report names its secret, a Skipped secret takes one
/// line, and the -FailOn summary names the secrets at fault. Against the emulator and the SecretManagement stand-in.
/// </summary>
public sealed class AuditViewTests
{
    private const string Vault = """
        $su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
        $null = $su | New-WaToken | Save-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN
        $old = $su | New-WaToken | Save-WaToken -Vault WithMetadata -Name WHATSAPP_OLD
        $old | Revoke-WaToken -Confirm:$false
        Set-Secret -Vault WithMetadata -Name DB_PASSWORD -Secret $secret
        """;

    [Fact]
    public async Task The_audit_table_names_each_secret_within_80_columns_and_a_Skipped_secret_takes_one_line()
    {
        await using var s = await EmulatorSession.StartAsync();
        var host = new TestHost(80);
        using var ps = new PsSession(host, importModule: true);
        ps.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + Vault, s.Vars()).AssertClean();

        string shown = ps.Render("Get-SecretInfo -Vault WithMetadata | Test-WaToken");

        var lines = shown.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^StoredIn\s+Fingerprint\s+Status\s+Reason\s*$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^WHATSAPP_ACCESS_TOKEN\s+[0-9a-f]{12}\s+Healthy"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^WHATSAPP_OLD\s+[0-9a-f]{12}\s+Failed\s+\S"));
        // The Skipped secret: its name, its status and its whole reason on one line, and no continuation line after it.
        int skipped = Array.FindIndex(lines, l => l.StartsWith("DB_PASSWORD", StringComparison.Ordinal));
        Assert.True(skipped >= 0, shown);
        Assert.Matches(@"^DB_PASSWORD\s+Skipped\s+not stored by this module\s*$", lines[skipped]);
        Assert.True(skipped == lines.Length - 1 || !lines[skipped + 1].StartsWith(" ", StringComparison.Ordinal), shown);
    }

    [Fact]
    public async Task The_long_explanation_of_a_Skipped_secret_is_in_Verbose()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + Vault).AssertClean();

        var r = s.Run("Get-SecretInfo -Vault WithMetadata -Name DB_PASSWORD | Test-WaToken -Verbose").AssertClean();

        var report = r.One("WaTokenReport");
        Assert.Equal("not stored by this module", report.S("Reason"));
        Assert.Contains(r.Verbose, v => v.Message.Contains("Test-WaToken -Vault 'WithMetadata' -Name 'DB_PASSWORD'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_FailOn_summary_names_the_secrets_at_fault()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + Vault).AssertClean();

        var r = s.Run("Get-SecretInfo -Vault WithMetadata | Test-WaToken -FailOn Warning");

        var error = Assert.Single(r.AllErrors(), e => e.FullyQualifiedErrorId.StartsWith("AuditFailed,", StringComparison.Ordinal));
        string said = error.ErrorDetails?.Message ?? error.Exception.Message;
        Assert.Contains("vault WithMetadata, secret WHATSAPP_OLD", said);
        Assert.DoesNotContain("WHATSAPP_ACCESS_TOKEN", said);
        Assert.DoesNotContain("DB_PASSWORD", said);
    }
}
