using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// Many system-user tokens in the emulator, fast: one system user, then token requests 50 to a Graph batch, straight
/// over HTTP as the seeded admin. A fleet audit needs a fleet. Also compiled into the benchmark, so it uses no xunit.
/// </summary>
public static class BulkTokens
{
    public const string AllScopes = "business_management,whatsapp_business_management,whatsapp_business_messaging";

    /// <summary>Makes <paramref name="count"/> permanent tokens for a new ADMIN system user; answers their texts in issue order.</summary>
    public static async Task<IReadOnlyList<string>> MakeAsync(GraphEmulator emulator, int count, string userName = "fleet", bool sixtyDays = false)
    {
        var seed = emulator.Seed;
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        string admin = seed.AdminUserToken;
        string proof = Proof(seed.AppSecret, admin);

        using var created = await PostAsync(http, $"v26.0/{seed.BusinessId}/system_users", admin, ("name", userName), ("role", "ADMIN"), ("appsecret_proof", proof));
        string userId = created.RootElement.GetProperty("id").GetString()!;
        (await PostAsync(http, $"v26.0/{userId}/applications", admin, ("business_app", seed.AppId), ("appsecret_proof", proof))).Dispose();

        string body = "business_app=" + seed.AppId + "&scope=" + Uri.EscapeDataString(AllScopes) + (sixtyDays ? "&set_token_expires_in_60_days=true" : string.Empty);
        var tokens = new List<string>(count);
        while (tokens.Count < count)
        {
            int n = Math.Min(50, count - tokens.Count);
            string batch = JsonSerializer.Serialize(Enumerable.Range(0, n).Select(_ => new { method = "POST", relative_url = $"{userId}/access_tokens", body }));
            using var answer = await PostAsync(http, "v26.0/", admin, ("batch", batch), ("include_headers", "false"), ("appsecret_proof", proof));
            foreach (var item in answer.RootElement.EnumerateArray())
            {
                using var itemBody = JsonDocument.Parse(item.GetProperty("body").GetString()!);
                tokens.Add(itemBody.RootElement.GetProperty("access_token").GetString()!);
            }
        }
        return tokens;
    }

    public static string Proof(string secret, string token)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(token))).ToLowerInvariant();
    }

    private static async Task<JsonDocument> PostAsync(HttpClient http, string path, string token, params (string Key, string Value)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }
}
