using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>Tab completion as PowerShell's own TabExpansion2 offers it.</summary>
public class CompletionTests
{
    private static string[] Complete(PsSession ps, string line) =>
        ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", new { line })
            .AssertClean().Output.Select(o => o.ToString()).ToArray();

    [Theory]
    [InlineData("Save-WaToken -Vault With")]
    [InlineData("Get-WaToken -Vault With")]
    [InlineData("Test-WaToken -Vault With")]
    public void Vault_completes_the_registered_vaults_through_SecretManagement(string line)
    {
        // SecretManagement STAND-IN (tests/.../StandIn), not the real module: its vaults are WithMetadata, WithoutMetadata, Locked.
        using var ps = new PsSession();
        ps.Run(SecretManagementStandIn.Import).AssertClean();
        Assert.Equal(new[] { SecretManagementStandIn.Metadata, SecretManagementStandIn.NoMetadata }, Complete(ps, line).OrderBy(x => x));
    }

    [Fact]
    public void Vault_completes_nothing_and_fails_nothing_without_SecretManagement()
    {
        using var ps = new PsSession();
        Assert.Empty(Complete(ps, "Save-WaToken -Vault "));
    }

    [Fact]
    public async Task System_user_names_complete_from_the_connection()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "'svc-alpha', 'svc-beta', 'other' | New-WaSystemUser").AssertClean();
        Assert.Equal(new[] { "svc-alpha", "svc-beta" }, Complete(s.Ps, "Get-WaSystemUser -Name svc").OrderBy(x => x));
        Assert.Contains(s.Seed.WabaId, Complete(s.Ps, "Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccount "));
    }
}

public class RequiredScopeValidationTests
{
    [Fact]
    public void A_required_scope_that_is_not_a_single_word_is_refused_before_any_call()
    {
        using var ps = new PsSession();
        var r = ps.Run("Test-WaToken -Token $t -RequiredScope 'business_management,ads_read'", new { t = EmulatorSession.Secure("EAAx") });
        var error = r.SingleError();
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
        Assert.Contains("RequiredScope", error.Exception.Message);
    }
}

/// <summary>
/// Every id and name parameter completes, through TabExpansion2 as a person's Tab press does: ids and names from the
/// connection (one batch request per connection, then the cache), secret names from Get-SecretInfo of the -Vault on
/// the line or the default vault (the SecretManagement STAND-IN here: WithMetadata is its default vault).
/// </summary>
public class IdAndNameCompletionTests
{
    private static string[] Complete(PsSession ps, string line) =>
        ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", new { line })
            .AssertClean().Output.Select(o => o.ToString()).ToArray();

    [Fact]
    public void Every_id_and_name_parameter_has_a_completer()
    {
        using var ps = new PsSession();
        var commands = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<System.Management.Automation.CmdletInfo>().ToList();
        var names = new[] { "SystemUserId", "WhatsAppBusinessAccountId", "AppId", "BusinessId", "Name", "SystemUserName", "Vault" };
        int checkedParameters = 0;
        foreach (var command in commands)
            foreach (var parameter in command.Parameters.Values.Where(p => names.Contains(p.Name)))
            {
                Assert.True(parameter.Attributes.OfType<System.Management.Automation.ArgumentCompleterAttribute>().Any(),
                    $"{command.Name} -{parameter.Name} has no argument completer: Tab offers file names");
                checkedParameters++;
            }
        Assert.True(checkedParameters >= 25, "parameters: " + checkedParameters);
    }

