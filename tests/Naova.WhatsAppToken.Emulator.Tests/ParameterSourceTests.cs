using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Naova.WhatsAppToken.Emulator.Tests;

/// <summary>The same WABA grant sent four ways gives the same result.</summary>
public sealed class ParameterSourceTests
{
    private static async Task<(TestGraph G, string User)> SetUpAsync()
    {
        TestGraph g = await TestGraph.StartAsync();
        return (g, await g.CreateSystemUserAsync("target"));
    }

    private static async Task AssertGrantedAsync(TestGraph g, string user, Reply reply, params string[] tasks)
    {
        reply.AssertOk();
        Assert.True(reply.Json.GetProperty("success").GetBoolean());
        Assert.Equal(tasks, g.Emulator.State.GetWabaAssignments(g.Seed.WabaId)[user]);
        await g.DisposeAsync();
    }

    [Fact]
    public async Task FromTheQueryString()
    {
        (TestGraph g, string user) = await SetUpAsync();
        string url = g.WithAuth($"v26.0/{g.Seed.WabaId}/assigned_users?user={user}&tasks={Uri.EscapeDataString("[\"MANAGE\",\"DEVELOP\"]")}", g.Admin);
        Reply reply = await g.SendAsync(HttpMethod.Post, url, null);
        Assert.Equal(TokenLocation.Query, g.Emulator.Requests[^1].TokenIn);
        Assert.Contains("user", g.Emulator.Requests[^1].QueryKeys);
        await AssertGrantedAsync(g, user, reply, "MANAGE", "DEVELOP");
    }

    [Fact]
    public async Task FromAUrlEncodedForm()
    {
        (TestGraph g, string user) = await SetUpAsync();
        Reply reply = await g.PostFormAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin, ("user", user), ("tasks", "MANAGE,DEVELOP"));
        Assert.Equal(TokenLocation.Header, g.Emulator.Requests[^1].TokenIn);
        Assert.Contains("tasks", g.Emulator.Requests[^1].BodyKeys);
        await AssertGrantedAsync(g, user, reply, "MANAGE", "DEVELOP");
    }

    [Fact]
    public async Task FromMultipart()
    {
        (TestGraph g, string user) = await SetUpAsync();
        var form = new MultipartFormDataContent
        {
            { new StringContent(user), "user" },
            { new StringContent("[\"MANAGE\",\"DEVELOP\"]"), "tasks" },
            { new StringContent(g.Admin), "access_token" },
            { new StringContent(g.Proof(g.Admin)), "appsecret_proof" },
        };
        Reply reply = await g.SendAsync(HttpMethod.Post, $"v26.0/{g.Seed.WabaId}/assigned_users", form);
        Assert.Equal(TokenLocation.Body, g.Emulator.Requests[^1].TokenIn);
        await AssertGrantedAsync(g, user, reply, "MANAGE", "DEVELOP");
    }

    [Fact]
    public async Task FromAJsonBodyWithARealArray()
    {
        (TestGraph g, string user) = await SetUpAsync();
        string json = $$"""{"user":"{{user}}","tasks":["MANAGE","DEVELOP"],"appsecret_proof":"{{g.Proof(g.Admin)}}"}""";
        var request = new HttpRequestMessage(HttpMethod.Post, $"v26.0/{g.Seed.WabaId}/assigned_users")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", g.Admin);
        Reply reply = await g.SendAsync(request);
        await AssertGrantedAsync(g, user, reply, "MANAGE", "DEVELOP");
    }

    [Fact]
    public async Task QueryAndBodyAreMergedAndUnknownTasksRefused()
    {
        (TestGraph g, string user) = await SetUpAsync();
        string url = g.WithAuth($"v26.0/{g.Seed.WabaId}/assigned_users?user={user}", g.Admin);
        var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["tasks"] = "[\"MESSAGING\"]" });
        Reply reply = await g.SendAsync(HttpMethod.Post, url, body);
        reply.AssertOk();

        Reply bad = await g.PostFormAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin, ("user", user), ("tasks", "[\"MANAGE\",\"FLY\"]"));
        bad.AssertError(System.Net.HttpStatusCode.BadRequest, 100);
        Assert.Contains("tasks[1]", bad.Message);
        (await g.PostFormAsync($"v26.0/{g.Seed.WabaId}/assigned_users", g.Admin, ("user", user)))
            .AssertError(System.Net.HttpStatusCode.BadRequest, 100);
        await AssertGrantedAsync(g, user, reply, "MESSAGING");
    }

    [Fact]
    public async Task RequestLogKeepsKeysNotValues()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        await g.GetAsync($"v26.0/{g.Seed.BusinessId}?fields=id,name", g.Admin);
        RecordedRequest recorded = Assert.Single(g.Emulator.Requests);
        Assert.Equal("GET", recorded.Method);
        Assert.Equal($"/v26.0/{g.Seed.BusinessId}", recorded.Path);
        Assert.Equal(new[] { "fields", "access_token", "appsecret_proof" }, recorded.QueryKeys);
        Assert.Equal(200, recorded.Status);
        Assert.Equal(1, g.Emulator.RequestCount);
        Assert.DoesNotContain(recorded.ToString(), g.Admin);
        g.Emulator.ResetRequestLog();
        Assert.Empty(g.Emulator.Requests);
        Assert.Equal(0, g.Emulator.RequestCount);
    }

    [Fact]
    public async Task AGetBodyIsNotReadAndAPostWithMethodGetIsServedAsThatGet()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        var form = new Dictionary<string, string> { ["input_token"] = g.Employee, ["appsecret_proof"] = g.Proof(g.Admin) };

        // docs/graph-api.md: a GET's body is not read, so the form's input_token (and proof) are not seen.
        var get = new HttpRequestMessage(HttpMethod.Get, "v26.0/debug_token") { Content = new FormUrlEncodedContent(form) };
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", g.Admin);
        Reply ignored = await g.SendAsync(get);
        ignored.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("API calls from the server require an appsecret_proof argument", ignored.Message);

        // Meta's documented form for a read whose parameters must not sit in a URL: POST with method=GET.
        var post = new HttpRequestMessage(HttpMethod.Post, "v26.0/debug_token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["method"] = "GET" }),
        };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", g.Admin);
        Reply reply = await g.SendAsync(post);
        reply.AssertOk();
        Assert.Equal(g.Seed.EmployeeUserId, reply.Json.GetProperty("data").GetProperty("user_id").GetString());
        RecordedRequest recorded = g.Emulator.Requests[^1];
        Assert.Equal(("POST", "GET"), (recorded.Method, recorded.ServedAs));
        Assert.Empty(recorded.QueryKeys);

        // Without method=GET, debug_token has no POST (docs/graph-api.md documents a GET only).
        Reply refused = await g.PostFormAsync("v26.0/debug_token", g.Admin, ("input_token", g.Employee));
        refused.AssertError(HttpStatusCode.BadRequest, 100, 33);
        Assert.StartsWith("Unsupported post request.", refused.Message);
    }
}
