using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// A generative test: thousands of seeded, malformed answers (random bytes, truncated real answers, wrong JSON types,
/// deep nesting, huge strings, error envelopes with odd fields, odd statuses, content types and usage headers,
/// broken connections), each echoing the tokens and the secret, fed to the client's real operations through its
/// HttpMessageHandler. Only GraphApiException or the typed result may come out, and no message may hold a secret.
/// </summary>
public class GraphFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Seed = 20261124;
    private const int Iterations = 3000;

    private static readonly string[] Echoes = { Kit.AdminToken, Kit.AppSecret, Kit.InputToken, Uri.EscapeDataString(Kit.AdminToken), Kit.AppId + "|" + Kit.AppSecret };

    private static readonly string[] Samples =
    {
        Kit.UsersPage,
        Kit.SystemUser,
        """{"id":"61550000000002"}""",
        """{"id":"104857362910475","name":"Naova"}""",
        """{"access_token":"EAAGnewTOKENfromMETAthatISsecretTOO0123456789"}""",
        """{"success":true}""",
        "true",
        """{"data":[{"id":"987654321","name":"WABA","tasks":["MANAGE"],"account_review_status":"APPROVED"}],"paging":{"cursors":{"after":"x"},"next":"https://graph.test/next"}}""",
        """{"data":{"app_id":"1298374650192837","type":"SYSTEM_USER","expires_at":0,"is_valid":true,"scopes":["business_management"],"granular_scopes":[{"scope":"whatsapp_business_management","target_ids":["1"]}]}}""",
        """[{"code":200,"body":"{\"data\":{\"type\":\"SYSTEM_USER\",\"is_valid\":true}}"},null,{"code":400,"body":"{\"error\":{\"code\":100}}"}]""",
        """{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"is_transient":true,"fbtrace_id":"A1"}}""",
    };

    [Fact]
    public async Task Thousands_of_malformed_answers_give_only_typed_errors_or_results_and_never_a_secret()
    {
        var rng = new Random(Seed);
        var gate = new object();
        var graph = new FakeGraph((r, _, _) =>
        {
            lock (gate) return Task.FromResult(Respond(rng));
        });
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(maxRetries: 1, baseDelayMs: 0, timeoutMs: 5000, totalMs: 1000), log);
        var operations = Operations(client);
        int successes = 0, failures = 0;
        var kinds = new HashSet<GraphErrorKind>();

        for (int n = 0; n < Iterations; n++)
        {
            int pick;
            lock (gate) pick = rng.Next(operations.Length);
            var (name, run) = operations[pick];
            try
            {
                var outcome = await run();
                Assert.NotNull(outcome);
                foreach (var error in Errors(outcome)) { Kit.AssertNoSecret(Kit.Shown(error)); kinds.Add(error.Kind); }
                successes++;
            }
            catch (GraphApiException ex)
            {
                Kit.AssertNoSecret(Kit.Shown(ex));
                Assert.NotNull(ex.Operation);
                kinds.Add(ex.Kind);
                failures++;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Iteration {n} ({name}, seed {Seed}) let {ex.GetType().Name} out: {ex}");
            }
        }

        foreach (var notice in log.Notices.Where(x => x.Cause != null)) Kit.AssertNoSecret(Kit.Shown(notice.Cause!));
        output.WriteLine($"seed {Seed}: {Iterations} operations, {graph.Count} answers, {successes} typed results, {failures} GraphApiExceptions, kinds: {string.Join(", ", kinds.OrderBy(k => k))}");
        Assert.True(successes > 100, $"only {successes} successes: the generator no longer makes usable answers");
        Assert.True(failures > Iterations / 2, $"only {failures} failures: the generator no longer makes malformed answers");
        foreach (var kind in new[] { GraphErrorKind.MalformedResponse, GraphErrorKind.ConnectionFailed, GraphErrorKind.Transient, GraphErrorKind.RateLimited, GraphErrorKind.TokenInvalid })
            Assert.Contains(kind, kinds);
    }

    private static IEnumerable<GraphApiException> Errors(object outcome) =>
        outcome is IReadOnlyList<DebugTokenOutcome> outcomes ? outcomes.Where(o => o.Error != null).Select(o => o.Error!) : Enumerable.Empty<GraphApiException>();

    private static (string Name, Func<Task<object>> Run)[] Operations(GraphClient client) => new (string, Func<Task<object>>)[]
    {
        ("ListSystemUsers", async () => await client.ListSystemUsersAsync(CancellationToken.None)),
        ("GetSystemUser", async () => await client.GetSystemUserAsync(Kit.SystemUserId, CancellationToken.None)),
        ("CreateSystemUser", async () => await client.CreateSystemUserAsync("svc", "EMPLOYEE", CancellationToken.None)),
        ("GetBusinessName", async () => (object?)await client.GetBusinessNameAsync(CancellationToken.None) ?? "no name"),
        ("CreateSystemUserToken", async () => await client.CreateSystemUserTokenAsync(Kit.SystemUserId, Kit.AppId, WhatsAppScopes.Required, false, CancellationToken.None)),
        ("DebugTokens", async () => await client.DebugTokensAsync(new[] { Kit.Secure(Kit.InputToken), Kit.Secure(Kit.InputToken + "b") }, null, CancellationToken.None)),
        ("GetBusinessWhatsAppAccounts", async () => await client.GetBusinessWhatsAppAccountsAsync(CancellationToken.None)),
        ("AssignWhatsAppAccount", async () => { await client.AssignWhatsAppAccountAsync("987654321", Kit.SystemUserId, new[] { "MANAGE" }, CancellationToken.None); return "done"; }),
        ("RevokeAllTokens", async () => { await client.RevokeAllTokensAsync(Kit.SystemUserId, CancellationToken.None); return "done"; }),
    };

    private static HttpResponseMessage Respond(Random rng)
    {
        int roll = rng.Next(100);
        if (roll < 3) throw new HttpRequestException("Connection reset by peer " + Echo(rng));
        if (roll < 4) throw new IOException("Unable to read data from the transport connection " + Echo(rng));
        if (roll < 5) throw new TaskCanceledException("The request was canceled by the other side");

        HttpStatusCode status = Pick(rng, new[] { 200, 200, 200, 200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 429, 500, 502, 503 }) is int s ? (HttpStatusCode)s : HttpStatusCode.OK;
        HttpContent content = rng.Next(12) switch
        {
            0 => new ByteArrayContent(Bytes(rng, rng.Next(0, 3000))),
            1 => Text(Truncate(rng, Pick(rng, Samples))),
            2 => Text(Mutate(rng, JsonNode.Parse(Pick(rng, Samples)))),
            3 => Text(Nesting(rng)),
            4 => Text(Huge(rng)),
            5 => Text(OddEnvelope(rng)),
            6 or 7 => Text(Pick(rng, Samples)),
            8 => Text(string.Empty),
            9 => Text("<html><body>" + Echo(rng) + "</body></html>"),
            10 => new StreamContent(new BreakingStream(Encoding.UTF8.GetBytes(Pick(rng, Samples)), rng.Next(1, 20))),
            _ => Text(Pick(rng, Samples).Replace("\"", rng.Next(2) == 0 ? "'" : "\\\"")),
        };
        string? type = Pick(rng, new[] { "application/json", "application/json", "text/javascript", "text/html", "application/octet-stream", null });
        if (type != null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        else content.Headers.ContentType = null;
        var response = new HttpResponseMessage(status) { Content = content };
        if (rng.Next(4) == 0) response.Headers.TryAddWithoutValidation("X-App-Usage", Pick(rng, UsageValues));
        if (rng.Next(4) == 0) response.Headers.TryAddWithoutValidation("X-Business-Use-Case-Usage", Pick(rng, BusinessUsageValues));
        if (rng.Next(6) == 0) response.Headers.TryAddWithoutValidation("Retry-After", Pick(rng, new[] { "0", "1", "3600", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", "-5", "99999999999" }));
        return response;
    }

    // Waits that are either tiny or beyond the 1 s budget, so the test never sleeps.
    private static readonly string[] UsageValues = { """{"call_count":95}""", """{"call_count":"x"}""", "garbage", "[]", """{"call_count":1e308,"total_time":-1}""", "{}" };

    private static readonly string[] BusinessUsageValues =
    {
        """{"1":[{"call_count":100,"estimated_time_to_regain_access":0.00001}]}""",
        """{"1":[{"estimated_time_to_regain_access":60}]}""",
        """{"1":[{"estimated_time_to_regain_access":1e300}]}""",
        """{"1":[{"estimated_time_to_regain_access":"5"}]}""",
        """{"1":{"estimated_time_to_regain_access":-1}}""",
        """{"1":null}""", "not json", """[{"a":1}]""",
    };

    private static StringContent Text(string body) => new(body, Encoding.UTF8);

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static string Echo(Random rng) => Pick(rng, Echoes);

    private static byte[] Bytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static string Truncate(Random rng, string sample) => sample[..rng.Next(0, sample.Length)];

    private static string Nesting(Random rng)
    {
        int depth = rng.Next(1, 3000);
        return rng.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"error\":", depth)) + "1" + new string('}', depth);
    }

    private static string Huge(Random rng)
    {
        int size = rng.Next(10) == 0 ? rng.Next(1_000_000, 5_000_000) : rng.Next(1000, 100_000);
        string filler = new string('x', size / 2) + Echo(rng) + new string('y', size / 2);
        return rng.Next(3) switch
        {
            0 => JsonSerializer.Serialize(new { error = new { message = filler, code = 1, fbtrace_id = filler } }),
            1 => JsonSerializer.Serialize(new { id = "61550000000001", name = filler, access_token = filler }),
            _ => JsonSerializer.Serialize(new { data = new[] { new { id = filler, name = filler } } }),
        };
    }

    /// <summary>An error envelope whose every field may be of the wrong type, missing, huge, or carry a secret.</summary>
    private static string OddEnvelope(Random rng)
    {
        var error = new JsonObject();
        foreach (string field in new[] { "message", "type", "code", "error_subcode", "error_user_title", "error_user_msg", "fbtrace_id", "is_transient" })
        {
            if (rng.Next(4) == 0) continue;
            error[field] = OddValue(rng);
        }
        if (rng.Next(2) == 0) error["code"] = Pick(rng, new[] { 1, 2, 4, 17, 32, 100, 102, 190, 200, 341, 368, 613, 80008, 130429, 131000, 131005, 999999 });
        JsonNode root = rng.Next(8) == 0 ? JsonValue.Create(Echo(rng))! : error;
        return new JsonObject { ["error"] = root, ["id"] = OddValue(rng) }.ToJsonString();
    }

    private static JsonNode? OddValue(Random rng) => rng.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(rng.Next()),
        2 => JsonValue.Create(-rng.NextDouble() * 1e300),
        3 => JsonValue.Create(rng.Next(2) == 0),
        4 => new JsonArray(JsonValue.Create(Echo(rng)), null),
        5 => new JsonObject { ["nested"] = Echo(rng) },
        6 => JsonValue.Create("text " + Echo(rng) + " \u001b[31m\r\nforged line"),
        7 => JsonValue.Create("190"),
        _ => JsonValue.Create(new string('z', rng.Next(0, 5000))),
    };

    /// <summary>Replaces values of a real answer with values of other types, nulls and secrets.</summary>
    private static string Mutate(Random rng, JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (string key in obj.Select(p => p.Key).ToArray())
            {
                if (rng.Next(3) == 0) obj[key] = OddValue(rng);
                else if (obj[key] is JsonObject or JsonArray) Mutate(rng, obj[key]);
            }
            if (rng.Next(4) == 0) obj["unexpected_" + rng.Next(100)] = OddValue(rng);
        }
        else if (node is JsonArray array)
        {
            for (int i = 0; i < array.Count; i++)
            {
                if (rng.Next(3) == 0) array[i] = OddValue(rng);
                else Mutate(rng, array[i]);
            }
        }
        return node?.ToJsonString() ?? "null";
    }

    /// <summary>A body that breaks after a few bytes, like a connection dropped in the middle of an answer.</summary>
    private sealed class BreakingStream(byte[] body, int after) : MemoryStream(body)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= after) throw new IOException("Connection reset by peer " + Kit.AdminToken);
            return base.Read(buffer, offset, Math.Min(count, after - (int)Position));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var array = new byte[buffer.Length];
            int n = Read(array, 0, array.Length);
            array.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }
    }
}
