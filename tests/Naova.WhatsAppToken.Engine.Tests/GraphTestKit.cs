using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>One request as the fake Graph saw it: what a test asserts on (proof, token placement, counts).</summary>
public sealed record SeenRequest(HttpMethod Method, Uri Uri, string? Authorization, string Body)
{
    public string PathAndQuery => Uri.PathAndQuery;

    /// <summary>A parameter from the query string or the form body.</summary>
    public string? Param(string name)
    {
        foreach (string part in (Uri.Query.TrimStart('?') + "&" + Body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && Uri.UnescapeDataString(part[..eq]) == name) return Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
        }
        return null;
    }
}

/// <summary>
/// A Graph that answers from a script, through the HttpMessageHandler the client takes: no sockets, no waiting,
/// every request recorded. The script sees the request and its number (0-based) and answers, throws, or blocks.
/// </summary>
public sealed class FakeGraph : HttpMessageHandler
{
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public FakeGraph(Func<SeenRequest, int, CancellationToken, Task<HttpResponseMessage>> script) => Script = script;

    public FakeGraph(Func<SeenRequest, int, HttpResponseMessage> script) : this((r, i, _) => Task.FromResult(script(r, i)))
    {
    }

    public Func<SeenRequest, int, CancellationToken, Task<HttpResponseMessage>> Script { get; set; }

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<SeenRequest> Seen => _seen.ToArray();

    /// <summary>Completes when the first request arrives.</summary>
    public Task FirstRequest => _first.Task;

    /// <summary>Requests whose token was cancelled while the script held them.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "Counted with Interlocked, which needs a field.")]
    public int Cancelled;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        string body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(ct);
        var seen = new SeenRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body);
        _seen.Enqueue(seen);
        int index = Interlocked.Increment(ref _count) - 1;
        _first.TrySetResult();
        try
        {
            return await Script(seen, index, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref Cancelled);
            throw;
        }
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, string contentType = "application/json")
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return response;
    }

    public static HttpResponseMessage Error(int code, int? subcode = null, HttpStatusCode status = HttpStatusCode.BadRequest, bool? transient = null, string message = "(#x) an error")
    {
        string sub = subcode.HasValue ? ",\"error_subcode\":" + subcode : "";
        string flag = transient.HasValue ? ",\"is_transient\":" + (transient.Value ? "true" : "false") : "";
        string json = "{\"error\":{\"message\":" + System.Text.Json.JsonSerializer.Serialize(message) + ",\"type\":\"OAuthException\",\"code\":" + code + sub + flag +
            ",\"error_user_msg\":\"user words\",\"fbtrace_id\":\"AbCdEf123\"}}";
        return Json(json, status);
    }

    public static HttpResponseMessage Html(HttpStatusCode status) =>
        Json("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", status, "text/html");

    /// <summary>Waits until the request is cancelled: a Graph that never answers.</summary>
    public static async Task<HttpResponseMessage> Never(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("not reached");
    }
}

public sealed class RecordingLog : IGraphLog
{
    private readonly ConcurrentQueue<GraphNotice> _notices = new();

    public IReadOnlyList<GraphNotice> Notices => _notices.ToArray();

    public IEnumerable<GraphNotice> Of(GraphNoticeKind kind) => Notices.Where(n => n.Kind == kind);

    public void Notice(GraphNotice notice) => _notices.Enqueue(notice);
}

/// <summary>The ids, secrets and settings the engine tests share; the tokens look like Meta's, so the redactor's shape rule applies too.</summary>
public static class Kit
{
    public const string BusinessId = "104857362910475";
    public const string AppId = "1298374650192837";
    public const string SystemUserId = "61550000000001";
    public const string AdminToken = "EAAGadminTOKENtextTHATmustNEVERshow0123456789abcdefABCDEF";
    public const string AppSecret = "appsecret0123456789abcdef01234567";
    public const string InputToken = "EAAGinputTOKENunderTEST9876543210zyxwvuZYXWVU";

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }

    /// <summary>Small delays, so no test waits for real backoff.</summary>
    public static GraphSettings Settings(int maxRetries = 3, int baseDelayMs = 1, int timeoutMs = 5000, int totalMs = 30000) =>
        new(new Uri("https://graph.test/"), "v26.0")
        {
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(baseDelayMs),
            RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs),
            MaxTotalWait = TimeSpan.FromMilliseconds(totalMs),
        };

    public static GraphClient Client(FakeGraph graph, GraphSettings? settings = null, IGraphLog? log = null, bool withSecret = true) =>
        new(new GraphConnectionInfo(BusinessId, AppId, Secure(AdminToken), withSecret ? Secure(AppSecret) : null, settings ?? Settings()), graph, log);

    public static string[] Secrets => new[] { AdminToken, AppSecret, InputToken };

    /// <summary>Everything the exception could show anyone: message, Meta's strings, and its ToString (inner exceptions, stack).</summary>
    public static string Shown(GraphApiException ex) =>
        string.Join("\n", ex.Message, ex.UserMessage, ex.UserTitle, ex.ErrorType, ex.FbTraceId, ex.ContentType, ex.ToString());

    public static void AssertNoSecret(string text)
    {
        foreach (string secret in Secrets)
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), text);
        }
    }

    public const string UsersPage = """{"data":[{"id":"61550000000001","name":"naova-whatsapp-service","role":"ADMIN"}],"paging":{"cursors":{"before":"a","after":"b"}}}""";
    public const string SystemUser = """{"id":"61550000000001","name":"naova-whatsapp-service","role":"ADMIN","created_time":"2026-01-01T00:00:00+0000"}""";
}
