using System.Net;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class BatchTests
{
    private static Task<Reply> PostBatchAsync(TestGraph g, string batch, string? token = null, params (string, string)[] extra)
    {
        var form = new List<(string, string)> { ("batch", batch) };
        form.AddRange(extra);
        return g.PostFormAsync("v26.0/", token ?? g.Admin, form.ToArray());
    }

    private static string Items(params string[] relativeUrls) =>
        JsonSerializer.Serialize(relativeUrls.Select(u => new { method = "GET", relative_url = u }));

    [Fact]
    public async Task ItemsAnswerInOrderAndOneFailureDoesNotFailTheOthers()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await PostBatchAsync(g, Items($"v26.0/{g.Seed.BusinessId}", "v26.0/1999999999999999", $"{g.Seed.WabaId}?fields=id,name"));
        reply.AssertOk();
        JsonElement[] items = reply.Json.EnumerateArray().ToArray();
        Assert.Equal(3, items.Length);
        Assert.Equal(200, items[0].GetProperty("code").GetInt32());
        Assert.Equal(g.Seed.BusinessId, JsonDocument.Parse(items[0].GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString());
        Assert.Equal(400, items[1].GetProperty("code").GetInt32());
        Assert.Equal(100, JsonDocument.Parse(items[1].GetProperty("body").GetString()!).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(g.Seed.WabaId, JsonDocument.Parse(items[2].GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString());
        Assert.Contains(items[0].GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Content-Type");
        Assert.Equal(1, g.Emulator.RequestCount);
    }

    [Fact]
    public async Task PostItemsWithBodiesAndIncludeHeadersFalse()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string batch = JsonSerializer.Serialize(new object[]
        {
            new { method = "POST", relative_url = $"{g.Seed.BusinessId}/system_users", body = "name=from-batch&role=EMPLOYEE" },
            new { method = "GET", relative_url = $"{g.Seed.BusinessId}/system_users?fields=id,name" },
        });
        Reply reply = await PostBatchAsync(g, batch, null, ("include_headers", "false"));
        reply.AssertOk();
        JsonElement[] items = reply.Json.EnumerateArray().ToArray();
        Assert.False(items[0].TryGetProperty("headers", out _));
        string id = JsonDocument.Parse(items[0].GetProperty("body").GetString()!).RootElement.GetProperty("id").GetString()!;
        Assert.Contains(id, items[1].GetProperty("body").GetString());
    }

    [Fact]
    public async Task The_request_log_sees_what_each_item_sent_whether_borrowed_from_the_batch_or_its_own()
    {
        // Items that borrow the batch's token and proof are fingerprinted once, with the batch; an item's own values
        // are fingerprinted for it. Either way "was this secret sent?" answers as it would for separate requests.
        await using TestGraph g = await TestGraph.StartAsync();
        string own = $"v26.0/{g.Seed.BusinessId}/system_users?access_token={Uri.EscapeDataString(g.Employee)}&appsecret_proof={g.Proof(g.Employee)}";
        Reply reply = await PostBatchAsync(g, Items($"v26.0/{g.Seed.BusinessId}", own), null, ("appsecret_proof", g.Proof(g.Admin)));
        reply.AssertOk();
        Assert.True(g.Emulator.Received(g.Admin));
        Assert.True(g.Emulator.Received(g.Proof(g.Admin)));
        Assert.True(g.Emulator.Received(g.Employee));
        Assert.True(g.Emulator.Received(g.Proof(g.Employee)));
        Assert.False(g.Emulator.Received(g.Seed.AppSecret));
    }

    [Fact]
    public async Task AJsonBodyBatchAndAnItemWithItsOwnToken()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string ownUrl = $"v26.0/{g.Seed.BusinessId}/system_users?access_token={Uri.EscapeDataString(g.Employee)}&appsecret_proof={g.Proof(g.Employee)}";
        string json = JsonSerializer.Serialize(new
        {
            access_token = g.Admin,
            appsecret_proof = g.Proof(g.Admin),
            batch = new object[]
            {
                new { method = "POST", relative_url = ownUrl, body = "name=by-employee" },
                new { method = "GET", relative_url = $"v26.0/{g.Seed.BusinessId}" },
            },
        });
        Reply reply = await g.SendAsync(HttpMethod.Post, "v26.0", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        reply.AssertOk();
        JsonElement[] items = reply.Json.EnumerateArray().ToArray();
        Assert.Equal(403, items[0].GetProperty("code").GetInt32());
        Assert.Equal(200, items[1].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ChosenItemsComeBackNull()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string items = Items(g.Seed.BusinessId, g.Seed.BusinessId, g.Seed.BusinessId, g.Seed.BusinessId);
        g.Emulator.Faults.NullBatchItemsAt(1);
        JsonElement[] first = (await PostBatchAsync(g, items)).Json.EnumerateArray().ToArray();
        Assert.Equal(new[] { false, true, false, false }, first.Select(i => i.ValueKind == JsonValueKind.Null));

        g.Emulator.Faults.NullBatchItems(2);
        JsonElement[] second = (await PostBatchAsync(g, items)).Json.EnumerateArray().ToArray();
        Assert.Equal(new[] { true, true, false, false }, second.Select(i => i.ValueKind == JsonValueKind.Null));

        JsonElement[] third = (await PostBatchAsync(g, items)).Json.EnumerateArray().ToArray();
        Assert.All(third, i => Assert.Equal(JsonValueKind.Object, i.ValueKind));
    }

    [Fact]
    public async Task MoreThanFiftyItemsIsRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        (await PostBatchAsync(g, Items(Enumerable.Repeat(g.Seed.BusinessId, 50).ToArray()))).AssertOk();
        Reply reply = await PostBatchAsync(g, Items(Enumerable.Repeat(g.Seed.BusinessId, 51).ToArray()));
        reply.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Contains("50", reply.Message);
    }

    [Fact]
    public async Task DebugTokenInABatchFollowsTheOption()
    {
        string Url(TestGraph g) => $"debug_token?input_token={Uri.EscapeDataString(g.Employee)}";
        await using (TestGraph g = await TestGraph.StartAsync())
        {
            JsonElement item = (await PostBatchAsync(g, Items(Url(g)))).Json[0];
            Assert.Equal(200, item.GetProperty("code").GetInt32());
            Assert.Equal("USER", JsonDocument.Parse(item.GetProperty("body").GetString()!).RootElement.GetProperty("data").GetProperty("type").GetString());
        }
        await using (TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { DebugTokenInBatch = false }))
        {
            JsonElement item = (await PostBatchAsync(g, Items(Url(g), g.Seed.BusinessId))).Json[0];
            Assert.Equal(400, item.GetProperty("code").GetInt32());
            Assert.Equal(100, JsonDocument.Parse(item.GetProperty("body").GetString()!).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
    }

    [Fact]
    public async Task TopLevelTokenIsChecked()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["batch"] = Items(g.Seed.BusinessId), ["access_token"] = g.Admin,
        });
        (await g.SendAsync(HttpMethod.Post, "v26.0/", form)).AssertError(HttpStatusCode.BadRequest, 100);
        (await PostBatchAsync(g, "not json")).AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task AGetItemMayCarryItsParametersInABody()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string batch = JsonSerializer.Serialize(new object[]
        {
            new { method = "GET", relative_url = "debug_token", body = "input_token=" + Uri.EscapeDataString(g.Employee) },
        });
        JsonElement item = (await PostBatchAsync(g, batch)).Json[0];
        Assert.Equal(200, item.GetProperty("code").GetInt32());
        Assert.Contains(g.Seed.EmployeeUserId, item.GetProperty("body").GetString());
    }
}
