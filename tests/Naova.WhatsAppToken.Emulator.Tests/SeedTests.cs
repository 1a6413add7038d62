using System.Net;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class SeedTests
{
    [Fact]
    public async Task SeededBusinessIsReadableWithAndWithoutAVersionPrefix()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Assert.EndsWith("/", g.Emulator.BaseUri.AbsoluteUri);
        Assert.Equal("127.0.0.1", g.Emulator.BaseUri.Host);

        foreach (string prefix in new[] { "v26.0/", "v22.0/", "" })
        {
            Reply reply = await g.GetAsync($"{prefix}{g.Seed.BusinessId}", g.Admin);
            reply.AssertOk();
            Assert.Equal(g.Seed.BusinessId, reply.Json.GetProperty("id").GetString());
            Assert.Equal(g.Seed.BusinessName, reply.Json.GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task SeedHasRealisticIdsAndTheDocumentedShape()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        EmulatorSeed s = g.Seed;
        foreach (string id in new[] { s.BusinessId, s.AppId, s.AdminUserId, s.EmployeeUserId, s.WabaId, s.PhoneNumberId, s.SecondWabaId })
        {
            Assert.InRange(id.Length, 15, 16);
            Assert.True(id.All(char.IsAsciiDigit), id);
        }
        Assert.NotEqual(s.WabaId, s.SecondWabaId);
        Assert.True(File.Exists(s.SeedSource), s.SeedSource);
        Assert.False(g.Emulator.State.GetRequireExpiringTokens(s.BusinessId));
        Assert.DoesNotContain(s.AppSecret, s.ToString());
        Assert.DoesNotContain(s.AdminUserToken, s.ToString());
    }

    [Fact]
    public async Task PhoneNumberAndWabaLivenessReads()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply phone = await g.GetAsync(
            $"v26.0/{g.Seed.PhoneNumberId}?fields=display_phone_number,verified_name,quality_rating,code_verification_status,status", g.Admin);
        phone.AssertOk();
        Assert.Equal(g.Seed.DisplayPhoneNumber, phone.Json.GetProperty("display_phone_number").GetString());
        Assert.Equal("GREEN", phone.Json.GetProperty("quality_rating").GetString());
        Assert.Equal("VERIFIED", phone.Json.GetProperty("code_verification_status").GetString());
        Assert.Equal("CONNECTED", phone.Json.GetProperty("status").GetString());

        Reply numbers = await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers?fields=id,display_phone_number,verified_name&limit=10", g.Admin);
        numbers.AssertOk();
        Assert.Equal(g.Seed.PhoneNumberId, numbers.Json.GetProperty("data")[0].GetProperty("id").GetString());
        (await g.GetAsync($"v26.0/{g.Seed.WabaId}/phone_numbers?limit=101", g.Admin)).AssertError(HttpStatusCode.BadRequest, 100);

        Reply empty = await g.GetAsync($"v26.0/{g.Seed.SecondWabaId}/phone_numbers", g.Admin);
        empty.AssertOk();
        Assert.Equal(0, empty.Json.GetProperty("data").GetArrayLength());

        Reply waba = await g.GetAsync($"v26.0/{g.Seed.WabaId}?fields=id,name,account_review_status,health_status", g.Admin);
        waba.AssertOk();
        Assert.Equal("APPROVED", waba.Json.GetProperty("account_review_status").GetString());
        Assert.Equal("AVAILABLE", waba.Json.GetProperty("health_status").GetProperty("can_send_message").GetString());

        Reply unknownField = await g.GetAsync($"v26.0/{g.Seed.WabaId}?fields=id,nope", g.Admin);
        unknownField.AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task BusinessListsItsWabasAndApps()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply owned = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/owned_whatsapp_business_accounts", g.Admin);
        owned.AssertOk();
        Assert.Equal(g.Seed.WabaId, owned.Json.GetProperty("data")[0].GetProperty("id").GetString());
        Reply client = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/client_whatsapp_business_accounts", g.Admin);
        client.AssertOk();
        Assert.Equal(g.Seed.SecondWabaId, client.Json.GetProperty("data")[0].GetProperty("id").GetString());
        Reply apps = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/owned_apps", g.Admin);
        apps.AssertOk();
        Assert.Equal(g.Seed.AppId, apps.Json.GetProperty("data")[0].GetProperty("id").GetString());
        Reply clientApps = await g.GetAsync($"v26.0/{g.Seed.BusinessId}/client_apps", g.Admin);
        clientApps.AssertOk();
        Assert.Equal(0, clientApps.Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task MissingOrUnknownTokenIsRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        (await g.GetAsync($"v26.0/{g.Seed.BusinessId}", null)).AssertError(HttpStatusCode.BadRequest, 104);
        Reply unknown = await g.GetAsync($"v26.0/{g.Seed.BusinessId}", "EAAnotatoken", proof: false);
        unknown.AssertError(HttpStatusCode.BadRequest, 190);
        Assert.Equal("OAuthException", unknown.Error.GetProperty("type").GetString());
        Assert.Contains("Cannot parse access token", unknown.Message);
    }

    [Fact]
    public async Task UnknownObjectIsGraphMethodException100Sub33()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await g.GetAsync("v26.0/123456789012345", g.Admin);
        reply.AssertError(HttpStatusCode.BadRequest, 100, 33);
        Assert.Equal("GraphMethodException", reply.Error.GetProperty("type").GetString());
        Assert.StartsWith("Unsupported get request. Object with ID '123456789012345' does not exist, cannot be loaded due to missing permissions, or does not support this operation", reply.Message);
    }

    [Fact]
    public async Task MeAnswersTheCaller()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply me = await g.GetAsync("v26.0/me", g.Admin);
        me.AssertOk();
        Assert.Equal(g.Seed.AdminUserId, me.Json.GetProperty("id").GetString());
    }
}
