using System.Management.Automation;
using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>Get-WaWhatsAppAccount and Get-WaApp against the seeded business, and the WhatsApp account ids piped into Grant-WaAssets.</summary>
public class DiscoveryTests
{
    private const string ClientBusinessId = "182736450918273";
    private const string ClientAppId = "1376450918273645";

    [Fact]
    public async Task Lists_owned_and_client_accounts_with_their_phone_numbers()
    {
        await using var s = await EmulatorSession.StartAsync();
        var accounts = s.Run(EmulatorSession.Connect + "Get-WaWhatsAppAccount").AssertClean().Of("WaWhatsAppAccount");

        Assert.Equal(new[] { s.Seed.WabaId, s.Seed.SecondWabaId }, accounts.Select(a => a.S("WhatsAppBusinessAccountId")));
        var owned = accounts[0];
        Assert.Equal(s.Seed.WabaName, owned.S("Name"));
        Assert.Equal("Owned", owned.S("Ownership"));
        Assert.Equal(s.Seed.BusinessId, owned.S("OwnerBusinessId"));
        Assert.Equal(s.Seed.BusinessId, owned.S("BusinessId"));
        Assert.Equal("APPROVED", owned.S("AccountReviewStatus"));
        Assert.Equal("USD", owned.S("Currency"));
        var number = Assert.Single((object[])owned.P("PhoneNumbers")!).ToPs();
        Assert.Equal(s.Seed.PhoneNumberId, number.S("PhoneNumberId"));
        Assert.Equal(s.Seed.DisplayPhoneNumber, number.S("DisplayPhoneNumber"));
        Assert.Equal("Naova Demo", number.S("VerifiedName"));
        Assert.Equal("GREEN", number.S("QualityRating"));
        Assert.Equal("CONNECTED", number.S("Status"));
        Assert.Equal("VERIFIED", number.S("CodeVerificationStatus"));
        Assert.Equal(s.Seed.WabaId, number.S("WhatsAppBusinessAccountId"));

        var shared = accounts[1];
        Assert.Equal("Client", shared.S("Ownership"));
        Assert.Equal(ClientBusinessId, shared.S("OwnerBusinessId"));
        Assert.Equal("Client Co", shared.S("OwnerBusinessName"));
        Assert.Equal("EUR", shared.S("Currency"));
        // Read and found empty: an empty list, not "unknown".
        Assert.NotNull(shared.P("PhoneNumbers"));
        Assert.Empty((object[])shared.P("PhoneNumbers")!);
        // No Id property: it would bind to Grant-WaAssets' and New-WaToken's -SystemUserId (alias Id).
        Assert.Null(owned.Properties["Id"]);
    }

    [Fact]
    public async Task Filters_by_name_ownership_and_id_and_reports_what_matches_nothing()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();

        Assert.Equal(new[] { s.Seed.SecondWabaId }, Ids(s.Run("Get-WaWhatsAppAccount -Name 'client*'").AssertClean()));
        Assert.Equal(new[] { s.Seed.WabaId }, Ids(s.Run("Get-WaWhatsAppAccount -Ownership Owned").AssertClean()));
        Assert.Equal(new[] { s.Seed.SecondWabaId }, Ids(s.Run("Get-WaWhatsAppAccount -WhatsAppBusinessAccountId $waba2").AssertClean()));
        Assert.Empty(s.Run("Get-WaWhatsAppAccount -Name 'nothing*'").AssertClean().Output);

        var byName = s.Run("Get-WaWhatsAppAccount -Name 'No Such WABA', 'Naova Demo WABA'");
        Assert.Equal(new[] { s.Seed.WabaId }, Ids(byName));
        var nameError = Assert.Single(byName.Errors);
        Assert.Equal("WhatsAppAccountNotFound,Naova.WhatsAppToken.Commands.GetWaWhatsAppAccountCommand", nameError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, nameError.CategoryInfo.Category);
        Assert.Equal("No Such WABA", nameError.TargetObject);
        Assert.Contains("Get-WaWhatsAppAccount", nameError.ErrorDetails.RecommendedAction);

        var byId = s.Run("Get-WaWhatsAppAccount -WhatsAppBusinessAccountId 123456789, $waba");
        Assert.Equal(new[] { s.Seed.WabaId }, Ids(byId));
        Assert.Equal("123456789", Assert.Single(byId.Errors).TargetObject);

        var notAnId = s.Run("Get-WaWhatsAppAccount -WhatsAppBusinessAccountId 'abc'");
        Assert.Contains("ParameterArgumentValidationError", Assert.Single(notAnId.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task SkipPhoneNumber_asks_Graph_for_no_numbers_and_says_they_are_unknown()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();
        s.Emulator.ResetRequestLog();

        var accounts = s.Run("Get-WaWhatsAppAccount -SkipPhoneNumber").AssertClean().Of("WaWhatsAppAccount");

        Assert.Equal(2, accounts.Length);
        Assert.All(accounts, a => Assert.Null(a.P("PhoneNumbers")));
        Assert.DoesNotContain(s.Emulator.Requests, r => r.Path.Contains("phone_numbers"));
        Assert.Equal(2, s.Emulator.Requests.Count); // the owned list and the client list, one page each
    }

    [Fact]
    public async Task Numbers_that_can_not_be_read_are_an_error_for_that_account_and_every_account_still_comes_back()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();
        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(403, 200, message: "(#200) Requires whatsapp_business_management permission to manage the object"),
            1, "phone_numbers");

        var r = s.Run("Get-WaWhatsAppAccount");

