using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class FaultTests
{
    private static string BusinessUrl(TestGraph g) => g.WithAuth($"v26.0/{g.Seed.BusinessId}", g.Admin);

    [Fact]
    public async Task GraphErrorForTheNextMatchingRequestsOnly()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), count: 2, pathContains: "system_users");

        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
        for (int i = 0; i < 2; i++)
        {
            Reply reply = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin);
            reply.AssertError(HttpStatusCode.InternalServerError, 2);
            Assert.True(reply.Error.GetProperty("is_transient").GetBoolean());
        }
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin)).AssertOk();
        Assert.Equal(4, g.Emulator.RequestCount);
        Assert.Equal(500, g.Emulator.Requests[1].Status);
    }

    [Fact]
    public async Task A_fault_with_skip_lets_that_many_matching_requests_through_first()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        using var control = new HttpClient { BaseAddress = g.Emulator.BaseUri };
        var set = await control.PostAsync("_emulator/faults", new StringContent("""{"kind":"graphError","status":500,"code":2,"count":1,"skip":2}""", Encoding.UTF8, "application/json"));
        Assert.True(set.IsSuccessStatusCode);

        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}/system_users", g.Admin)).AssertOk();
        (await g.GetAsync(BusinessUrl(g), null)).AssertError(HttpStatusCode.InternalServerError, 2);
        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
        Assert.Equal(0, g.Emulator.Faults.Pending);
    }

    [Fact]
    public async Task GraphErrorWithSubcodeAndMessage()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.GraphError(400, 131031, message: "(#131031) Business Account locked"));
        Reply reply = await g.GetAsync(BusinessUrl(g), null);
        reply.AssertError(HttpStatusCode.BadRequest, 131031);
        Assert.Equal("(#131031) Business Account locked", reply.Message);
    }

    [Fact]
    public async Task FaultBeforeHandlingChangesNothingAfterHandlingLosesTheAnswer()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        g.Emulator.Faults.Enqueue(FaultSpec.DropConnection());
        await Assert.ThrowsAsync<HttpRequestException>(() => g.RequestTokenAsync(su));
        Assert.Empty(g.Emulator.State.GetTokensOf(su));
        Assert.Equal(0, g.Emulator.Requests[^1].Status);

        g.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true });
        await Assert.ThrowsAsync<HttpRequestException>(() => g.RequestTokenAsync(su));
        Assert.Single(g.Emulator.State.GetTokensOf(su));
    }

    [Fact]
    public async Task RawBodies()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        var faults = g.Emulator.Faults;
        faults.Enqueue(FaultSpec.Html(502));
        faults.Enqueue(FaultSpec.EmptyBody());
        faults.Enqueue(FaultSpec.TruncatedJson());
        faults.Enqueue(FaultSpec.InvalidJson());
        faults.Enqueue(FaultSpec.WrongContentType());
        faults.Enqueue(FaultSpec.Raw(503, "text/plain", "upstream timeout"));

        Reply html = await g.GetAsync(BusinessUrl(g), null);
        Assert.Equal(HttpStatusCode.BadGateway, html.Status);
        Assert.StartsWith("text/html", html.Headers["Content-Type"]);
        Assert.Contains("<html>", html.Text);

        Reply empty = await g.GetAsync(BusinessUrl(g), null);
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Equal("", empty.Text);

        Reply truncated = await g.GetAsync(BusinessUrl(g), null);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(truncated.Text));
        Reply invalid = await g.GetAsync(BusinessUrl(g), null);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(invalid.Text));

        Reply wrongType = await g.GetAsync(BusinessUrl(g), null);
        Assert.StartsWith("text/html", wrongType.Headers["Content-Type"]);
        JsonDocument.Parse(wrongType.Text);

        Reply raw = await g.GetAsync(BusinessUrl(g), null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, raw.Status);
        Assert.Equal("upstream timeout", raw.Text);
        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
    }

    [Fact]
    public async Task TruncatedAfterHandlingCutsTheRealAnswer()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.TruncatedJson() with { AfterHandling = true });
        Reply reply = await g.GetAsync(BusinessUrl(g), null);
        Assert.StartsWith("{\"id\":\"" + g.Seed.BusinessId[..5], reply.Text);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(reply.Text));
    }

    [Fact]
    public async Task HugeBodyOfTheAskedSize()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.HugeBody(3 * 1024 * 1024));
        Reply reply = await g.GetAsync(BusinessUrl(g), null);
        Assert.Equal(3 * 1024 * 1024, Encoding.UTF8.GetByteCount(reply.Text));
        JsonDocument.Parse(reply.Text);
    }

    [Fact]
    public async Task ErrorInA200AndNullObjects()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.ErrorIn200(code: 1));
        Reply error = await g.GetAsync(BusinessUrl(g), null);
        Assert.Equal(HttpStatusCode.OK, error.Status);
        Assert.Equal(1, error.Code);

        g.Emulator.Faults.Enqueue(FaultSpec.NullObjects());
        Reply nulls = await g.GetAsync($"debug_token?input_token=x&access_token={Uri.EscapeDataString(g.Seed.AppToken)}", null);
        Assert.Equal(JsonValueKind.Null, nulls.Json.GetProperty("data").ValueKind);

        g.Emulator.Faults.Enqueue(FaultSpec.NullObjects() with { AfterHandling = true });
        Reply list = await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", g.Admin);
        Assert.Equal(JsonValueKind.Null, list.Json.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task ThrottlingCarriesUsageHeaders()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.Throttle(code: 80008, estimatedMinutes: 12, retryAfterSeconds: 60));
        Reply reply = await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", g.Admin);
        reply.AssertError(HttpStatusCode.BadRequest, 80008);
        Assert.True(reply.Error.GetProperty("is_transient").GetBoolean());
        Assert.Equal("60", reply.Headers["Retry-After"]);
        Assert.Equal(100, JsonDocument.Parse(reply.Headers["X-App-Usage"]).RootElement.GetProperty("call_count").GetInt32());
        JsonElement usage = JsonDocument.Parse(reply.Headers["X-Business-Use-Case-Usage"]).RootElement.GetProperty(g.Seed.BusinessId)[0];
        Assert.Equal(12, usage.GetProperty("estimated_time_to_regain_access").GetInt32());

        g.Emulator.Faults.Enqueue(FaultSpec.Throttle(code: 4));
        Reply app = await g.GetAsync(BusinessUrl(g), null);
        app.AssertError(HttpStatusCode.BadRequest, 4);
        Assert.False(app.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task ExtraHeadersOnANormalAnswer()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Enqueue(FaultSpec.AppUsage(95));
        Reply reply = await g.GetAsync(BusinessUrl(g), null);
        reply.AssertOk();
        Assert.Equal(g.Seed.BusinessId, reply.Json.GetProperty("id").GetString());
        Assert.Equal(95, JsonDocument.Parse(reply.Headers["X-App-Usage"]).RootElement.GetProperty("call_count").GetInt32());
    }

    [Fact]
    public async Task LatencyDelaysEveryRequestAndClearRemovesIt()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        g.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(150);
        var watch = Stopwatch.StartNew();
        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
        Assert.True(watch.ElapsedMilliseconds >= 140, $"{watch.ElapsedMilliseconds} ms");

        g.Emulator.Faults.Latency = TimeSpan.FromSeconds(30);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => g.Http.GetAsync(BusinessUrl(g), cts.Token));
        g.Emulator.Faults.Enqueue(FaultSpec.Html());
        g.Emulator.Faults.Clear();
        Assert.Equal(TimeSpan.Zero, g.Emulator.Faults.Latency);
        Assert.Equal(0, g.Emulator.Faults.Pending);
        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
    }

    [Fact]
    public async Task FaultsOverHttpAndStateWithoutSecrets()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string token = await g.CreateTokenAsync(su);

        string faults = """[{"kind":"throttle","code":613,"count":1,"pathContains":"phone_numbers","retryAfterSeconds":5},{"kind":"html","status":504},{"latencyMs":0,"nullBatchItems":1}]""";
        Reply added = await g.SendAsync(HttpMethod.Post, "_emulator/faults", new StringContent(faults, Encoding.UTF8, "application/json"));
        added.AssertOk();
        Assert.Equal(2, added.Json.GetProperty("pending").GetInt32());

        Reply html = await g.GetAsync(BusinessUrl(g), null);
        Assert.Equal(HttpStatusCode.GatewayTimeout, html.Status);
        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", g.Admin)).AssertError(HttpStatusCode.BadRequest, 613);

        (await g.SendAsync(HttpMethod.Post, "_emulator/faults", new StringContent("""{"kind":"drop"}"""))).AssertOk();
        (await g.SendAsync(HttpMethod.Delete, "_emulator/faults", null)).AssertOk();
        (await g.GetAsync(BusinessUrl(g), null)).AssertOk();
        Reply unknownKind = await g.SendAsync(HttpMethod.Post, "_emulator/faults", new StringContent("""{"kind":"meteor"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownKind.Status);

        Reply state = await g.SendAsync(HttpMethod.Get, "_emulator/state", null);
        state.AssertOk();
        Assert.DoesNotContain(token, state.Text);
        Assert.DoesNotContain(g.Admin, state.Text);
        Assert.DoesNotContain(g.Seed.AppSecret, state.Text);
        Assert.Contains(g.Emulator.State.FindToken(token)!.Fingerprint, state.Text);
        Assert.Equal(su, state.Json.GetProperty("systemUsers")[0].GetProperty("id").GetString());
        Assert.Equal(3, state.Json.GetProperty("tokens").GetArrayLength()); // two seeded people, one made here
    }

    [Fact]
    public async Task ClockAndInvalidationOverHttp()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string token = await g.CreateTokenAsync(su, sixtyDays: true);
        string fingerprint = g.Emulator.State.FindToken(token)!.Fingerprint;

        (await g.SendAsync(HttpMethod.Post, "_emulator/clock", new StringContent("""{"advanceSeconds":5270400}"""))).AssertOk();
        Assert.False(g.Emulator.State.FindToken(token)!.IsValidAt(g.Emulator.Clock.Now));

        string other = await g.CreateTokenAsync(su);
        string body = $$"""{"fingerprint":"{{g.Emulator.State.FindToken(other)!.Fingerprint}}","subcode":460}""";
        (await g.SendAsync(HttpMethod.Post, "_emulator/tokens/invalidate", new StringContent(body))).AssertOk();
        (await g.GetAsync(BusinessUrl(g).Replace(Uri.EscapeDataString(g.Admin), Uri.EscapeDataString(other)).Replace(g.Proof(g.Admin), g.Proof(other)), null))
            .AssertError(HttpStatusCode.BadRequest, 190, 460);
        Assert.NotEqual(fingerprint, g.Emulator.State.FindToken(other)!.Fingerprint);

        (await g.SendAsync(HttpMethod.Post, "_emulator/settings", new StringContent("""{"requireExpiringTokens":true}"""))).AssertOk();
        Assert.True(g.Emulator.State.GetRequireExpiringTokens(g.Seed.BusinessId));
    }
}
