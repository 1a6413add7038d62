using System.Collections;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Save-WaToken, Get-WaToken and Test-WaToken with SecretManagement vaults, against the emulator and the
/// SecretManagement STAND-IN (StandIn/, not the real module): a vault that keeps metadata, one that keeps none,
/// and one that is locked.
/// </summary>
public class SecretTests
{
    private const string NewToken = EmulatorSession.Connect + """
        $token = New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
          Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE -WarningAction SilentlyContinue |
          New-WaToken -Expiration Never

        """;

    private static async Task<EmulatorSession> StartAsync()
    {
        var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import).AssertClean();
        return s;
    }

    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    private static string SecretText(EmulatorSession s, string vault, string name = "WHATSAPP_ACCESS_TOKEN") =>
        (string)s.Run("Get-Secret -Name $n -Vault $v -AsPlainText", new { n = name, v = vault }).AssertClean().Output.Single().BaseObject;

    private static string OnlyToken(EmulatorSession s) => Assert.Single(s.Emulator.State.GetTokensOf(Assert.Single(s.Emulator.State.GetSystemUsers()).Id)).Fingerprint;

    [Fact]
    public async Task Save_stores_the_token_as_a_SecureString_with_metadata_and_passes_it_on_saying_where()
    {
        await using var s = await StartAsync();
        var saved = s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata -Verbose").AssertClean().One("WaToken");
        var user = Assert.Single(s.Emulator.State.GetSystemUsers());
        var record = Assert.Single(s.Emulator.State.GetTokensOf(user.Id));

        Assert.Equal("vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN", saved.S("StoredIn"));
        Assert.Equal(record.Fingerprint, saved.S("Fingerprint"));
        var stored = s.Run("Get-Secret -Name WHATSAPP_ACCESS_TOKEN -Vault WithMetadata").AssertClean().Output.Single().BaseObject;
        Assert.IsType<System.Security.SecureString>(stored);
        Assert.Equal(record.Fingerprint, Fingerprint(SecretText(s, SecretManagementStandIn.Metadata)));

        var info = s.Run("Get-SecretInfo -Name WHATSAPP_ACCESS_TOKEN -Vault WithMetadata").AssertClean().Output.Single();
        var metadata = (IDictionary)info.P("Metadata")!;
        Assert.All(metadata.Values.Cast<object>(), v => Assert.True(v is string or int or DateTime, v?.GetType().Name));
        Assert.Equal(record.Fingerprint, metadata["Fingerprint"]);
        Assert.Equal(user.Id, metadata["SystemUserId"]);
        Assert.Equal("naova-whatsapp-service", metadata["SystemUserName"]);
        Assert.Equal(s.Seed.AppId, metadata["AppId"]);
        Assert.Equal(s.Seed.BusinessId, metadata["BusinessId"]);
        Assert.Equal("business_management,whatsapp_business_management,whatsapp_business_messaging", string.Join(",", ((string)metadata["Scopes"]!).Split(',').Order()));
        Assert.Equal("never", metadata["Expires"]);
        var issued = Assert.IsType<DateTime>(metadata["IssuedAt"]);
        Assert.Equal(DateTimeKind.Utc, issued.Kind);
        Assert.True(Math.Abs((issued - record.IssuedAt.UtcDateTime).TotalMinutes) < 5, $"issued {issued:o}, Meta says {record.IssuedAt:o}");
    }

    [Fact]
    public async Task A_vault_without_metadata_is_known_by_its_extension_and_gets_the_secret_alone()
    {
        await using var s = await StartAsync();
        var result = s.Run(NewToken + "$token | Save-WaToken -Vault WithoutMetadata -Verbose").AssertClean();
        Assert.Equal("vault WithoutMetadata, secret WHATSAPP_ACCESS_TOKEN", result.One("WaToken").S("StoredIn"));
        // Known before the write, from the vault's extension module: no -Metadata sent, so nothing SecretManagement removes again.
        Assert.Empty(result.Warnings);
        Assert.Contains(result.Verbose, v => v.Message.Contains("without metadata: the vault's extension (Naova.StandIn.WithoutMetadata) keeps none", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.Message.Contains("successfully removed", StringComparison.Ordinal));
        Assert.Equal(OnlyToken(s), Fingerprint(SecretText(s, SecretManagementStandIn.NoMetadata)));
        Assert.Empty((IDictionary)s.Run("Get-SecretInfo -Vault WithoutMetadata").AssertClean().Output.Single().P("Metadata")!);

        var read = s.Run("Get-WaToken -Vault WithoutMetadata").AssertClean().One("WaToken");
        Assert.Equal(OnlyToken(s), read.S("Fingerprint"));
        Assert.Null(read.P("SystemUserId"));
        Assert.Empty(read.Strings("Scopes"));
    }

    [Fact]
    public async Task Get_WaToken_reads_back_the_token_and_its_metadata_and_shows_text_only_with_AsPlainText()
    {
        await using var s = await StartAsync();
        var saved = s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata").AssertClean().One("WaToken");
        var read = s.Run("Get-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN").AssertClean().One("WaToken");

        foreach (var property in new[] { "Fingerprint", "SystemUserId", "SystemUserName", "BusinessId", "AppId", "Expiration", "Expires" })
            Assert.Equal(saved.S(property), read.S(property));
        Assert.Equal(saved.Strings("Scopes"), read.Strings("Scopes"));
        Assert.Null(read.P("ExpiresAt"));
        Assert.Equal(((DateTimeOffset)saved.P("IssuedAt")!).ToUnixTimeSeconds(), ((DateTimeOffset)read.P("IssuedAt")!).ToUnixTimeSeconds());
        Assert.Equal("vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN", read.S("StoredIn"));
        Assert.IsType<System.Security.SecureString>(read.P("Token"));
        string text = SecretText(s, SecretManagementStandIn.Metadata);
        Assert.DoesNotContain(text, s.Run("Get-WaToken -Vault WithMetadata -Verbose").AssertClean().AllText());

        var plain = s.Run("Get-WaToken -Vault WithMetadata -AsPlainText").AssertClean().Output.Single().BaseObject;
        Assert.Equal(text, plain);
    }

    [Fact]
    public async Task Get_SecretInfo_output_binds_to_Test_WaToken_and_Get_WaToken_by_property_name()
    {
        await using var s = await StartAsync();
        s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata; $token | Save-WaToken -Vault WithMetadata -Name WHATSAPP_BACKUP").AssertClean();
        var reports = s.Run("Get-SecretInfo -Vault WithMetadata | Test-WaToken").AssertClean().Of("WaTokenReport");
        Assert.Equal(2, reports.Length);
        Assert.All(reports, r => Assert.Equal("Healthy", r.S("Status")));
        Assert.Equal(new[] { "vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN", "vault WithMetadata, secret WHATSAPP_BACKUP" }, reports.Select(r => r.S("StoredIn")));

        var direct = s.Run("Test-WaToken -Vault WithMetadata -Name WHATSAPP_BACKUP").AssertClean().One("WaTokenReport");
        Assert.Equal(OnlyToken(s), direct.S("Fingerprint"));
        Assert.Equal(2, s.Run("Get-SecretInfo -Vault WithMetadata | Get-WaToken").AssertClean().Of("WaToken").Length);
        // The default secret name, and the pipeline from Save-WaToken on.
        Assert.Equal("Healthy", s.Run("Test-WaToken -Vault WithMetadata").AssertClean().One("WaTokenReport").S("Status"));
        Assert.Equal("vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN",
            s.Run("$token | Save-WaToken -Vault WithMetadata | Test-WaToken").AssertClean().One("WaTokenReport").S("StoredIn"));
    }

    /// <summary>
    /// A vault that answered Test-SecretVault but then refuses the write (locked in between, its extension failing):
    /// the save fails, the token is kept, and the error's command saves it once the vault takes it again. (A vault
    /// already locked, unregistered or missing is refused before the token is made: DestinationCheckTests.)
    /// </summary>
    [Fact]
    public async Task A_vault_that_refuses_the_write_fails_the_save_and_the_error_keeps_the_token_and_the_command_that_saves_it()
    {
        await using var s = await StartAsync();
        var table = new ScriptedSecrets();
        table.Refuse.Add("WHATSAPP_ACCESS_TOKEN");
        s.Ps.Runspace.SessionStateProxy.SetVariable("vaultTable", table);
        s.Run(ScriptedSecrets.Install("vaultTable", SecretManagementStandIn.Metadata)).AssertClean();
        var result = s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata");
        string fingerprint = OnlyToken(s);
        Assert.Empty(result.Of("WaToken"));
        var error = Assert.Single(result.Errors);
        Assert.Equal("VaultWriteFailed,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.WriteError, error.CategoryInfo.Category);
        Assert.Equal("Naova.WhatsAppToken.WaToken", error.TargetObject.GetType().FullName);
        Assert.Equal(fingerprint, new PSObject(error.TargetObject).S("Fingerprint"));
        const string command = "$WaUnsavedToken | Save-WaToken -Vault 'WithMetadata' -Name 'WHATSAPP_ACCESS_TOKEN'";
        Assert.Contains(command, error.ErrorDetails.Message);
        Assert.Contains("locked", error.ErrorDetails.Message);
        Assert.Contains(command, error.ErrorDetails.RecommendedAction);
        Assert.Null(table.FingerprintOf("WHATSAPP_ACCESS_TOKEN"));

        // What the error kept: the session variable, and the error's target object. Once the vault takes it, the
        // command from the error saves the token, which then leaves $WaUnsavedToken.
        Assert.Equal(fingerprint, s.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));
        table.Refuse.Clear();
        var again = s.Run("& ([scriptblock]::Create($command))", new { command }).AssertClean();
        Assert.Equal("vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN", again.One("WaToken").S("StoredIn"));
        Assert.Equal(fingerprint, table.FingerprintOf("WHATSAPP_ACCESS_TOKEN"));
        // The error names the token (fingerprint, system user) but does not carry it: $Error is often exported or logged.
        Assert.Equal(0, ((System.Security.SecureString)new PSObject(error.TargetObject).Properties["Token"].Value).Length);
        Assert.Equal(true, s.Run("$null -eq $WaUnsavedToken").AssertClean().Output.Single().BaseObject);
    }

    [Fact]
    public async Task Every_token_that_fails_is_kept_and_each_error_names_its_own()
    {
        await using var s = await StartAsync();
        var table = new ScriptedSecrets();
        table.Refuse.Add("WHATSAPP_ACCESS_TOKEN");
        s.Ps.Runspace.SessionStateProxy.SetVariable("vaultTable", table);
        s.Run(ScriptedSecrets.Install("vaultTable", SecretManagementStandIn.Metadata)).AssertClean();
        var result = s.Run(NewToken + "$second = New-WaToken -SystemUserId $token.SystemUserId\n$token, $second | Save-WaToken -Vault WithMetadata");
        Assert.Equal(2, result.Errors.Count);
        var kept = s.Run("$WaUnsavedToken").AssertClean().Of("WaToken");
        Assert.Equal(2, kept.Length);
        var fingerprints = result.Errors.Select(e => new PSObject(e.TargetObject).S("Fingerprint")!).ToArray();
        Assert.Equal(fingerprints, kept.Select(k => k.S("Fingerprint")));
        // With two kept, the command picks the token of its own error.
        string command = $"$WaUnsavedToken | Where-Object Fingerprint -eq '{fingerprints[1]}' | Save-WaToken -Vault 'WithMetadata' -Name 'WHATSAPP_ACCESS_TOKEN'";
        Assert.Contains(command, result.Errors[1].ErrorDetails.Message);

        table.Refuse.Clear();
        s.Run("& ([scriptblock]::Create($command))", new { command }).AssertClean();
        Assert.Equal(fingerprints[1], table.FingerprintOf("WHATSAPP_ACCESS_TOKEN"));
        Assert.Equal(fingerprints[0], s.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));
    }

    [Fact]
    public async Task An_unregistered_vault_and_a_missing_SecretManagement_are_refused_with_what_to_do_before_a_token_is_made()
    {
        await using var s = await StartAsync();
        var result = s.Run(NewToken + "$token | Save-WaToken -Vault Production");
        var error = Assert.Single(result.Errors);
        Assert.Equal("VaultNotFound,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Register-SecretVault", error.ErrorDetails.RecommendedAction);
        // Refused before the token reached Save-WaToken: no command repeats the unregistered name.
        Assert.DoesNotContain("Save-WaToken -Vault 'Production'", error.ErrorDetails.RecommendedAction);
        Assert.Empty(s.Run("@($WaUnsavedToken).Where({ $_ })").AssertClean().Output);

        // A session where SecretManagement is not loaded and PowerShell will not load it, whether or not it is installed
        // (it is, for most users and in CI): to Save-WaToken that is the same as missing, its commands are not found.
        using var bare = new PsSession();
        bare.Run("$PSModuleAutoLoadingPreference = 'None'").AssertClean();
        Assert.Empty(bare.Run("Get-Command Microsoft.PowerShell.SecretManagement\\Set-Secret -ErrorAction SilentlyContinue").Output);
        int tokens = s.Emulator.State.GetTokens().Count;
        var missing = bare.Run(EmulatorSession.Connect + "New-WaToken -SystemUserId $user | Save-WaToken -Vault Production",
            new { biz = s.Seed.BusinessId, app = s.Seed.AppId, admin = EmulatorSession.Secure(s.Seed.AdminUserToken), secret = EmulatorSession.Secure(s.Seed.AppSecret), uri = s.Emulator.BaseUri, user = OnlyUserId(s) });
        var notInstalled = Assert.Single(missing.Errors);
        Assert.Equal("SecretManagementNotFound,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", notInstalled.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotInstalled, notInstalled.CategoryInfo.Category);
        Assert.Contains("Install-PSResource Microsoft.PowerShell.SecretManagement", notInstalled.ErrorDetails.RecommendedAction);
        Assert.Equal(tokens, s.Emulator.State.GetTokens().Count);
        Assert.Empty(bare.Run("@($WaUnsavedToken).Where({ $_ })").AssertClean().Output);
    }

    private static string OnlyUserId(EmulatorSession s) => Assert.Single(s.Emulator.State.GetSystemUsers()).Id;

    [Fact]
    public async Task NoClobber_refuses_to_replace_a_secret_keeps_the_new_token_and_allows_the_same_one()
    {
        await using var s = await StartAsync();
        s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata -NoClobber").AssertClean();
        string first = SecretText(s, SecretManagementStandIn.Metadata);
        var result = s.Run("New-WaToken -SystemUserId $token.SystemUserId | Save-WaToken -Vault WithMetadata -NoClobber");
        var error = Assert.Single(result.Errors);
        Assert.Equal("SecretExists,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("$WaUnsavedToken | Save-WaToken -Vault 'WithMetadata' -Name 'WHATSAPP_ACCESS_TOKEN'", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("-NoClobber", error.ErrorDetails.RecommendedAction.Substring(error.ErrorDetails.RecommendedAction.IndexOf("$WaUnsavedToken", StringComparison.Ordinal)));
        Assert.Equal(first, SecretText(s, SecretManagementStandIn.Metadata));
        Assert.Equal(new PSObject(error.TargetObject).S("Fingerprint"), s.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));
        // The token already there is no clobbering.
        s.Run("$token | Save-WaToken -Vault WithMetadata -NoClobber").AssertClean();
    }

    [Fact]
    public async Task WhatIf_stores_nothing_and_keeps_the_token()
    {
        await using var s = await StartAsync();
        var result = s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata -WhatIf").AssertClean();
        Assert.Empty(result.Of("WaToken"));
        Assert.Empty(s.Run("Get-SecretInfo -Vault WithMetadata").AssertClean().Output);
        Assert.Contains("$WaUnsavedToken", Assert.Single(result.Warnings).Message);
        Assert.Equal(OnlyToken(s), s.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));
    }

    [Fact]
    public async Task Metadata_that_describes_another_token_is_ignored_with_a_warning()
    {
        await using var s = await StartAsync();
        s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata").AssertClean();
        s.Run("Set-SecretInfo -Name WHATSAPP_ACCESS_TOKEN -Vault WithMetadata -Metadata @{ Fingerprint = '000000000000'; SystemUserId = '42' } -Confirm:$false").AssertClean();
        var result = s.Run("Get-WaToken -Vault WithMetadata").AssertClean();
        var read = result.One("WaToken");
        Assert.Equal(OnlyToken(s), read.S("Fingerprint"));
        Assert.Null(read.P("SystemUserId"));
        Assert.Contains("000000000000", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public async Task Reading_a_missing_secret_or_one_that_is_not_text_fails_clearly()
    {
        await using var s = await StartAsync();
        var missing = Assert.Single(s.Run("Get-WaToken -Vault WithMetadata -Name NOPE").Errors);
        Assert.Equal("SecretNotFound,Naova.WhatsAppToken.Commands.GetWaTokenCommand", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.Equal("vault WithMetadata, secret NOPE", missing.TargetObject);
        Assert.Contains("Get-SecretInfo -Vault 'WithMetadata'", missing.ErrorDetails.RecommendedAction);

        s.Run("Set-Secret -Name CRED -Vault WithMetadata -Secret @{ user = 'u' } -Confirm:$false").AssertClean();
        var notText = Assert.Single(s.Run("Test-WaToken -Vault WithMetadata -Name CRED").Errors);
        Assert.Equal("SecretNotText,Naova.WhatsAppToken.Commands.TestWaTokenCommand", notText.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidType, notText.CategoryInfo.Category);

        var locked = Assert.Single(s.Run("Get-WaToken -Vault Locked").Errors);
        Assert.Equal("VaultReadFailed,Naova.WhatsAppToken.Commands.GetWaTokenCommand", locked.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ReadError, locked.CategoryInfo.Category);
    }
    [Fact]
    public async Task A_host_that_can_not_ask_for_confirmation_fails_the_save_and_keeps_the_token()
    {
        await using var s = await StartAsync();
        var result = s.Run(NewToken + "$token | Save-WaToken -Vault WithMetadata -Confirm");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ConfirmationFailed,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-Confirm:$false", error.ErrorDetails.RecommendedAction);
        Assert.Empty(s.Run("Get-SecretInfo -Vault WithMetadata").AssertClean().Output);
        Assert.Equal(OnlyToken(s), s.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));
        Assert.Equal("vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN",
            s.Run("$WaUnsavedToken | Save-WaToken -Vault WithMetadata -Confirm:$false").AssertClean().One("WaToken").S("StoredIn"));
    }

    /// <summary>
    /// The stand-in is only worth its tests if it looks like the real module: these are SecretManagement 1.1's
    /// commands and, for those the product calls or could, their parameter sets (default marked *), positions,
    /// mandatory (!) and pipeline (|) parameters and types, from its source (src/code/SecretManagement.cs).
    /// </summary>
    [Fact]
    public void The_stand_in_has_the_real_module_s_commands_parameter_sets_and_types()
    {
        using var ps = new PsSession(importModule: false);
        ps.Run(SecretManagementStandIn.Import).AssertClean();
        var commands = ps.Run("Get-Command -Module Microsoft.PowerShell.SecretManagement").AssertClean().Objects<CommandInfo>().ToDictionary(c => c.Name);
        Assert.Equal(new[] { "Get-Secret", "Get-SecretInfo", "Get-SecretVault", "Register-SecretVault", "Remove-Secret", "Set-Secret", "Set-SecretInfo",
            "Set-SecretVaultDefault", "Test-SecretVault", "Unlock-SecretVault", "Unregister-SecretVault" }, commands.Keys.Order());
        var expected = new Dictionary<string, string[]>
        {
            ["Set-Secret"] =
            [
                "SecureStringParameterSet*: Name:String@0! SecureStringSecret:SecureString@1!| Vault:String@2 Metadata:Hashtable@3 NoClobber:SwitchParameter",
                "ObjectParameterSet: Name:String@0! Secret:Object@1!| Vault:String@2 Metadata:Hashtable@3 NoClobber:SwitchParameter",
                "SecretInfoParameterSet: SecretInfo:SecretInformation@1!| Vault:String! NoClobber:SwitchParameter",
            ],
            ["Get-Secret"] =
            [
                "NameParameterSet*: Name:String@0!| Vault:String@1 AsPlainText:SwitchParameter",
                "InfoParameterSet: InputObject:SecretInformation!| AsPlainText:SwitchParameter",
            ],
            ["Get-SecretInfo"] = ["__AllParameterSets: Name:String@0 Vault:String@1"],
            ["Set-SecretInfo"] =
            [
                "NameParameterSet*: Name:String@0! Metadata:Hashtable@1!| Vault:String@2",
                "InfoParameterSet: Metadata:Hashtable@0! InputObject:SecretInformation!|",
            ],
            ["Remove-Secret"] =
            [
                "NameParameterSet*: Name:String@0!| Vault:String@1!",
                "InfoParameterSet: InputObject:SecretInformation@0!|",
            ],
            ["Get-SecretVault"] = ["__AllParameterSets: Name:String[]@0"],
        };
        foreach (var (name, sets) in expected)
            Assert.Equal(sets.Order(), commands[name].ParameterSets.Select(Signature).Order());
        Assert.True(commands["Set-Secret"].Parameters.ContainsKey("WhatIf") && commands["Set-Secret"].Parameters.ContainsKey("Confirm"));
        Assert.Equal("Microsoft.PowerShell.SecretManagement.SecretInformation", commands["Get-SecretInfo"].OutputType.Single().Name);
    }

    private static string Signature(CommandParameterSetInfo set) =>
        set.Name + (set.IsDefault ? "*" : string.Empty) + ": " + string.Join(" ", set.Parameters
            .Where(p => !Cmdlet.CommonParameters.Contains(p.Name) && !Cmdlet.OptionalCommonParameters.Contains(p.Name))
            .Select(p => p.Name + ":" + p.ParameterType.Name + (p.Position >= 0 ? "@" + p.Position : string.Empty) + (p.IsMandatory ? "!" : string.Empty) + (p.ValueFromPipeline ? "|" : string.Empty)));
}
