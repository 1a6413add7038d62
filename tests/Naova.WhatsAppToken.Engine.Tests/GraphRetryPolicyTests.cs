using System.Net;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// Which failures are retried and how long the client waits, counted on a fake Graph: every retryable code of the
/// issue is retried once and then succeeds, every permanent one is tried exactly once, Meta's waits replace the
/// backoff, and nothing outlasts the budget. Delays are milliseconds, so no test waits for real backoff.
/// </summary>
public class GraphRetryPolicyTests
{
    public static TheoryData<int, int?, bool?, int> RetryableCodes()
    {
        var data = new TheoryData<int, int?, bool?, int>
        {
            { 1, null, null, 500 }, { 2, null, true, 503 }, { 4, null, true, 400 }, { 17, null, null, 400 }, { 17, 2446079, null, 400 },
            { 32, null, null, 400 }, { 341, null, null, 400 }, { 613, 1996, null, 400 },
            { 130429, null, null, 400 }, { 131000, null, null, 500 }, { 131016, null, null, 503 }, { 131056, null, null, 400 },
            { 99999, null, true, 400 }, // an unknown code that says is_transient
        };
        for (int code = 80000; code <= 80014; code++) data.Add(code, null, null, 400);
        return data;
    }

    [Theory]
    [MemberData(nameof(RetryableCodes))]
    public async Task A_retryable_code_is_retried_then_succeeds(int code, int? subcode, bool? transient, int status)
    {
        var graph = new FakeGraph((_, i) => i == 0 ? FakeGraph.Error(code, subcode, (HttpStatusCode)status, transient) : FakeGraph.Json(Kit.SystemUser));
        var log = new RecordingLog();
        using var client = Kit.Client(graph, log: log);

        string? name = await client.GetBusinessNameAsync(CancellationToken.None);

        Assert.Equal("naova-whatsapp-service", name);
        Assert.Equal(2, graph.Count);
        var retry = Assert.Single(log.Of(GraphNoticeKind.Retrying));
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(4, retry.MaxAttempts);
        Assert.Equal(code, retry.Cause!.Code);
        Assert.Equal("GetBusiness", retry.Operation);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_5xx_or_429_without_an_envelope_even_an_html_page_is_retried(HttpStatusCode status)
    {
        var graph = new FakeGraph((_, i) => i == 0 ? FakeGraph.Html(status) : FakeGraph.Json(Kit.SystemUser));
        using var client = Kit.Client(graph);

        await client.GetBusinessNameAsync(CancellationToken.None);

        Assert.Equal(2, graph.Count);
    }

    [Theory]
    [InlineData(190, null, GraphErrorKind.TokenInvalid, null)]
    [InlineData(190, 463, GraphErrorKind.TokenExpired, null)]
    [InlineData(190, 467, GraphErrorKind.TokenInvalid, true)] // is_transient never overrides a permanent code
    [InlineData(10, null, GraphErrorKind.PermissionMissing, null)]
    [InlineData(200, null, GraphErrorKind.PermissionMissing, null)]
    [InlineData(250, null, GraphErrorKind.PermissionMissing, null)]
    [InlineData(299, null, GraphErrorKind.PermissionMissing, true)]
    [InlineData(100, null, GraphErrorKind.InvalidParameter, null)]
    [InlineData(100, 33, GraphErrorKind.ObjectNotFound, null)]
    [InlineData(131005, null, GraphErrorKind.WhatsAppAccessDenied, null)]
    [InlineData(131031, null, GraphErrorKind.WhatsAppAccountLocked, null)]
    [InlineData(133010, null, GraphErrorKind.PhoneNumberNotRegistered, null)]
    [InlineData(368, null, GraphErrorKind.PolicyBlocked, null)]
    public async Task A_permanent_code_is_never_retried(int code, int? subcode, GraphErrorKind kind, bool? transient)
    {
        var graph = new FakeGraph((_, _) => FakeGraph.Error(code, subcode, HttpStatusCode.BadRequest, transient));
        var log = new RecordingLog();
        using var client = Kit.Client(graph, log: log);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.GetSystemUserAsync(Kit.SystemUserId, CancellationToken.None));

        Assert.Equal(1, graph.Count);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(code, ex.Code);
        Assert.Equal(subcode, ex.Subcode);
        Assert.Equal(400, ex.HttpStatus);
        Assert.Equal("OAuthException", ex.ErrorType);
        Assert.Equal("user words", ex.UserMessage);
        Assert.Equal("AbCdEf123", ex.FbTraceId);
        Assert.Equal(1, ex.Attempts);
        Assert.Empty(log.Of(GraphNoticeKind.Retrying));
    }

