using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Tests;

/// <summary>What Azure's client never sends but the emulator must refuse as Key Vault does: raw HTTPS requests.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private TestVault _vault = null!;
    private HttpClient _raw = null!;

    public async Task InitializeAsync()
    {
        _vault = await TestVault.StartAsync();
        _raw = _vault.RawClient();
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _vault.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpMethod method, string uri, object? body = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null) request.Content = JsonContent.Create(body);
        using HttpResponseMessage answer = await _raw.SendAsync(request);
        string text = await answer.Content.ReadAsStringAsync();
        return (answer.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Theory]
    [InlineData("secrets")]
    [InlineData("secrets?api-version=")]
    [InlineData("secrets?api-version=7.4")]
    [InlineData("secrets?api-version=2026-04-01")]
    public async Task The_api_version_is_required_and_must_be_the_specs(string uri)
    {
        var (status, body) = await Send(HttpMethod.Get, uri);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadParameter", body!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_set_without_a_value_or_with_a_value_of_another_type_is_refused()
    {
        var (missing, body) = await Send(HttpMethod.Put, "secrets/x?api-version=2025-07-01", new { contentType = "text/plain" });
        var (number, _) = await Send(HttpMethod.Put, "secrets/x?api-version=2025-07-01", new { value = 5 });
        var (tags, _) = await Send(HttpMethod.Put, "secrets/x?api-version=2025-07-01", new { value = "v", tags = new { n = 1 } });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (missing, number, tags));
        Assert.Contains("body.value is required", body!["error"]!["message"]!.GetValue<string>());
        Assert.Empty(_vault.Emulator.Vault.Live);
    }

    [Theory]
    [InlineData("POST", "secrets/x?api-version=2025-07-01", 405)]
    [InlineData("GET", "keys?api-version=2025-07-01", 404)]
    [InlineData("POST", "secrets/x/backup?api-version=2025-07-01", 405)]
    public async Task What_the_spec_does_not_list_is_not_served(string method, string uri, int expected)
    {
        var (status, body) = await Send(new HttpMethod(method), uri);

        Assert.Equal(expected, (int)status);
        Assert.NotNull(body!["error"]!["code"]);
    }

    [Fact]
    public async Task Get_reads_the_latest_version_with_or_without_the_trailing_slash()
    {
        await Send(HttpMethod.Put, "secrets/x?api-version=2025-07-01", new { value = "one" });
        await Send(HttpMethod.Put, "secrets/x?api-version=2025-07-01", new { value = "two" });

        var (slash, withSlash) = await Send(HttpMethod.Get, "secrets/x/?api-version=2025-07-01");
        var (bare, without) = await Send(HttpMethod.Get, "secrets/x?api-version=2025-07-01");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (slash, bare));
        Assert.Equal("two", withSlash!["value"]!.GetValue<string>());
        Assert.Equal("two", without!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Maxresults_pages_and_is_held_to_1_to_25()
    {
        for (int i = 0; i < 3; i++) await Send(HttpMethod.Put, $"secrets/s{i}?api-version=2025-07-01", new { value = "v" });

        var (status, page) = await Send(HttpMethod.Get, "secrets?api-version=2025-07-01&maxresults=2");
        var (next, rest) = await Send(HttpMethod.Get, page!["nextLink"]!.GetValue<string>());
        var (tooMany, _) = await Send(HttpMethod.Get, "secrets?api-version=2025-07-01&maxresults=26");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest), (status, next, tooMany));
        Assert.Equal(2, page["value"]!.AsArray().Count);
        Assert.Single(rest!["value"]!.AsArray());
        Assert.Null(rest["nextLink"]);
    }

    [Fact]
    public async Task The_request_log_with_each_verdict_is_served_to_an_accepted_token_only()
    {
        await Send(HttpMethod.Put, "secrets/x?api-version=2025-07-01", new { value = "v" });
        await Send(HttpMethod.Put, "secrets/bad_name?api-version=2025-07-01", new { value = "v" });
        using HttpClient anonymous = _vault.RawClient(withToken: false);

        var (status, log) = await Send(HttpMethod.Get, "_emulator/requests");
        using HttpResponseMessage refused = await anonymous.GetAsync("_emulator/requests");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        JsonArray entries = log!.AsArray();
        Assert.Equal(2, entries.Count);
        Assert.Equal(("SetSecret", 200, 0), (entries[0]!["operationId"]!.GetValue<string>(), entries[0]!["status"]!.GetValue<int>(), entries[0]!["requestProblems"]!.AsArray().Count));
        Assert.Contains("off the spec's pattern", entries[1]!["requestProblems"]![0]!.GetValue<string>());
        // The log is not itself logged, and keeps no secret value.
        Assert.DoesNotContain("\"v\"", log.ToJsonString());
    }
}