    [Fact]
    public async Task Ids_names_and_secret_names_complete_from_the_connection_and_the_vault()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + """
            $token = New-WaSystemUser -Name naova-whatsapp-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba -WarningAction SilentlyContinue | New-WaToken
            $null = $token | Save-WaToken
            $null = $token | Save-WaToken -Vault WithoutMetadata -Name OTHER_WHATSAPP_TOKEN
            """).AssertClean();
        string user = s.Emulator.State.GetSystemUsers().Single().Id;
        string app = s.Seed.AppId, waba = s.Seed.WabaId, waba2 = s.Seed.SecondWabaId;
        var cases = new (string Line, string[] Expected)[]
        {
            ("Get-WaSystemUser -SystemUserId ", [user]),
            ("Get-WaSystemUser -Id naova", [user]),
            ("Get-WaSystemUser -Name naova", ["naova-whatsapp-service"]),
            ("New-WaSystemUser -Name naova", ["naova-whatsapp-service"]),
            ("New-WaToken -SystemUserId ", [user]),
            ("New-WaToken -SystemUserName naova", ["naova-whatsapp-service"]),
            ("New-WaToken -SystemUserId 1 -AppId ", [app]),
            ("Grant-WaAssets -SystemUserId ", [user]),
            ("Grant-WaAssets -SystemUserId 1 -AppId Naova", [app]),
            ("Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccountId ", [waba, waba2]),
            ("Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccount Client", [waba2]),
            ("Revoke-WaToken -All -SystemUserId ", [user]),
            ("Update-WaToken -SystemUserId ", [user]),
            ("Update-WaToken -WhatsAppBusinessAccount ", [waba, waba2]),
            ("Get-WaApp -AppId ", [app]),
            ("Get-WaApp -Name ", ["'Naova Demo App'"]),
            ("Get-WaWhatsAppAccount -WhatsAppBusinessAccountId ", [waba, waba2]),
            ("Get-WaWhatsAppAccount -Name ", ["'Client Co WABA'", "'Naova Demo WABA'"]),
            ("Connect-WaBusiness -BusinessId ", [s.Seed.BusinessId]),
            ("Connect-WaBusiness -BusinessId 1 -AppId ", [app]),
            ("Get-WaToken -Name WHATS", ["WHATSAPP_ACCESS_TOKEN"]),
            ("Get-WaToken WHATS", ["WHATSAPP_ACCESS_TOKEN"]),
            ("Get-WaToken -Vault WithoutMetadata -Name ", ["OTHER_WHATSAPP_TOKEN"]),
            ("Test-WaToken -Name ", ["WHATSAPP_ACCESS_TOKEN"]),
            ("Test-WaToken -VaultName WithoutMetadata -Name O", ["OTHER_WHATSAPP_TOKEN"]),
            ("Save-WaToken -Name ", ["WHATSAPP_ACCESS_TOKEN"]),
            ("Update-WaToken -Vault WithoutMetadata -Name ", ["OTHER_WHATSAPP_TOKEN"]),
        };
        var wrong = new List<string>();
        foreach (var (line, expected) in cases)
        {
            var offered = Complete(s.Ps, line).OrderBy(x => x, StringComparer.Ordinal).ToArray();
            if (!offered.SequenceEqual(expected.OrderBy(x => x, StringComparer.Ordinal))) wrong.Add($"{line}| offered [{string.Join(", ", offered)}], expected [{string.Join(", ", expected)}]");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Repeated_Tab_presses_cost_one_Graph_request_per_connection_and_a_new_system_user_shows_up()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "$null = New-WaSystemUser -Name svc-alpha").AssertClean();
        s.Emulator.ResetRequestLog();

        foreach (string line in new[] { "New-WaToken -SystemUserId ", "Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccountId ", "Get-WaApp -Name ", "Get-WaSystemUser -Name svc", "New-WaToken -SystemUserId " })
            Assert.NotEmpty(Complete(s.Ps, line));
        var first = Assert.Single(s.Emulator.Requests);
        Assert.Equal("POST", first.Method);
        for (int i = 0; i < 10; i++) Assert.Equal(new[] { "svc-alpha" }, Complete(s.Ps, "Get-WaSystemUser -Name svc"));
        Assert.Equal(1, s.Emulator.RequestCount);

        s.Run("$null = New-WaSystemUser -Name svc-beta").AssertClean();
        s.Emulator.ResetRequestLog();
        Assert.Equal(new[] { "svc-alpha", "svc-beta" }, Complete(s.Ps, "Get-WaSystemUser -Name svc").OrderBy(x => x));
        Assert.Equal(new[] { "svc-alpha", "svc-beta" }, Complete(s.Ps, "New-WaToken -SystemUserName svc").OrderBy(x => x));
        Assert.Equal(1, s.Emulator.RequestCount);
    }
}