    [Fact]
    public async Task Retries_stop_after_MaxRetries_and_the_error_says_how_many_tries()
    {
        var graph = new FakeGraph((_, _) => FakeGraph.Error(2, status: HttpStatusCode.ServiceUnavailable));
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(maxRetries: 3), log);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.ListSystemUsersAsync(CancellationToken.None));

        Assert.Equal(4, graph.Count);
        Assert.Equal(4, ex.Attempts);
        Assert.Equal(GraphErrorKind.Transient, ex.Kind);
        Assert.Equal(new[] { 2, 3, 4 }, log.Of(GraphNoticeKind.Retrying).Select(n => n.Attempt));
        Assert.All(log.Of(GraphNoticeKind.Retrying), n => Assert.False(n.WaitSetByMeta));
    }

    [Fact]
    public async Task No_retries_when_MaxRetries_is_zero()
    {
        var graph = new FakeGraph((_, _) => FakeGraph.Error(1, status: HttpStatusCode.InternalServerError));
        using var client = Kit.Client(graph, Kit.Settings(maxRetries: 0));

        await Assert.ThrowsAsync<GraphApiException>(() => client.ListSystemUsersAsync(CancellationToken.None));

        Assert.Equal(1, graph.Count);
    }

    [Fact]
    public async Task Estimated_time_to_regain_access_sets_the_wait_instead_of_the_backoff()
    {
        // 0.002 minutes = 120 ms: Meta's unit, small enough for a test.
        var graph = new FakeGraph((_, i) =>
        {
            if (i > 0) return FakeGraph.Json(Kit.UsersPage);
            var throttled = FakeGraph.Error(80008, transient: true);
            throttled.Headers.Add("X-Business-Use-Case-Usage",
                $$"""{"{{Kit.BusinessId}}":[{"type":"whatsapp_business_management","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":0.002}]}""");
            return throttled;
        });
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(baseDelayMs: 0), log);

        await client.ListSystemUsersAsync(CancellationToken.None);

        var retry = Assert.Single(log.Of(GraphNoticeKind.Retrying));
        Assert.True(retry.WaitSetByMeta);
        Assert.Equal(TimeSpan.FromMinutes(0.002), retry.Delay);
        Assert.Equal(GraphErrorKind.RateLimited, retry.Cause!.Kind);
        Assert.Equal(2, graph.Count);
    }

    [Fact]
    public async Task A_wait_longer_than_the_budget_is_not_started_and_the_error_carries_it()
    {
        var graph = new FakeGraph((_, _) =>
        {
            var throttled = FakeGraph.Error(4, transient: true);
            throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(1));
            return throttled;
        });
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(totalMs: 60_000), log);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.ListSystemUsersAsync(CancellationToken.None));

        Assert.Equal(1, graph.Count);
        Assert.Equal(GraphErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        var notice = Assert.Single(log.Of(GraphNoticeKind.WaitTooLong));
        Assert.Equal(TimeSpan.FromHours(1), notice.Delay);
        Assert.Equal(TimeSpan.FromMinutes(1), notice.Budget);
        Assert.Empty(log.Of(GraphNoticeKind.Retrying));
    }

    [Fact]
    public async Task When_the_budget_runs_out_during_a_backoff_the_last_failure_is_reported_not_a_timeout()
    {
        // Backoffs of about 10 s and a 300 ms budget: the budget ends a wait. Which one is up to the jitter: Polly's
        // decorrelated jitter can make a first wait of 10 s a fraction of a second (seen: 210 ms, once in 300 runs
        // under load), and then a second attempt may fit, or the budget may end just as that wait does. However it
        // ends, each Graph answer was followed by a wait (the last one's may be cut before it is told), and what is
        // reported is the last failure, not a timeout.
        var graph = new FakeGraph((_, _) => FakeGraph.Error(2, status: HttpStatusCode.ServiceUnavailable));
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(baseDelayMs: 10_000, totalMs: 300), log);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.ListSystemUsersAsync(CancellationToken.None));

        Assert.Equal(GraphErrorKind.Transient, ex.Kind);
        Assert.Equal(2, ex.Code);
        int waits = log.Of(GraphNoticeKind.Retrying).Count();
        Assert.True(waits >= 1, "no wait began");
        Assert.InRange(graph.Count, waits, waits + 1);
        var spent = Assert.Single(log.Of(GraphNoticeKind.BudgetSpent));
        Assert.Equal(TimeSpan.FromMilliseconds(300), spent.Budget);
    }

    [Fact]
    public async Task A_request_that_outlasts_its_timeout_is_abandoned_and_a_read_is_retried()
    {
        var graph = new FakeGraph((_, _, ct) => FakeGraph.Never(ct));
        using var client = Kit.Client(graph, Kit.Settings(maxRetries: 1, timeoutMs: 100));

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.ListSystemUsersAsync(CancellationToken.None));

        Assert.Equal(GraphErrorKind.Timeout, ex.Kind);
        Assert.Equal(GraphProblem.NoAnswerInTime, ex.Problem);
        Assert.Equal(TimeSpan.FromMilliseconds(100), ex.Timeout);
        Assert.Equal(2, graph.Count);
        Assert.Equal(2, graph.Cancelled);
        Assert.Equal(2, ex.Attempts);
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("dropped")]
    [InlineData("html 502")]
    public async Task A_create_is_not_repeated_when_the_answer_may_have_been_lost(string how)
    {
        var graph = new FakeGraph((_, _, ct) => how switch
        {
            "timeout" => FakeGraph.Never(ct),
            "dropped" => throw new HttpRequestException("The response ended prematurely."),
            _ => Task.FromResult(FakeGraph.Html(HttpStatusCode.BadGateway)),
        });
        using var client = Kit.Client(graph, Kit.Settings(timeoutMs: 100));

        await Assert.ThrowsAsync<GraphApiException>(() => client.CreateSystemUserAsync("svc", "EMPLOYEE", CancellationToken.None));

        Assert.Equal(1, graph.Count);
    }

    [Fact]
    public async Task A_create_is_repeated_when_Meta_answered_with_a_transient_error()
    {
        var graph = new FakeGraph((_, i) => i == 0 ? FakeGraph.Error(2, status: HttpStatusCode.ServiceUnavailable, transient: true) : FakeGraph.Json("""{"id":"61550000000009"}"""));
        using var client = Kit.Client(graph);

        Assert.Equal("61550000000009", await client.CreateSystemUserAsync("svc", "EMPLOYEE", CancellationToken.None));
        Assert.Equal(2, graph.Count);
    }

    [Fact]
    public async Task A_dropped_connection_on_a_read_is_retried()
    {
        var graph = new FakeGraph((_, i, _) => i == 0 ? throw new HttpRequestException("Connection reset by peer") : Task.FromResult(FakeGraph.Json(Kit.UsersPage)));
        using var client = Kit.Client(graph);

        Assert.Single(await client.ListSystemUsersAsync(CancellationToken.None));
        Assert.Equal(2, graph.Count);
    }

    [Fact]
    public async Task The_callers_cancellation_stops_the_request_in_flight_and_is_not_retried()
    {
        var graph = new FakeGraph((_, _, ct) => FakeGraph.Never(ct));
        using var client = Kit.Client(graph, Kit.Settings(timeoutMs: 600_000));
        using var cts = new CancellationTokenSource();

        var call = client.ListSystemUsersAsync(cts.Token);
        await graph.FirstRequest.WaitAsync(TimeSpan.FromSeconds(30));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, graph.Count);
        Assert.Equal(1, graph.Cancelled);
    }

    [Theory]
    [InlineData(95, true)]
    [InlineData(100, true)]
    [InlineData(90, false)]
    [InlineData(40, false)]
    public async Task Above_90_percent_usage_the_next_call_waits_first(int percent, bool slows)
    {
        var graph = new FakeGraph((_, _) =>
        {
            var answer = FakeGraph.Json(Kit.SystemUser);
            answer.Headers.Add("X-App-Usage", $$"""{"call_count":{{percent}},"total_cputime":1,"total_time":1}""");
            return answer;
        });
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(baseDelayMs: 2), log);

        await client.GetBusinessNameAsync(CancellationToken.None);
        Assert.Empty(log.Of(GraphNoticeKind.SlowingDown));
        await client.GetBusinessNameAsync(CancellationToken.None);

        var slow = log.Of(GraphNoticeKind.SlowingDown).ToArray();
        Assert.Equal(slows ? 1 : 0, slow.Length);
        if (slows)
        {
            Assert.Equal(percent, slow[0].UsagePercent);
            Assert.Equal(90, slow[0].UsageThreshold);
            Assert.Equal(TimeSpan.FromMilliseconds(Math.Min(10, percent - 90)), slow[0].Delay); // half the base delay per point above
        }
    }
}
