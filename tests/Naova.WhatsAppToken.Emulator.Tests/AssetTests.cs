using System.Net;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class AssetTests
{
    [Fact]
    public async Task AppInstallIsListedAndNeededForAToken()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.CreateSystemUserAsync("svc");
        Reply before = await g.RequestTokenAsync(su);
        before.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Contains("not installed", before.Message);

        Reply install = await g.PostFormAsync($"v26.0/{su}/applications", g.Admin, ("business_app", g.Seed.AppId));
        install.AssertOk();
        Assert.True(install.Json.GetProperty("success").GetBoolean());
        Assert.Equal(new[] { g.Seed.AppId }, g.Emulator.State.FindSystemUser(su)!.InstalledAppIds);

        Reply apps = await g.GetAsync($"v26.0/{su}/assigned_apps", g.Admin);
        apps.AssertOk();
        JsonElement app = apps.Json.GetProperty("data")[0];
        Assert.Equal(g.Seed.AppId, app.GetProperty("id").GetString());
        Assert.Equal(g.Seed.AppName, app.GetProperty("name").GetString());
        Assert.True(app.TryGetProperty("permitted_tasks", out _));
        (await g.RequestTokenAsync(su)).AssertOk();

        (await g.PostFormAsync($"v26.0/{su}/applications", g.Admin, ("business_app", "1777777777777777")))
            .AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task AppAssignedUsersIsNotAnEdgeOfTheAppNode()
    {
        // Application.json gives the app node no assigned_users edge (docs/graph-api.md: "seen only in third-party code").
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.CreateSystemUserAsync("svc");
        Reply reply = await g.PostFormAsync($"v26.0/{g.Seed.AppId}/assigned_users", g.Admin,
            ("user", su), ("tasks", "[\"MANAGE\",\"DEVELOP\"]"), ("business", g.Seed.BusinessId));
        reply.AssertError(HttpStatusCode.BadRequest, 100, 33);
        Assert.StartsWith($"Unsupported post request. Object with ID '{g.Seed.AppId}' does not exist", reply.Message);
    }

    [Fact]
    public async Task WabaAssignListAndDelete()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.CreateSystemUserAsync("svc");
        await g.AssignWabaAsync(g.Seed.WabaId, su, "[\"MANAGE\",\"MESSAGING\"]");

        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin)).AssertError(HttpStatusCode.BadRequest, 100);
        Reply list = await g.GetAsync($"v26.0/{g.Seed.WabaId}/assigned_users?business={g.Seed.BusinessId}", g.Admin);
        list.AssertOk();
        JsonElement entry = list.Json.GetProperty("data")[0];
        Assert.Equal(su, entry.GetProperty("id").GetString());
        Assert.Equal("svc", entry.GetProperty("name").GetString());
        Assert.Equal(2, entry.GetProperty("tasks").GetArrayLength());

        Reply assigned = await g.GetAsync($"v26.0/{su}/assigned_whatsapp_business_accounts", g.Admin);
        Assert.Equal(g.Seed.WabaId, assigned.Json.GetProperty("data")[0].GetProperty("id").GetString());

        Reply removed = await g.DeleteAsync($"v26.0/{g.Seed.WabaId}/assigned_users?user={su}", g.Admin);
        removed.AssertOk();
        Assert.Empty(g.Emulator.State.GetWabaAssignments(g.Seed.WabaId));
        Reply after = await g.GetAsync($"v26.0/{su}/assigned_whatsapp_business_accounts", g.Admin);
        Assert.Equal(0, after.Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task EmployeeSeesAssignedWabasAdminSeesAll()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string employee = await g.ReadySystemUserAsync("employee");
        string admin = await g.ReadySystemUserAsync("admin", "ADMIN");
        await g.AssignWabaAsync(g.Seed.WabaId, employee);
        string employeeToken = await g.CreateTokenAsync(employee);
        string adminToken = await g.CreateTokenAsync(admin);

        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", employeeToken)).AssertOk();
        (await g.GetAsync($"v26.0/{g.Seed.SecondWabaId}?fields=id,name", employeeToken)).AssertError(HttpStatusCode.BadRequest, 100, 33);
        (await g.GetAsync($"v26.0/{g.Seed.WabaId}?fields=id,name", adminToken)).AssertOk();
        (await g.GetAsync($"v26.0/{g.Seed.SecondWabaId}?fields=id,name", adminToken)).AssertOk();
        Assert.Equal(new[] { g.Seed.WabaId }, g.Emulator.State.FindToken(employeeToken)!.VisibleWabaIds);
        Assert.Equal(2, g.Emulator.State.FindToken(adminToken)!.VisibleWabaIds.Count);
    }

    [Fact]
    public async Task ATokenDoesNotSeeAWabaGrantedAfterItWasMade()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("employee");
        string early = await g.CreateTokenAsync(su);
        await g.AssignWabaAsync(g.Seed.WabaId, su);

        (await g.GetAsync($"v26.0/{g.Seed.PhoneNumberId}?fields=id", early)).AssertError(HttpStatusCode.BadRequest, 100, 33);
        string late = await g.CreateTokenAsync(su);
        (await g.GetAsync($"v26.0/{g.Seed.PhoneNumberId}?fields=id", late)).AssertOk();
        Assert.Empty(g.Emulator.State.FindToken(early)!.VisibleWabaIds);

        // Taking the grant away is seen at once, even by the token made while it was there.
        (await g.DeleteAsync($"v26.0/{g.Seed.WabaId}/assigned_users?user={su}", g.Admin)).AssertOk();
        (await g.GetAsync($"v26.0/{g.Seed.PhoneNumberId}?fields=id", late)).AssertError(HttpStatusCode.BadRequest, 100, 33);
    }

    [Fact]
    public async Task NoAccessCodeCanBe200()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { NoAccessErrorCode = 200 });
        string su = await g.ReadySystemUserAsync("employee");
        string token = await g.CreateTokenAsync(su);
        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", token)).AssertError(HttpStatusCode.Forbidden, 200);
        (await g.GetAsync($"v26.0/{g.Seed.PhoneNumberId}", token)).AssertError(HttpStatusCode.Forbidden, 200);
    }

    [Fact]
    public async Task OnlyAnAdminAssignsWabas()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.CreateSystemUserAsync("svc");
        (await g.PostFormAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Employee, ("user", su), ("tasks", "[\"MANAGE\"]")))
            .AssertError(HttpStatusCode.Forbidden, 200);
        (await g.PostFormAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin, ("user", "1888888888888888"), ("tasks", "[\"MANAGE\"]")))
            .AssertError(HttpStatusCode.BadRequest, 100);
    }
}
