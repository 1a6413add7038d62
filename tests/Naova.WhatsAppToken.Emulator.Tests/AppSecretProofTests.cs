using System.Globalization;
using System.Net;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class AppSecretProofTests
{
    private static string Business(TestGraph g) => $"v26.0/{g.Seed.BusinessId}?access_token={Uri.EscapeDataString(g.Admin)}";

    [Fact]
    public async Task MissingProofIsRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await g.GetAsync(Business(g), null);
        reply.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("API calls from the server require an appsecret_proof argument", reply.Message);
    }

    [Fact]
    public async Task WrongProofIsRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        Reply reply = await g.GetAsync(Business(g) + "&appsecret_proof=" + g.Proof(g.Employee), null);
        reply.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("Invalid appsecret_proof provided in the API argument", reply.Message);
        // Upper-case hex is not the documented lowercase form.
        (await g.GetAsync(Business(g) + "&appsecret_proof=" + g.Proof(g.Admin).ToUpperInvariant(), null))
            .AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task PlainFormIsAccepted()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        (await g.GetAsync(Business(g) + "&appsecret_proof=" + g.Proof(g.Admin), null)).AssertOk();
    }

    [Fact]
    public async Task TimedFormIsAcceptedWithinFiveMinutes()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string time = g.Emulator.Clock.UnixNow.ToString(CultureInfo.InvariantCulture);
        string url = Business(g) + $"&appsecret_time={time}&appsecret_proof={g.Proof(g.Admin, time)}";
        (await g.GetAsync(url, null)).AssertOk();
        // The plain proof does not match when appsecret_time is sent.
        (await g.GetAsync(Business(g) + $"&appsecret_time={time}&appsecret_proof={g.Proof(g.Admin)}", null))
            .AssertError(HttpStatusCode.BadRequest, 100);

        g.Emulator.Clock.Advance(TimeSpan.FromMinutes(4));
        (await g.GetAsync(url, null)).AssertOk();
    }

    [Fact]
    public async Task StaleTimeIsRefused()
    {
        await using TestGraph g = await TestGraph.StartAsync();
        string time = g.Emulator.Clock.UnixNow.ToString(CultureInfo.InvariantCulture);
        string url = Business(g) + $"&appsecret_time={time}&appsecret_proof={g.Proof(g.Admin, time)}";
        g.Emulator.Clock.Advance(TimeSpan.FromMinutes(6));
        Reply reply = await g.GetAsync(url, null);
        reply.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.StartsWith("Invalid appsecret_proof provided in the API argument", reply.Message);
    }

    [Fact]
    public async Task AppNotRequiringProofStillChecksOneThatIsSent()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { RequireAppSecretProof = false });
        (await g.GetAsync(Business(g), null)).AssertOk();
        (await g.GetAsync(Business(g) + "&appsecret_proof=00", null)).AssertError(HttpStatusCode.BadRequest, 100);
    }

    [Fact]
    public async Task TokenCreationAlwaysNeedsTheProof()
    {
        await using TestGraph g = await TestGraph.StartAsync(new EmulatorOptions { RequireAppSecretProof = false });
        string su = await g.ReadySystemUserAsync("svc", "ADMIN");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["business_app"] = g.Seed.AppId, ["scope"] = TestGraph.AllScopes, ["access_token"] = g.Admin,
        });
        Reply reply = await g.SendAsync(HttpMethod.Post, $"v26.0/{su}/access_tokens", form);
        reply.AssertError(HttpStatusCode.BadRequest, 100);
        Assert.Equal("API calls from the server require an appsecret_proof argument", reply.Message);
    }
}
