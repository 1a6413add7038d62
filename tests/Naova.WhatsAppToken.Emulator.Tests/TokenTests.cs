using System.Net;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class TokenTests
{
    [Fact]
    public async Task NeverAndSixtyDayTokens()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string never = await g.CreateTokenAsync(su);
        string sixty = await g.CreateTokenAsync(su, sixtyDays: true);

        Assert.StartsWith("EAA", never);
        Assert.InRange(never.Length, 150, 250);
        Assert.Matches("^[A-Za-z0-9]+$", never);
        Assert.NotEqual(never, sixty);

        TokenRecord neverRecord = g.Emulator.State.FindToken(never)!;
        Assert.Null(neverRecord.ExpiresAt);
        Assert.Equal("SYSTEM_USER", neverRecord.Type);
        Assert.Equal(su, neverRecord.UserId);
        Assert.Equal(12, neverRecord.Fingerprint.Length);
        TokenRecord sixtyRecord = g.Emulator.State.FindToken(sixty)!;
        Assert.Equal(TimeSpan.FromDays(60), sixtyRecord.ExpiresAt!.Value - sixtyRecord.IssuedAt);

        JsonElement data = await g.DebugAsync(sixty);
        Assert.Equal(sixtyRecord.ExpiresAt.Value.ToUnixTimeSeconds(), data.GetProperty("expires_at").GetInt64());
    }

    [Fact]
    public async Task DebugTokenOfAPermanentSystemUserToken()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("employee");
        await g.AssignWabaAsync(g.Seed.WabaId, su);
        string token = await g.CreateTokenAsync(su);

        JsonElement data = await g.DebugAsync(token);
        Assert.Equal(g.Seed.AppId, data.GetProperty("app_id").GetString());
        Assert.Equal(g.Seed.AppName, data.GetProperty("application").GetString());
        Assert.Equal("SYSTEM_USER", data.GetProperty("type").GetString());
        Assert.Equal(0, data.GetProperty("expires_at").GetInt64());
        Assert.Equal(0, data.GetProperty("data_access_expires_at").GetInt64());
        Assert.True(data.GetProperty("is_valid").GetBoolean());
        Assert.True(data.GetProperty("issued_at").GetInt64() > 0);
        Assert.Equal(su, data.GetProperty("user_id").GetString());
        Assert.Equal(3, data.GetProperty("scopes").GetArrayLength());
        Assert.False(data.TryGetProperty("error", out _));

        var granular = data.GetProperty("granular_scopes").EnumerateArray().ToDictionary(s => s.GetProperty("scope").GetString()!);
        Assert.Equal(g.Seed.WabaId, granular["whatsapp_business_management"].GetProperty("target_ids")[0].GetString());
        Assert.Equal(g.Seed.WabaId, granular["whatsapp_business_messaging"].GetProperty("target_ids")[0].GetString());
        Assert.False(granular["business_management"].TryGetProperty("target_ids", out _));

        // An ADMIN system user's token sees every WABA: no target_ids.
        string admin = await g.ReadySystemUserAsync("admin", "ADMIN");
        JsonElement adminData = await g.DebugAsync(await g.CreateTokenAsync(admin));
        Assert.All(adminData.GetProperty("granular_scopes").EnumerateArray(), s => Assert.False(s.TryGetProperty("target_ids", out _)));
    }

    [Fact]
    public async Task DebugTokenWithAnotherTokenOfTheAppAndWithGarbage()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await g.GetAsync($"debug_token?input_token={Uri.EscapeDataString(g.Employee)}", g.Admin);
        reply.AssertOk();
        Assert.Equal("USER", reply.Json.GetProperty("data").GetProperty("type").GetString());

        JsonElement garbage = await g.DebugAsync("EAAgarbage");
        Assert.False(garbage.GetProperty("is_valid").GetBoolean());
        Assert.Equal(190, garbage.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("Cannot parse access token", garbage.GetProperty("error").GetProperty("message").GetString());

        (await g.GetAsync($"debug_token?input_token=x&access_token={g.Seed.AppId}|wrong", null)).AssertError(HttpStatusCode.BadRequest, 190);
    }

    [Fact]
    public async Task BusinessRequiringExpiringTokensRefusesANeverToken()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { RequireExpiringTokens = true });
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        Reply never = await g.RequestTokenAsync(su);
        never.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Contains("set_token_expires_in_60_days", never.Message);
        Assert.Contains("requires expiring", never.Message);
        (await g.RequestTokenAsync(su, sixtyDays: true)).AssertOk();
    }

    [Fact]
    public async Task RequireExpiringTokensCanBeSwitchedAtRuntime()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        (await g.RequestTokenAsync(su)).AssertOk();
        g.Emulator.State.SetRequireExpiringTokens(g.Seed.BusinessId, true);
        (await g.RequestTokenAsync(su)).AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task ExpiredTokenIsInvalidAndRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string token = await g.CreateTokenAsync(su, sixtyDays: true);
        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", token)).AssertOk();

        g.Emulator.Clock.Advance(TimeSpan.FromDays(61));
        JsonElement data = await g.DebugAsync(token);
        Assert.False(data.GetProperty("is_valid").GetBoolean());
        Assert.Equal(190, data.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(463, data.GetProperty("error").GetProperty("subcode").GetInt32());
        Assert.StartsWith("Error validating access token: Session has expired on ", data.GetProperty("error").GetProperty("message").GetString());

        Reply refused = await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers", token);
        refused.AssertError(HttpStatusCode.BadRequest, 190, 463);
        Assert.Equal("OAuthException", refused.Error.GetProperty("type").GetString());
        Assert.False(g.Emulator.State.FindToken(token)!.IsValidAt(g.Emulator.Clock.Now));
    }

    [Fact]
    public async Task ExchangeGivesANewSixtyDayTokenAndTheOldOneKeepsWorking()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string old = await g.CreateTokenAsync(su, sixtyDays: true);
        g.Emulator.Clock.Advance(TimeSpan.FromDays(30));

        string url = $"v26.0/oauth/access_token?grant_type=fb_exchange_token&client_id={g.Seed.AppId}&client_secret={g.Seed.AppSecret}" +
                     $"&set_token_expires_in_60_days=true&fb_exchange_token={Uri.EscapeDataString(old)}";
        Reply exchanged = await g.GetAsync(url, null);
        exchanged.AssertOk();
        string fresh = exchanged.Json.GetProperty("access_token").GetString()!;
        Assert.NotEqual(old, fresh);
        Assert.Equal("bearer", exchanged.Json.GetProperty("token_type").GetString());
        Assert.InRange(exchanged.Json.GetProperty("expires_in").GetInt64(), 5_183_000, 5_184_000);

        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", old)).AssertOk();
        g.Emulator.Clock.Advance(TimeSpan.FromDays(31));
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", old)).AssertError(HttpStatusCode.BadRequest, 190, 463);
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", fresh)).AssertOk();
        (await g.GetAsync(url, null)).AssertError(HttpStatusCode.BadRequest, 190, 463);

        (await g.GetAsync(url.Replace(g.Seed.AppSecret, "wrong"), null)).AssertError(HttpStatusCode.BadRequest, 1);
    }

    [Fact]
    public async Task RevokeOneAndRevokeAll()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string a = await g.CreateTokenAsync(su);
        string b = await g.CreateTokenAsync(su);
        string c = await g.CreateTokenAsync(su);

        Reply revoke = await g.GetAsync(
            $"v26.0/oauth/revoke?client_id={g.Seed.AppId}&client_secret={g.Seed.AppSecret}&revoke_token={Uri.EscapeDataString(a)}&access_token={Uri.EscapeDataString(g.Seed.AppToken)}", null);
        revoke.AssertOk();
        Assert.Equal("true", revoke.Json.GetProperty("success").GetString());
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", a)).AssertError(HttpStatusCode.BadRequest, 190, 467);
        JsonElement data = await g.DebugAsync(a);
        Assert.False(data.GetProperty("is_valid").GetBoolean());
        Assert.Equal(467, data.GetProperty("error").GetProperty("subcode").GetInt32());

        Reply all = await g.DeleteAsync($"v26.0/{su}/access_tokens", b);
        all.AssertOk();
        Assert.Equal(JsonValueKind.True, all.Json.ValueKind);
        Assert.All(g.Emulator.State.GetTokensOf(su), t => Assert.True(t.Revoked));
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", c)).AssertError(HttpStatusCode.BadRequest, 190, 467);
    }

    [Fact]
    public async Task EarlyInvalidationByMetaIsSimulated()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        string token = await g.CreateTokenAsync(su);
        Assert.True(g.Emulator.State.InvalidateToken(token, 460));
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", token)).AssertError(HttpStatusCode.BadRequest, 190, 460);
        Assert.True(g.Emulator.State.FindToken(token)!.Invalidated);
    }

    [Fact]
    public async Task WhoMayMakeAToken()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc");
        string other = await g.ReadySystemUserAsync("other");
        string own = await g.CreateTokenAsync(su);
        (await g.RequestTokenAsync(su, caller: own)).AssertOk();
        (await g.RequestTokenAsync(other, caller: own)).AssertError(HttpStatusCode.Forbidden, 200);
        (await g.RequestTokenAsync(su, caller: g.Employee)).AssertError(HttpStatusCode.Forbidden, 200);
        (await g.RequestTokenAsync(su, scope: "business_management,fly_management")).AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task BusinessSystemUserAccessTokensEdge()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        Reply made = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_user_access_tokens", g.Admin,
            ("system_user_id", su), ("scope", TestGraph.AllScopes), ("asset[]", g.Seed.WabaId), ("set_token_expires_in_60_days", "true"));
        made.AssertOk();
        string token = made.Json.GetProperty("access_token").GetString()!;
        TokenRecord record = g.Emulator.State.FindToken(token)!;
        Assert.Equal(new[] { g.Seed.WabaId }, record.VisibleWabaIds);
        Assert.NotNull(record.ExpiresAt);

        Reply fetched = await g.PostFormAsync($"v26.0/{g.Seed.BusinessId}/system_user_access_tokens", g.Admin,
            ("system_user_id", su), ("scope", TestGraph.AllScopes), ("fetch_only", "true"));
        fetched.AssertOk();
        Assert.Equal(token, fetched.Json.GetProperty("access_token").GetString());
    }
}
