using System.Globalization;
using System.Net;
using Naova.WhatsAppToken.Emulator.Spec;

namespace Naova.WhatsAppToken.Emulator.Tests;

/// <summary>The emulator refuses what Meta's specs (Specs/*.json) and docs/graph-api.md say Graph refuses, in Meta's words.</summary>
public sealed class StrictnessTests
{
    [Fact]
    public async Task A_field_the_node_lacks_is_error_100_unless_the_edge_adds_it()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.CreateSystemUserAsync("svc", "ADMIN");
        await g.AssignWabaAsync(g.Seed.WabaId, su);

        Reply business = await g.GetAsync($"v26.0/{su}?fields=id,business", g.Admin);
        business.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("(#100) Tried accessing nonexisting field (business) on node type (SystemUser)", business.Message);

        // role: added by GET /{business}/system_users; tasks: added by the assigned_* edges.
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users?fields=id,name,role,created_time", g.Admin)).AssertOk();
        Reply users = await g.GetAsync($"v26.0/{g.Seed.WabaId}/assigned_users?business={g.Seed.BusinessId}&fields=id,name,tasks,user_type", g.Admin);
        users.AssertOk();
        Assert.Equal("SYSTEM_USER", users.Json.GetProperty("data")[0].GetProperty("user_type").GetString());
        (await g.GetAsync($"v26.0/{su}/assigned_whatsapp_business_accounts?fields=id,name,tasks,currency", g.Admin)).AssertOk();
        Reply notAdded = await g.GetAsync($"v26.0/{su}/assigned_whatsapp_business_accounts?fields=id,role", g.Admin);
        Assert.Equal("(#100) Tried accessing nonexisting field (role) on node type (WhatsAppBusinessAccount)", notAdded.Message);
        Assert.Contains(GraphSurface.EdgeAddedFields, f => f.Field == "role" && f.Reference.StartsWith("https://developers.facebook.com/", StringComparison.Ordinal));
    }

    /// <summary>
    /// GET /{user-id}/business_users (User.json's edge; its BusinessUser items' fields from Meta's reference, as
    /// GraphSurface says): a person's role in each business, read with the person's own token.
    /// </summary>
    [Fact]
    public async Task A_persons_business_users_give_their_role_and_hold_to_the_Business_User_fields()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply admin = await g.GetAsync($"v26.0/{g.Seed.AdminUserId}/business_users?fields=business,role", g.Admin);
        admin.AssertOk();
        var entry = admin.Json.GetProperty("data")[0];
        Assert.Equal("ADMIN", entry.GetProperty("role").GetString());
        Assert.Equal(g.Seed.BusinessId, entry.GetProperty("business").GetProperty("id").GetString());
        Reply employee = await g.GetAsync($"v26.0/{g.Seed.EmployeeUserId}/business_users?fields=business,role", g.Seed.EmployeeUserToken);
        Assert.Equal("EMPLOYEE", employee.Json.GetProperty("data")[0].GetProperty("role").GetString());

        Reply unknown = await g.GetAsync($"v26.0/{g.Seed.AdminUserId}/business_users?fields=role,tasks_list", g.Admin);
        Assert.Equal("(#100) Tried accessing nonexisting field (tasks_list) on node type (BusinessUser)", unknown.Message);
        (await g.GetAsync($"v26.0/{g.Seed.EmployeeUserId}/business_users?fields=role", g.Admin)).AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task A_required_param_left_out_and_an_enum_param_outside_its_enum_are_error_100()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply noName = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("role", "EMPLOYEE"));
        Assert.Equal("(#100) The parameter name is required", noName.Message);

        Reply role = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("name", "x"), ("role", "OWNER"));
        role.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.StartsWith("(#100) Param role must be one of {ADMIN, ADS_RIGHTS_REVIEWER, DEFAULT, DEVELOPER, EMPLOYEE,", role.Message);

        string su = await g.CreateSystemUserAsync("svc");
        // VIEW_INSIGHTS is named on solution-partner pages, not in the spec's enum for this edge.
        Reply task = await g.PostFormAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin, ("user", su), ("tasks", "[\"MANAGE\",\"VIEW_INSIGHTS\"]"));
        Assert.Equal("(#100) Param tasks[1] must be one of {DEVELOP, MANAGE, MANAGE_EXTENSIONS, MANAGE_PHONE, MANAGE_PHONE_ASSETS, " +
            "MANAGE_TEMPLATES, MESSAGING, VIEW_COST, VIEW_PHONE_ASSETS, VIEW_TEMPLATES}", task.Message);

        Reply listNoBusiness = await g.GetAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin);
        Assert.Equal("(#100) The parameter business is required", listNoBusiness.Message);
    }

    [Fact]
    public async Task A_method_the_spec_does_not_give_an_edge_is_Unsupported_request()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.CreateSystemUserAsync("svc");
        Reply get = await g.GetAsync($"v26.0/{su}/access_tokens", g.Admin);
        get.AssertError(HttpStatusCode.BadRequest, 100, 33);
        Assert.StartsWith($"Unsupported get request. Object with ID '{su}' does not exist, cannot be loaded due to missing permissions, or does not support this operation", get.Message);
        Reply delete = await g.DeleteAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin);
        Assert.StartsWith("Unsupported delete request.", delete.Message);
        Reply exchange = await g.PostFormAsync("v26.0/oauth/access_token", null, ("grant_type", "fb_exchange_token"));
        Assert.StartsWith("Unsupported post request. Object with ID 'oauth'", exchange.Message);
    }

    [Theory]
    [InlineData("v26.0", "2026-12-01", 200, 0)]
    [InlineData("v21.0", "2026-12-01", 200, 0)]
    [InlineData("v21.0", "2027-02-01", 400, 2635)]
    [InlineData("v20.0", "2026-12-01", 400, 2635)]
    [InlineData("v3.2", "2026-12-01", 400, 2635)]
    [InlineData("v99.0", "2026-12-01", 400, 2500)]
    [InlineData("v26.0", "2026-07-01", 400, 2500)]
    public async Task Only_versions_in_service_on_the_emulators_clock_are_served(string version, string day, int status, int code)
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { StartTime = DateTimeOffset.Parse(day + "T12:00:00Z", CultureInfo.InvariantCulture) });
        Reply reply = await g.GetAsync($"{version}/{g.Seed.BusinessId}?fields=id,name", g.Admin);
        Assert.Equal(status, (int)reply.Status);
        if (code == 0) return;
        reply.AssertError(HttpStatusCode.BadRequest, code);
        Assert.StartsWith(code == 2635 ? "(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v"
            : "Unknown path components: /" + version + "/", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debug_token_answers_only_an_app_token_or_a_token_of_an_admin_or_developer_of_the_app()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { RequireAppSecretProof = false });
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string suToken = await g.CreateTokenAsync(su);
        string query = "v26.0/debug_token?input_token=" + Uri.EscapeDataString(g.Employee);

        (await g.GetAsync(query, g.Seed.AppToken, proof: false)).AssertOk();
        (await g.GetAsync(query, g.Admin, proof: false)).AssertOk(); // Ada administers the app (seed appRole)
        foreach (string caller in new[] { g.Employee, suToken })
        {
            Reply refused = await g.GetAsync(query, caller, proof: false);
            refused.AssertError(HttpStatusCode.BadRequest, 100);
            Assert.Equal("(#100) You must provide an app access token, or a user access token that is an owner or developer of the app", refused.Message);
        }
    }

    [Fact]
    public void Every_shipped_spec_loads_with_Metas_licence_beside_it()
    {
        foreach (string node in MetaSpecs.Files)
            Assert.NotEmpty(MetaSpecs.Instance.RequireNode(node).Fields);
        Assert.DoesNotContain("role", MetaSpecs.Instance.RequireNode("SystemUser").Fields);
        Assert.Contains(MetaSpecs.Instance.RequireNode("Business").Edges, e => e.Method == "GET" && e.Endpoint == "system_users");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Specs", "LICENSE")));
    }
}
