using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// Odd answers, one by one: each gives one typed exception that says what came back, or the typed success when the
/// answer is usable after all; never a crash, a hang, or a quoted body.
/// </summary>
public class GraphResponseTests
{
    private static async Task<GraphApiException> FailsOnce(HttpResponseMessage answer, GraphProblem problem, GraphErrorKind kind = GraphErrorKind.MalformedResponse)
    {
        var graph = new FakeGraph((_, _) => answer);
        using var client = Kit.Client(graph);
        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.GetSystemUserAsync(Kit.SystemUserId, CancellationToken.None));
        Assert.Equal(problem, ex.Problem);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(1, graph.Count);
        Assert.Equal("GetSystemUser", ex.Operation);
        return ex;
    }

    [Fact]
    public async Task An_html_page_with_200_is_described_as_one()
    {
        var ex = await FailsOnce(FakeGraph.Html(HttpStatusCode.OK), GraphProblem.HtmlPage);
        Assert.Equal("text/html", ex.ContentType);
        Assert.True(ex.BodyLength > 0);
        Assert.Equal(200, ex.HttpStatus);
        Assert.DoesNotContain("Bad Gateway", ex.Message); // the page is described, never quoted
    }

    [Fact]
    public async Task An_empty_body_is_described_as_one() =>
        await FailsOnce(FakeGraph.Json(""), GraphProblem.EmptyBody);

    [Theory]
    [InlineData("""{"id":"61550000000001","na""")]
    [InlineData("""{"data": [{"id": "1",, name: 'x'}] ]""")]
    [InlineData("not json at all")]
    [InlineData("\u0000\u0001\u0002")]
    public async Task Truncated_or_invalid_json_is_described_as_such(string body) =>
        await FailsOnce(FakeGraph.Json(body), GraphProblem.NotJson);

    [Fact]
    public async Task Deep_nesting_is_refused_not_overflowed() =>
        await FailsOnce(FakeGraph.Json(new string('[', 100_000) + new string(']', 100_000)), GraphProblem.NotJson);

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/javascript")]
    [InlineData("application/octet-stream")]
    public async Task Valid_json_under_the_wrong_content_type_is_read(string contentType)
    {
        // Meta itself labels JSON text/javascript on some endpoints: the body decides, not the label.
        var graph = new FakeGraph((_, _) => FakeGraph.Json(Kit.SystemUser, contentType: contentType));
        using var client = Kit.Client(graph);
        Assert.Equal("naova-whatsapp-service", await client.GetBusinessNameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_huge_declared_body_is_refused_without_reading_it()
    {
        var stream = new CountingStream(long.MaxValue);
        var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) };
        answer.Content.Headers.ContentLength = 100L * 1024 * 1024;
        var ex = await FailsOnce(answer, GraphProblem.BodyTooLarge);
        Assert.Equal(0, stream.BytesRead);
        Assert.Equal(100L * 1024 * 1024, ex.BodyLength);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(10L)]
    [InlineData(4096L)]
    [InlineData(null)]
    public async Task A_body_is_read_as_it_came_whatever_length_it_declared(long? declared)
    {
        // The body is read into an array of the declared length: one that came shorter (a wrong Content-Length), longer
        // or undeclared must still be the body exactly, no zeros after it and nothing cut.
        var graph = new FakeGraph((_, _) =>
        {
            var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Kit.SystemUser))) };
            answer.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            answer.Content.Headers.ContentLength = declared;
            return answer;
        });
        using var client = Kit.Client(graph);
        Assert.Equal("naova-whatsapp-service", await client.GetBusinessNameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_endless_undeclared_body_is_cut_at_the_limit()
    {
        var stream = new CountingStream(long.MaxValue);
        await FailsOnce(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) }, GraphProblem.BodyTooLarge);
        Assert.InRange(stream.BytesRead, GraphResponseReader.MaxBodyBytes, GraphResponseReader.MaxBodyBytes + 64 * 1024);
    }

    [Fact]
    public async Task A_200_that_carries_an_error_envelope_is_that_error()
    {
        var ex = await FailsOnce(FakeGraph.Error(190, 463, HttpStatusCode.OK), GraphProblem.None, GraphErrorKind.TokenExpired);
        Assert.Equal(190, ex.Code);
        Assert.Equal(463, ex.Subcode);
        Assert.Equal(200, ex.HttpStatus);
    }

    [Fact]
    public async Task An_error_given_as_a_bare_string_is_an_error_with_that_message()
    {
        var ex = await FailsOnce(FakeGraph.Json("""{"error":"invalid_request"}""", HttpStatusCode.BadRequest), GraphProblem.None, GraphErrorKind.Unknown);
        Assert.Equal("invalid_request", ex.Message);
    }

    [Theory]
    [InlineData("""{"error":null,"id":"61550000000001","name":"n"}""")]
    [InlineData("""{"error":false,"id":"61550000000001","name":"n"}""")]
    [InlineData("""{"id":"61550000000001","name":"n","unknown":{"deep":[1,2,{"x":null}]},"role":null}""")]
    public async Task Null_or_false_error_fields_and_unknown_fields_do_not_fail_a_good_answer(string body)
    {
        var graph = new FakeGraph((_, _) => FakeGraph.Json(body));
        using var client = Kit.Client(graph);
        Assert.Equal("n", await client.GetBusinessNameAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"id":{"nested":true}}""")]
    [InlineData("""{"id":null,"name":"n"}""")]
    [InlineData("""{"name":"n"}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""null""")]
    [InlineData("""{"id":"1","created_time":12}""")]
    public async Task Wrong_types_or_nulls_where_values_belong_are_an_unexpected_shape(string body) =>
        await FailsOnce(FakeGraph.Json(body), GraphProblem.UnexpectedShape);

    [Theory]
    [InlineData("""{"data":null}""")]
    [InlineData("""{"paging":{}}""")]
    [InlineData("""{"data":{"id":"1"}}""")]
    [InlineData("""{"data":[{"name":"no id"}]}""")]
    public async Task A_list_that_can_not_be_trusted_fails_rather_than_reading_as_empty(string body)
    {
        // New-WaSystemUser creates when the list is empty: a list it can not read must not look empty.
        var graph = new FakeGraph((_, _) => FakeGraph.Json(body));
        using var client = Kit.Client(graph);
        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.ListSystemUsersAsync(CancellationToken.None));
        Assert.Equal(GraphErrorKind.MalformedResponse, ex.Kind);
    }

    [Fact]
    public async Task Null_items_in_a_list_are_dropped()
    {
        var graph = new FakeGraph((_, _) => FakeGraph.Json("""{"data":[null,{"id":"61550000000001","name":"a"},null]}"""));
        using var client = Kit.Client(graph);
        Assert.Single(await client.ListSystemUsersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_reads_as_an_odd_answer()
    {
        var graph = new FakeGraph((_, _) =>
        {
            var moved = FakeGraph.Json("{}", HttpStatusCode.Found);
            moved.Headers.Location = new Uri("https://portal.example/login");
            return moved;
        });
        using var client = Kit.Client(graph);
        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.GetSystemUserAsync(Kit.SystemUserId, CancellationToken.None));
        Assert.Equal(GraphProblem.NoErrorDescription, ex.Problem);
        Assert.Equal(302, ex.HttpStatus);
        Assert.Equal(1, graph.Count);
    }

    [Fact]
    public async Task A_connection_broken_in_the_middle_of_the_body_is_a_connection_failure_and_a_read_retries()
    {
        var graph = new FakeGraph((_, i) => i == 0
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new CountingStream(100, breakAtEnd: true)) }
            : FakeGraph.Json(Kit.SystemUser));
        using var client = Kit.Client(graph);
        await client.GetBusinessNameAsync(CancellationToken.None);
        Assert.Equal(2, graph.Count);
    }

    [Fact]
    public async Task Control_characters_are_dropped_and_long_messages_clipped()
    {
        string message = "line one\u001b[2J\r\nforged\u202e" + new string('x', 50_000);
        var ex = await FailsOnce(FakeGraph.Error(100, message: message), GraphProblem.None, GraphErrorKind.InvalidParameter);
        Assert.DoesNotContain('\u001b', ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\u202e', ex.Message);
        Assert.True(ex.Message.Length <= GraphResponseReader.MaxTextLength + 1, ex.Message.Length.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_null_batch_item_is_asked_again_on_its_own_without_a_token_in_the_url()
    {
        string data = """{"data":{"app_id":"1298374650192837","type":"SYSTEM_USER","expires_at":0,"is_valid":true,"scopes":["business_management"]}}""";
        string item = System.Text.Json.JsonSerializer.Serialize(new { code = 200, body = data });
        var graph = new FakeGraph((r, _) => r.Uri.AbsolutePath.EndsWith("/debug_token", StringComparison.Ordinal) ? FakeGraph.Json(data) : FakeGraph.Json("[null," + item + "]"));
        using var client = Kit.Client(graph);

        var outcomes = await client.DebugTokensAsync(new[] { Kit.Secure(Kit.InputToken), Kit.Secure(Kit.InputToken + "2") }, null, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Data!.IsValid));
        Assert.Equal(2, graph.Count);
        var single = graph.Seen[1];
        // Graph does not read a GET's body: the single call is a POST with method=GET, served as the GET.
        Assert.Equal((HttpMethod.Post, "GET"), (single.Method, single.Param("method")));
        Assert.Equal(Kit.InputToken, single.Param("input_token"));
        Assert.DoesNotContain("input_token", single.Uri.Query);
        Assert.DoesNotContain(Kit.InputToken, single.Uri.ToString());
    }

    [Fact]
    public async Task A_batch_that_fails_for_want_of_Graph_is_not_followed_by_one_call_per_token()
    {
        var graph = new FakeGraph((_, _) => FakeGraph.Error(2, status: HttpStatusCode.ServiceUnavailable));
        using var client = Kit.Client(graph, Kit.Settings(maxRetries: 1));
        var tokens = Enumerable.Range(0, 5).Select(i => Kit.Secure(Kit.InputToken + i)).ToArray();

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.DebugTokensAsync(tokens, null, CancellationToken.None));

        Assert.Equal(GraphErrorKind.Transient, ex.Kind);
        Assert.Equal(2, graph.Count);
    }

    [Fact]
    public async Task A_batch_Meta_refuses_outright_is_followed_by_single_calls()
    {
        string data = """{"data":{"type":"SYSTEM_USER","is_valid":true}}""";
        var graph = new FakeGraph((r, _) => r.Uri.AbsolutePath.EndsWith("/debug_token", StringComparison.Ordinal) ? FakeGraph.Json(data) : FakeGraph.Error(100, message: "(#100) debug_token can not be batched"));
        var log = new RecordingLog();
        using var client = Kit.Client(graph, Kit.Settings(maxRetries: 1), log);

        var outcomes = await client.DebugTokensAsync(new[] { Kit.Secure(Kit.InputToken) }, null, CancellationToken.None);

        Assert.True(Assert.Single(outcomes).Data!.IsValid);
        Assert.Equal(2, graph.Count);
        Assert.Equal(100, Assert.Single(log.Of(GraphNoticeKind.BatchRefused)).Cause!.Code);
    }

    [Fact]
    public void Usage_headers_give_the_highest_percentage_and_the_longest_wait()
    {
        var answer = FakeGraph.Json("{}");
        answer.Headers.Add("X-App-Usage", """{"call_count":12,"total_cputime":93,"total_time":40}""");
        answer.Headers.Add("X-Business-Use-Case-Usage",
            """{"104857362910475":[{"type":"whatsapp_business_management","call_count":"97","total_cputime":1,"total_time":1,"estimated_time_to_regain_access":7},{"type":"ads_management","call_count":1,"estimated_time_to_regain_access":2}]}""");
        answer.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));

        var usage = GraphUsage.Read(answer);

        Assert.Equal(97, usage.MaxPercent);
        Assert.Equal(TimeSpan.FromMinutes(7), usage.RegainAccessAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), usage.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(7), usage.Wait);
    }

    [Fact]
    public void Retry_after_as_a_date_is_read_against_Metas_clock()
    {
        var answer = FakeGraph.Json("{}");
        var metaNow = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        answer.Headers.Date = metaNow;
        answer.Headers.RetryAfter = new RetryConditionHeaderValue(metaNow.AddSeconds(90));
        Assert.Equal(TimeSpan.FromSeconds(90), GraphUsage.Read(answer).RetryAfter);
    }

    [Theory]
    [InlineData("X-App-Usage", "not json")]
    [InlineData("X-App-Usage", "[1,2]")]
    [InlineData("X-App-Usage", """{"call_count":1e400}""")]
    [InlineData("X-Business-Use-Case-Usage", """{"1":"x"}""")]
    [InlineData("X-Business-Use-Case-Usage", """{"1":[{"estimated_time_to_regain_access":-5}]}""")]
    [InlineData("X-Business-Use-Case-Usage", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")]
    public void Garbage_usage_headers_are_ignored(string header, string value)
    {
        var answer = FakeGraph.Json("{}");
        answer.Headers.TryAddWithoutValidation(header, value);
        var usage = GraphUsage.Read(answer);
        Assert.Equal(0, usage.MaxPercent);
        Assert.Null(usage.Wait);
    }

    /// <summary>A body of a given size (or endless) that counts what was read, and can break like a dropped connection.</summary>
    private sealed class CountingStream(long length, bool breakAtEnd = false) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            long left = length - BytesRead;
            if (left <= 0)
            {
                if (breakAtEnd) throw new IOException("Unable to read data from the transport connection: Connection reset by peer.");
                return 0;
            }
            int n = (int)Math.Min(count, left);
            Array.Fill(buffer, (byte)'{', offset, n);
            BytesRead += n;
            return n;
        }
    }
}
