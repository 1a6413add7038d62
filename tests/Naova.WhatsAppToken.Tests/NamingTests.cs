using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// One naming scheme over every cmdlet, pinned on the parameter metadata PowerShell binds with: one name per kind of
/// id, the other names kept as aliases (so no script that used them breaks), and secrets named the SecretManagement
/// way (-Name at position 0, -Vault optional at position 1, the default vault when omitted, as Get-Secret does).
/// </summary>
public class NamingTests
{
    /// <summary>Each kind of id: its one parameter name, and the names every cmdlet also accepts for it.</summary>
    private static readonly (string Name, string[] Aliases)[] IdKinds =
    [
        ("SystemUserId", ["Id"]),
        ("WhatsAppBusinessAccountId", ["WhatsAppBusinessAccount", "WabaId", "Waba"]),
        ("AppId", []),
        ("BusinessId", []),
    ];

    private static List<CmdletInfo> Commands(PsSession ps)
    {
        var commands = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<CmdletInfo>().ToList();
        Assert.True(commands.Count >= 14, "cmdlets: " + commands.Count);
        return commands;
    }

    private static IEnumerable<ParameterMetadata> Own(CmdletInfo command) =>
        command.Parameters.Values.Where(p => !Cmdlet.CommonParameters.Contains(p.Name) && !Cmdlet.OptionalCommonParameters.Contains(p.Name));

    [Fact]
    public void Every_id_parameter_has_the_one_name_of_its_kind_and_takes_the_other_names_as_aliases()
    {
        using var ps = new PsSession();
        var seen = new List<string>();
        foreach (var command in Commands(ps))
            foreach (var parameter in Own(command))
            {
                var names = parameter.Aliases.Prepend(parameter.Name).ToArray();
                var kinds = IdKinds.Where(k => names.Any(n => n == k.Name || k.Aliases.Contains(n))).ToArray();
                if (kinds.Length == 0) continue;
                var kind = Assert.Single(kinds);
                Assert.True(parameter.Name == kind.Name, $"{command.Name} -{parameter.Name}: a {kind.Name} must be named {kind.Name} (aliases {string.Join(", ", parameter.Aliases)})");
                foreach (string alias in kind.Aliases)
                    Assert.True(parameter.Aliases.Contains(alias), $"{command.Name} -{kind.Name} does not take -{alias}, which other cmdlets take for the same id");
                Assert.True(parameter.ParameterType == typeof(string) || parameter.ParameterType == typeof(string[]), $"{command.Name} -{kind.Name}: {parameter.ParameterType}");
                seen.Add($"{command.Name} -{parameter.Name}");
            }
        foreach (string expected in new[]
                 {
                     "Get-WaSystemUser -SystemUserId", "New-WaToken -SystemUserId", "Grant-WaAssets -SystemUserId", "Revoke-WaToken -SystemUserId",
                     "Update-WaToken -SystemUserId", "Grant-WaAssets -WhatsAppBusinessAccountId", "Get-WaWhatsAppAccount -WhatsAppBusinessAccountId",
                     "Update-WaToken -WhatsAppBusinessAccountId", "Get-WaApp -AppId", "Connect-WaBusiness -AppId", "Connect-WaBusiness -BusinessId",
                 })
            Assert.Contains(expected, seen);
    }

    [Fact]
    public void Every_secret_is_named_as_SecretManagement_names_it()
    {
        using var ps = new PsSession();
        var withVault = Commands(ps).Where(c => c.Parameters.ContainsKey("Vault")).ToList();
        Assert.Equal(new[] { "Get-WaToken", "Save-WaToken", "Test-WaToken", "Update-WaToken" }, withVault.Select(c => c.Name).OrderBy(n => n));
        foreach (var command in withVault)
        {
            var vault = command.Parameters["Vault"];
            var name = command.Parameters["Name"];
            Assert.Contains("VaultName", vault.Aliases);
            Assert.Equal(typeof(string), vault.ParameterType);
            foreach (var (set, attribute) in vault.ParameterSets)
            {
                Assert.False(attribute.IsMandatory, $"{command.Name} -Vault is mandatory in {set}: the default vault is never used");
                Assert.True(attribute.Position == 1, $"{command.Name} -Vault is at position {attribute.Position} in {set}, not 1 as on Get-Secret");
                Assert.True(name.ParameterSets.TryGetValue(set, out var nameInSet), $"{command.Name}: -Name is not in the set {set} of -Vault");
                Assert.True(nameInSet!.Position == 0, $"{command.Name} -Name is at position {nameInSet.Position} in {set}, not 0 as on Get-Secret");
            }
            Assert.Contains(vault.Attributes.OfType<ArgumentCompleterAttribute>(), a => a.Type?.Name == "VaultCompleter");
        }
    }

