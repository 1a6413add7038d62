using System.Net;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class SystemUserTests
{
    [Fact]
    public async Task CreateGetRenameAndList()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string id = await g.CreateSystemUserAsync("naova-whatsapp-service", "ADMIN");
        Assert.InRange(id.Length, 15, 16);

        // SystemUser.json has no role field: Meta answers error 100 (the list edge adds role, below).
        Reply role = await g.GetAsync($"v26.0/{id}?fields=id,name,role", g.Admin);
        role.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("(#100) Tried accessing nonexisting field (role) on node type (SystemUser)", role.Message);

        Reply get = await g.GetAsync($"v26.0/{id}?fields=id,name,created_by,created_time", g.Admin);
        get.AssertOk();
        Assert.Equal("naova-whatsapp-service", get.Json.GetProperty("name").GetString());
        Assert.False(get.Json.TryGetProperty("role", out _));
        Assert.Equal(g.Seed.AdminUserId, get.Json.GetProperty("created_by").GetProperty("id").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$", get.Json.GetProperty("created_time").GetString()!);

        Reply rename = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("system_user_id", id), ("name", "renamed"));
        rename.AssertOk();
        Assert.True(rename.Json.GetProperty("success").GetBoolean());
        Assert.Equal("renamed", g.Emulator.State.FindSystemUser(id)!.Name);

        Reply list = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin);
        list.AssertOk();
        JsonElement user = list.Json.GetProperty("data")[0];
        Assert.Equal(id, user.GetProperty("id").GetString());
        Assert.Equal("renamed", user.GetProperty("name").GetString());
        Assert.Equal("ADMIN", user.GetProperty("role").GetString());
    }

    [Fact]
    public async Task DefaultRoleIsEmployeeAndBadInputIsCode100()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply created = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("name", "plain"));
        created.AssertOk();
        Assert.Equal("EMPLOYEE", g.Emulator.State.FindSystemUser(created.Json.GetProperty("id").GetString()!)!.Role);

        (await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("role", "EMPLOYEE")))
            .AssertError(HttpStatusCode.BadRequest, 100);
        (await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("name", "x"), ("role", "OWNER")))
            .AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task ListPagesWithCursorsNextLinkAndTotalCount()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        var ids = new List<string>();
        for (int i = 0; i < 5; i++) ids.Add(await g.CreateSystemUserAsync($"user-{i}"));

        Reply first = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users?limit=2&summary=total_count&fields=id,name", g.Admin);
        first.AssertOk();
        Assert.Equal(5, first.Json.GetProperty("summary").GetProperty("total_count").GetInt32());
        Assert.Equal(2, first.Json.GetProperty("data").GetArrayLength());
        Assert.False(first.Json.GetProperty("data")[0].TryGetProperty("role", out _));

        var seen = new List<string>();
        string? next = first.Json.GetProperty("paging").GetProperty("next").GetString();
        seen.AddRange(first.Json.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
        while (next is not null)
        {
            Assert.StartsWith(g.Emulator.BaseUri.AbsoluteUri + "v26.0/", next);
            Reply page = await g.SendAsync(HttpMethod.Get, next, null);
            page.AssertOk();
            seen.AddRange(page.Json.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
            next = page.Json.GetProperty("paging").TryGetProperty("next", out JsonElement n) ? n.GetString() : null;
        }
        Assert.Equal(ids, seen);

        string after = first.Json.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString()!;
        Reply second = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users?limit=2&after={Uri.EscapeDataString(after)}", g.Admin);
        Assert.Equal(ids[2], second.Json.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task LimitsAreEnforced()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { MaxSystemUsers = 3 });
        await g.CreateSystemUserAsync("admin", "ADMIN");
        Reply secondAdmin = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("name", "admin2"), ("role", "ADMIN"));
        secondAdmin.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Contains("admin system user", secondAdmin.Message);

        await g.CreateSystemUserAsync("e1");
        await g.CreateSystemUserAsync("e2");
        Reply fourth = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("name", "e3"));
        fourth.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Contains("system users", fourth.Message);
        Assert.Equal(3, g.Emulator.State.GetSystemUsers(g.Seed.BusinessId).Count);
    }

    [Fact]
    public async Task NonAdminCallerIsRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Employee, ("name", "nope"));
        reply.AssertError(HttpStatusCode.Forbidden, 200);
        Assert.Contains("business admin", reply.Message);
        Assert.Empty(g.Emulator.State.GetSystemUsers());

        // An EMPLOYEE system user's token is not an admin either.
        string employee = await g.ReadySystemUserAsync("employee");
        string token = await g.CreateTokenAsync(employee);
        (await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", token, ("name", "nope")))
            .AssertError(HttpStatusCode.Forbidden, 200);
        (await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Employee, ("system_user_id", employee), ("name", "x")))
            .AssertError(HttpStatusCode.Forbidden, 200);
    }

    [Fact]
    public async Task FirstAdminOnlyWithAPersonTokenThenTheAdminSystemUserMayCreate()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { MaxAdminSystemUsers = 2 });
        string employee = await g.ReadySystemUserAsync("employee");
        string employeeToken = await g.CreateTokenAsync(employee);
        (await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", employeeToken, ("name", "a"), ("role", "ADMIN")))
            .AssertError(HttpStatusCode.Forbidden, 200);
        (await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Employee, ("name", "a"), ("role", "ADMIN")))
            .AssertError(HttpStatusCode.Forbidden, 200);

        string admin = await g.CreateSystemUserAsync("admin", "ADMIN", g.Admin);
        await g.InstallAppAsync(admin);
        string adminToken = await g.CreateTokenAsync(admin);
        string made = await g.CreateSystemUserAsync("made-by-admin-su", "EMPLOYEE", adminToken);
        Assert.Equal(admin, g.Emulator.State.FindSystemUser(made)!.CreatedById);
        await g.CreateSystemUserAsync("second-admin", "ADMIN", adminToken);
    }

    [Fact]
    public async Task UnknownSystemUserIs100Sub33()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await g.GetAsync("v26.0/1999999999999999?fields=id,name,role", g.Admin);
        reply.AssertError(HttpStatusCode.BadRequest, 100, 33);
        Assert.Contains("Unsupported get request. Object with ID '1999999999999999' does not exist", reply.Message);
    }

    [Fact]
    public async Task SystemUserCallsNeedBusinessManagementScope()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("narrow", "ADMIN");
        Reply made = await g.RequestTokenAsync(su, scope: "whatsapp_business_messaging");
        made.AssertOk();
        string narrow = made.Json.GetProperty("access_token").GetString()!;
        Reply reply = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users", narrow);
        reply.AssertError(HttpStatusCode.Forbidden, 200);
        Assert.Contains("business_management", reply.Message);
        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", narrow)).AssertError(HttpStatusCode.Forbidden, 200);
    }
}

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ParallelCreatesRespectTheLimit()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { MaxSystemUsers = 5 });
        Reply[] replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin, ("name", $"parallel-{i}"))));
        Assert.Equal(5, replies.Count(r => r.Status == System.Net.HttpStatusCode.OK));
        Assert.Equal(5, g.Emulator.State.GetSystemUsers().Count);
        Assert.Equal(12, g.Emulator.RequestCount);
    }
}