        var accounts = r.Of("WaWhatsAppAccount");
        Assert.Equal(new[] { s.Seed.WabaId, s.Seed.SecondWabaId }, accounts.Select(a => a.S("WhatsAppBusinessAccountId")));
        Assert.Null(accounts[0].P("PhoneNumbers"));
        Assert.NotNull(accounts[1].P("PhoneNumbers"));
        var error = Assert.Single(r.Errors);
        Assert.Equal(s.Seed.WabaId, error.TargetObject);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.EndsWith(",Naova.WhatsAppToken.Commands.GetWaWhatsAppAccountCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Accounts_pipe_their_ids_into_Grant_WaAssets()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + """
            $user = New-WaSystemUser -Name discovery-service -Role Employee
            Get-WaWhatsAppAccount | Grant-WaAssets -SystemUserId $user.Id -Task MANAGE, VIEW_COST
            """).AssertClean();

        var user = Assert.Single(s.Emulator.State.GetSystemUsers());
        foreach (string waba in new[] { s.Seed.WabaId, s.Seed.SecondWabaId })
            Assert.Equal(new[] { "MANAGE", "VIEW_COST" }, s.Emulator.State.GetWabaAssignments(waba)[user.Id].OrderBy(t => t));
        var grants = r.Of("WaAssetGrant");
        Assert.Equal(2, grants.Length);
        Assert.All(grants, g => Assert.Equal(user.Id, g.S("SystemUserId")));
    }

    [Fact]
    public async Task What_a_grant_holds_pipes_back_into_Get_WaWhatsAppAccount()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + """
            $grant = New-WaSystemUser -Name discovery-service -Role Employee | Grant-WaAssets -WhatsAppBusinessAccount $waba2
            $grant.WhatsAppBusinessAccounts | Get-WaWhatsAppAccount -SkipPhoneNumber
            """).AssertClean();

        var account = r.One("WaWhatsAppAccount");
        Assert.Equal(s.Seed.SecondWabaId, account.S("WhatsAppBusinessAccountId"));
        Assert.Equal("Client", account.S("Ownership"));
    }

    [Fact]
    public async Task Get_WaApp_lists_owned_and_client_apps_and_marks_the_connection_app()
    {
        string seed = SeedWithClientApp();
        try
        {
            await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { SeedPath = seed });
            var apps = s.Run(EmulatorSession.Connect + "Get-WaApp").AssertClean().Of("WaApp");

            Assert.Equal(new[] { s.Seed.AppId, ClientAppId }, apps.Select(a => a.S("AppId")));
            Assert.Equal(new[] { "Owned", "Client" }, apps.Select(a => a.S("Ownership")));
            Assert.Equal(new object?[] { true, false }, apps.Select(a => a.P("IsConnectionApp")));
            Assert.Equal(s.Seed.AppName, apps[0].S("Name"));
            Assert.Equal("Client Co App", apps[1].S("Name"));
            Assert.All(apps, a => Assert.Equal(s.Seed.BusinessId, a.S("BusinessId")));

            Assert.Equal(new[] { ClientAppId }, s.Run("Get-WaApp -Ownership Client").AssertClean().Of("WaApp").Select(a => a.S("AppId")));
            Assert.Equal(new[] { s.Seed.AppId }, s.Run("Get-WaApp -Name 'naova*'").AssertClean().Of("WaApp").Select(a => a.S("AppId")));
        }
        finally
        {
            File.Delete(seed);
        }
    }

    [Fact]
    public async Task Get_WaApp_takes_the_AppId_of_a_connection_and_unknown_apps_are_errors()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect).AssertClean();

        var mine = s.Run("Get-WaConnection | Get-WaApp").AssertClean().One("WaApp");
        Assert.Equal(s.Seed.AppId, mine.S("AppId"));
        Assert.Equal(true, mine.P("IsConnectionApp"));

        var unknown = s.Run("Get-WaApp -AppId 999999999");
        Assert.Empty(unknown.Output);
        var error = Assert.Single(unknown.Errors);
        Assert.Equal("AppNotFound,Naova.WhatsAppToken.Commands.GetWaAppCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Get-WaApp", error.ErrorDetails.RecommendedAction);

        Assert.Equal("AppNotFound,Naova.WhatsAppToken.Commands.GetWaAppCommand", Assert.Single(s.Run("Get-WaApp -Name 'Nope'").Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Discovery_without_a_connection_says_how_to_connect()
    {
        await using var s = await EmulatorSession.StartAsync();
        foreach (string command in new[] { "Get-WaWhatsAppAccount", "Get-WaApp" })
        {
            var r = s.Run(command);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("NotConnected,", error.FullyQualifiedErrorId);
            Assert.Contains("Connect-WaBusiness", error.ErrorDetails.RecommendedAction);
        }
        Assert.Equal(0, s.Emulator.RequestCount);
    }

    private static string[] Ids(PsResult r) => r.Of("WaWhatsAppAccount").Select(a => a.S("WhatsAppBusinessAccountId")!).ToArray();

    /// <summary>The demo seed plus an app a client shared with the business.</summary>
    private static string SeedWithClientApp()
    {
        var seed = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "src", "Naova.WhatsAppToken.Emulator", "seed.json")))!;
        seed["apps"]!.AsArray().Add(new JsonObject
        {
            ["id"] = ClientAppId,
            ["name"] = "Client Co App",
            ["secret"] = "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            ["requireAppSecretProof"] = false,
            ["relation"] = "client",
        });
        string path = Path.Combine(Path.GetTempPath(), "naova-seed-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, seed.ToJsonString());
        return path;
    }
}

internal static class PsObjectTestExtensions
{
    public static PSObject ToPs(this object value) => value as PSObject ?? PSObject.AsPSObject(value);
}