    [Fact]
    public async Task Without_Vault_the_default_vault_is_used_and_names_come_first_by_position()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + """
            $token = New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba -WarningAction SilentlyContinue | New-WaToken
            """).AssertClean();
        string fingerprint = s.Emulator.State.GetTokens().Single(t => t.Type == "SYSTEM_USER").Fingerprint;

        var saved = s.Run("$token | Save-WaToken WHATSAPP_DEFAULT_VAULT").AssertClean().One("WaToken");
        Assert.Equal("vault WithMetadata, secret WHATSAPP_DEFAULT_VAULT", saved.S("StoredIn"));
        Assert.Equal(fingerprint, s.Run("Get-WaToken WHATSAPP_DEFAULT_VAULT").AssertClean().One("WaToken").S("Fingerprint"));
        Assert.Equal(fingerprint, s.Run("Get-WaToken WHATSAPP_DEFAULT_VAULT WithMetadata").AssertClean().One("WaToken").S("Fingerprint"));
        var report = s.Run("Test-WaToken WHATSAPP_DEFAULT_VAULT").AssertClean().One("WaTokenReport");
        Assert.Equal("Healthy", report.S("Status"));
        Assert.Equal("vault WithMetadata, secret WHATSAPP_DEFAULT_VAULT", report.S("StoredIn"));
        // A SecureString at position 0 is still the token itself, not a secret's name.
        Assert.Equal(fingerprint, s.Run("Test-WaToken $token.Token").AssertClean().One("WaTokenReport").S("Fingerprint"));
        var plan = s.Run("Update-WaToken WHATSAPP_DEFAULT_VAULT -WhatIf").AssertClean();
        Assert.Empty(plan.Output);
        Assert.Single(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");

        // The names used before stay: -Vault and -Name by name, -Id, -WhatsAppBusinessAccount.
        Assert.Equal(fingerprint, s.Run("Get-WaToken -Vault WithMetadata -Name WHATSAPP_DEFAULT_VAULT").AssertClean().One("WaToken").S("Fingerprint"));
        string user = s.Emulator.State.GetSystemUsers().Single().Id;
        Assert.Equal(user, s.Run("Get-WaSystemUser -Id $u", new { u = user }).AssertClean().One("WaSystemUser").S("Id"));
        Assert.Equal(user, s.Run("Get-WaSystemUser -SystemUserId $u", new { u = user }).AssertClean().One("WaSystemUser").S("Id"));
        var grant = s.Run("Grant-WaAssets -SystemUserId $u -WhatsAppBusinessAccountId $w", new { u = user, w = s.Seed.WabaId }).AssertClean().One("WaAssetGrant");
        Assert.False((bool)grant.P("Changed")!);
        Assert.Equal(s.Seed.WabaId, s.Run("Get-WaWhatsAppAccount -WhatsAppBusinessAccount $w -SkipPhoneNumber", new { w = s.Seed.WabaId }).AssertClean()
            .One("WaWhatsAppAccount").S("WhatsAppBusinessAccountId"));
    }

    [Fact]
    public async Task With_no_default_vault_and_no_Vault_nothing_is_made_and_the_error_says_what_to_do()
    {
        await using var s = await EmulatorSession.StartAsync();
        var result = s.Run(SecretManagementStandIn.Import + "Set-SecretVaultDefault -ClearDefault\n" + EmulatorSession.Connect + """
            New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba -WarningAction SilentlyContinue |
              New-WaToken | Save-WaToken
            """);
        var error = result.SingleError();
        Assert.Equal("NoDefaultVault,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Set-SecretVaultDefault", error.ErrorDetails.RecommendedAction);
        // Save-WaToken stops the pipeline before New-WaToken runs: no system user, no token made that could not be kept.
        Assert.DoesNotContain(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
        Assert.Empty(s.Emulator.State.GetSystemUsers());

        var get = s.Run("Get-WaToken").SingleError();
        Assert.Equal("NoDefaultVault,Naova.WhatsAppToken.Commands.GetWaTokenCommand", get.FullyQualifiedErrorId);
        var report = s.Run("Test-WaToken -Name WHATSAPP_ACCESS_TOKEN").One("WaTokenReport");
        Assert.Equal("Failed", report.S("Status"));
        Assert.Contains("default vault", report.S("Reason"));
    }
}
