using System.Net;
using System.Reflection;
using System.Security;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// Every public operation of the client, found by reflection (so a new one is checked the day it is added): each
/// request that carries a user or system-user token carries its appsecret_proof, and no URL carries a token or a
/// secret. And whatever Meta echoes back, no exception repeats a token.
/// </summary>
public class GraphSecurityTests
{
    private static readonly string[] SecretParameters = { "access_token", "input_token", "client_secret", "fb_exchange_token", "revoke_token", "appsecret" };

    public static TheoryData<string> Operations()
    {
        var data = new TheoryData<string>();
        foreach (var method in OperationMethods()) data.Add(method.Name);
        return data;
    }

    private static IEnumerable<MethodInfo> OperationMethods() =>
        typeof(GraphClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType))
            .OrderBy(m => m.Name, StringComparer.Ordinal);

    [Fact]
    public void The_reflection_finds_the_operations_it_must_check()
    {
        var names = OperationMethods().Select(m => m.Name).ToArray();
        foreach (string expected in new[] { "ListSystemUsersAsync", "CreateSystemUserAsync", "InstallAppAsync", "AssignWhatsAppAccountAsync", "UnassignWhatsAppAccountAsync",
                     "CreateSystemUserTokenAsync", "RevokeAllTokensAsync", "DebugTokensAsync", "GetPhoneNumbersAsync", "GetBusinessNameAsync" })
            Assert.Contains(expected, names);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_call_with_a_user_token_carries_its_proof_and_no_url_carries_a_secret(string operation)
    {
        var method = OperationMethods().Single(m => m.Name == operation);
        var graph = new FakeGraph((r, _) => Answer(r));
        using var client = Kit.Client(graph);

        try
        {
            await (Task)method.Invoke(client, method.GetParameters().Select(Argument).ToArray())!;
        }
        catch (GraphApiException)
        {
            // The answer may not fit this operation; what it sent is what is checked.
        }

        Assert.NotEmpty(graph.Seen);
        foreach (var request in graph.Seen)
        {
            foreach (string secret in Kit.Secrets.Append(NewToken))
            {
                Assert.DoesNotContain(secret, request.Uri.ToString());
                Assert.DoesNotContain(Uri.EscapeDataString(secret), request.Uri.ToString());
            }
            string query = request.Uri.Query;
            foreach (string name in SecretParameters)
                Assert.DoesNotContain(name + "=", query);

            string? caller = request.Authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? request.Authorization["Bearer ".Length..] : null;
            if (caller == null || caller.Contains('|')) continue; // no caller token, or the app's own token: nothing to prove
            Assert.Equal(AppSecretProof.Compute(Kit.AppSecret, caller), request.Param("appsecret_proof"));
        }
    }

    private const string NewToken = "EAAGnewTOKENfromMETAthatISsecretTOO0123456789";

    private static HttpResponseMessage Answer(SeenRequest r)
    {
        const string data = """{"data":{"app_id":"1298374650192837","type":"SYSTEM_USER","expires_at":0,"is_valid":true,"scopes":[]}}""";
        if (r.Uri.AbsolutePath.EndsWith("/debug_token", StringComparison.Ordinal)) return FakeGraph.Json(data);
        if (r.Uri.AbsolutePath == "/v26.0/") return FakeGraph.Json("[" + System.Text.Json.JsonSerializer.Serialize(new { code = 200, body = data }) + "]");
        return FakeGraph.Json($$"""{"id":"61550000000001","name":"n","role":"ADMIN","access_token":"{{NewToken}}","success":true,"expires_in":100,"data":[{"id":"61550000000001","name":"n","tasks":["MANAGE"]}]}""");
    }

    private static object? Argument(ParameterInfo p)
    {
        var t = p.ParameterType;
        if (t == typeof(CancellationToken)) return CancellationToken.None;
        if (t == typeof(SecureString)) return Kit.Secure(Kit.InputToken);
        if (t == typeof(IReadOnlyList<SecureString>)) return new[] { Kit.Secure(Kit.InputToken) };
        if (t == typeof(IReadOnlyList<string>)) return new[] { "MANAGE" };
        if (t == typeof(bool)) return false;
        if (t == typeof(DateTimeOffset)) return DateTimeOffset.UnixEpoch;
        if (t.IsEnum) return Enum.GetValues(t).GetValue(0);
        if (t == typeof(string)) return p.Name == "role" ? "EMPLOYEE" : p.Name == "name" ? "svc" : p.Name == "appId" ? Kit.AppId : "61550000000001";
        if (!t.IsValueType) return null;
        throw new InvalidOperationException($"No test value for {p.Name} ({t})");
    }

    [Theory]
    [InlineData("message")]
    [InlineData("error_user_msg")]
    [InlineData("error_user_title")]
    [InlineData("fbtrace_id")]
    [InlineData("type")]
    public async Task A_token_or_secret_that_Meta_echoes_in_an_error_is_redacted(string field)
    {
        string echo = $"bad token {Kit.AdminToken} / {Uri.EscapeDataString(Kit.AdminToken)} secret {Kit.AppSecret} proof";
        string body = $$$"""{"error":{"code":190,"message":"m","{{{field}}}":{{{System.Text.Json.JsonSerializer.Serialize(echo)}}}}}""".Replace("\"message\":\"m\",\"message\"", "\"message\"");
        var graph = new FakeGraph((_, _) => FakeGraph.Json(body, HttpStatusCode.BadRequest));
        using var client = Kit.Client(graph);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.GetSystemUserAsync(Kit.SystemUserId, CancellationToken.None));

        Kit.AssertNoSecret(Kit.Shown(ex));
        Assert.Contains(Redactor.Mask, Kit.Shown(ex));
    }

    [Fact]
    public async Task A_token_under_test_that_Meta_echoes_is_redacted_too()
    {
        // The single debug_token call carries the token under test as data: an echo of it must not come back out.
        var graph = new FakeGraph((r, _) => r.Uri.AbsolutePath == "/v26.0/"
            ? FakeGraph.Json("[null]")
            : FakeGraph.Json($$$"""{"error":{"code":100,"message":"Invalid input_token {{{Kit.InputToken.Replace("EAA", "xyz")}}}"}}""", HttpStatusCode.BadRequest));
        using var client = Kit.Client(graph);
        string inputWithoutShape = Kit.InputToken.Replace("EAA", "xyz"); // not token-shaped: only the client's knowledge can redact it

        var outcome = Assert.Single(await client.DebugTokensAsync(new[] { Kit.Secure(inputWithoutShape) }, null, CancellationToken.None));

        Assert.NotNull(outcome.Error);
        Assert.DoesNotContain(inputWithoutShape, Kit.Shown(outcome.Error!));
    }
}
