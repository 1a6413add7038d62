using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Tests;

/// <summary>An emulator on a free loopback port and an HttpClient against it, with the calls tests repeat.</summary>
internal sealed class TestGraph : IAsyncDisposable
{
    public const string AllScopes = "business_management,whatsapp_business_management,whatsapp_business_messaging";

    private TestGraph(GraphEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.BaseUri, Timeout = TimeSpan.FromSeconds(10) };
    }

    public GraphEmulator Emulator { get; }
    public HttpClient Http { get; }
    public EmulatorSeed Seed => Emulator.Seed;
    public string Admin => Seed.AdminUserToken;
    public string Employee => Seed.EmployeeUserToken;

    public static async Task<TestGraph> StartAsync(EmulatorOptions? options = null) =>
        new(await GraphEmulator.StartAsync(options));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>HMAC-SHA256(key = app secret, message = token [| time]) as lowercase hex, computed here, not by the emulator.</summary>
    public string Proof(string token, string? time = null)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Seed.AppSecret));
        byte[] hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(time is null ? token : token + "|" + time));
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    /// <summary>GET with access_token and appsecret_proof in the query (unless token is null / proof false).</summary>
    public Task<Reply> GetAsync(string pathAndQuery, string? token, bool proof = true) =>
        SendAsync(HttpMethod.Get, WithAuth(pathAndQuery, token, proof), null);

    public Task<Reply> DeleteAsync(string pathAndQuery, string? token, bool proof = true) =>
        SendAsync(HttpMethod.Delete, WithAuth(pathAndQuery, token, proof), null);

    /// <summary>POST a form; the token goes in the Authorization header, the proof in the form.</summary>
    public Task<Reply> PostFormAsync(string path, string? token, params (string Key, string Value)[] form)
    {
        var fields = form.ToList();
        if (token is not null) fields.Add(("appsecret_proof", Proof(token)));
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return SendAsync(request);
    }

    public async Task<Reply> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        return await SendAsync(request);
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    public string WithAuth(string pathAndQuery, string? token, bool proof = true)
    {
        if (token is null) return pathAndQuery;
        string separator = pathAndQuery.Contains('?') ? "&" : "?";
        string result = pathAndQuery + separator + "access_token=" + Uri.EscapeDataString(token);
        return proof ? result + "&appsecret_proof=" + Proof(token) : result;
    }

    public async Task<string> CreateSystemUserAsync(string name, string role = "EMPLOYEE", string? caller = null)
    {
        Reply reply = await PostFormAsync($"v26.0/{Seed.BusinessId}/system_users", caller ?? Admin, ("name", name), ("role", role));
        reply.AssertOk();
        return reply.Json.GetProperty("id").GetString()!;
    }

    public async Task InstallAppAsync(string systemUserId)
    {
        Reply reply = await PostFormAsync($"v26.0/{systemUserId}/applications", Admin, ("business_app", Seed.AppId));
        reply.AssertOk();
    }

    public async Task AssignWabaAsync(string wabaId, string userId, string tasks = "[\"MANAGE\"]")
    {
        Reply reply = await PostFormAsync($"v26.0/{wabaId}/assigned_users", Admin, ("user", userId), ("tasks", tasks));
        reply.AssertOk();
    }

    public Task<Reply> RequestTokenAsync(string systemUserId, bool sixtyDays = false, string? caller = null, string scope = AllScopes)
    {
        var form = new List<(string, string)> { ("business_app", Seed.AppId), ("scope", scope) };
        if (sixtyDays) form.Add(("set_token_expires_in_60_days", "true"));
        return PostFormAsync($"v26.0/{systemUserId}/access_tokens", caller ?? Admin, form.ToArray());
    }

    public async Task<string> CreateTokenAsync(string systemUserId, bool sixtyDays = false, string? caller = null)
    {
        Reply reply = await RequestTokenAsync(systemUserId, sixtyDays, caller);
        reply.AssertOk();
        return reply.Json.GetProperty("access_token").GetString()!;
    }

    /// <summary>A system user with the app installed, ready for a token.</summary>
    public async Task<string> ReadySystemUserAsync(string name, string role = "EMPLOYEE")
    {
        string id = await CreateSystemUserAsync(name, role);
        await InstallAppAsync(id);
        return id;
    }

    public async Task<JsonElement> DebugAsync(string inputToken)
    {
        Reply reply = await GetAsync($"debug_token?input_token={Uri.EscapeDataString(inputToken)}&access_token={Uri.EscapeDataString(Seed.AppToken)}", null);
        reply.AssertOk();
        return reply.Json.GetProperty("data");
    }
}

internal sealed record Reply(HttpStatusCode Status, string Text, IReadOnlyDictionary<string, string> Headers)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;
    public JsonElement Error => Json.GetProperty("error");
    public int Code => Error.GetProperty("code").GetInt32();
    public int? Subcode => Error.TryGetProperty("error_subcode", out JsonElement s) ? s.GetInt32() : null;
    public string Message => Error.GetProperty("message").GetString()!;

    public void AssertOk()
    {
        if (Status != HttpStatusCode.OK) throw new Xunit.Sdk.XunitException($"Expected 200, got {(int)Status}: {Text}");
    }

    public void AssertError(HttpStatusCode status, int code, int? subcode = null)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal(code, Code);
        if (subcode is not null) Assert.Equal(subcode, Subcode);
        Assert.False(string.IsNullOrEmpty(Error.GetProperty("fbtrace_id").GetString()));
        Assert.False(string.IsNullOrEmpty(Error.GetProperty("type").GetString()));
    }
}
