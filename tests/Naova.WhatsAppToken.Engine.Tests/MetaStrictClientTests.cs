using System.Security;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Emulator.Spec;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// The client against the Meta-strict emulator, one test (or more) per point of issue 10: each of these failed
/// against the strict emulator before the client was fixed.
/// </summary>
public sealed class MetaStrictClientTests
{
    private static readonly string[] Scopes = { "business_management", "whatsapp_business_management", "whatsapp_business_messaging" };

    // 1. role is not a field of SystemUser: the node is asked for its own fields, the role comes from the list edge.
    [Fact]
    public async Task GetSystemUser_asks_the_node_for_its_own_fields_and_takes_the_role_from_the_list_edge()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var client = Client(emulator);
        string id = await client.CreateSystemUserAsync("naova-whatsapp-service", "ADMIN", CancellationToken.None);
        emulator.ResetRequestLog();

        SystemUserInfo user = await client.GetSystemUserAsync(id, CancellationToken.None);

        Assert.Equal(("naova-whatsapp-service", "ADMIN"), (user.Name, user.Role));
        AssertConforms(emulator);
        Assert.DoesNotContain(emulator.Requests, r => r.Path.EndsWith("/" + id, StringComparison.Ordinal) && r.Fields.Contains("role"));
    }

    // 2. The single-call debug_token is a POST with method=GET (Graph does not read a GET's body).
    [Fact]
    public async Task A_single_debug_token_call_is_a_POST_with_method_GET_and_the_token_stays_out_of_the_URL()
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions { DebugTokenInBatch = false });
        using var client = Client(emulator);
        SecureString token = Secure(emulator.Seed.EmployeeUserToken);
        emulator.ResetRequestLog();

        DebugTokenData data = await client.DebugTokenAsync(token, CancellationToken.None);

        Assert.True(data.IsValid);
        RecordedRequest single = Assert.Single(emulator.Requests, r => r.Path.EndsWith("/debug_token", StringComparison.Ordinal));
        Assert.Equal(("POST", "GET"), (single.Method, single.ServedAs));
        Assert.Contains("input_token", single.BodyKeys);
        Assert.DoesNotContain("input_token", single.QueryKeys);
        AssertConforms(emulator);
    }

    // 2 and 4. Where Graph goes by the HTTP method ("Unsupported post request"), the documented GET is sent instead.
    [Fact]
    public async Task Where_Graph_refuses_the_POST_form_the_documented_GET_is_sent()
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions { DebugTokenInBatch = false, HonourMethodOverride = false });
        using var client = Client(emulator);
        string su = await ReadySystemUserAsync(client);
        CreatedToken made = await client.CreateSystemUserTokenAsync(su, emulator.Seed.AppId, Scopes, true, CancellationToken.None);
        emulator.ResetRequestLog();

        Assert.True((await client.DebugTokenAsync(made.Token, CancellationToken.None)).IsValid);
        ExchangedToken renewed = await client.ExchangeTokenAsync(made.Token, CancellationToken.None);
        await client.RevokeTokenAsync(renewed.Token, CancellationToken.None);

        Assert.True(emulator.State.FindToken(SecretText.Reveal(renewed.Token))!.Revoked);
        foreach (string endpoint in new[] { "/debug_token", "/oauth/access_token", "/oauth/revoke" })
        {
            var calls = emulator.Requests.Where(r => r.Path.EndsWith(endpoint, StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[] { "POST", "GET" }, calls.Select(r => r.Method));
            Assert.Equal(400, calls[0].Status);
            Assert.Equal(200, calls[1].Status);
        }
    }

    // 3. Without the app secret, debug_token is asked with the connection's token: refused unless it is an app admin's.
    [Fact]
    public async Task Without_the_app_secret_a_caller_debug_token_refuses_is_said_once_for_all_tokens()
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions { RequireAppSecretProof = false });
        var texts = await BulkTokens.MakeAsync(emulator, 5);
        using var employee = Client(emulator, emulator.Seed.EmployeeUserToken, withSecret: false);
        emulator.ResetRequestLog();

        var outcomes = await employee.DebugTokensAsync(texts.Select(Secure).ToArray(), null, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(GraphErrorKind.AppTokenRequired, o.Error?.Kind));
        Assert.All(outcomes, o => Assert.Contains("app access token", o.Error!.Message, StringComparison.Ordinal));
        Assert.Equal(1, emulator.RequestCount); // the batch: no token is then tried on its own

        using var appAdmin = Client(emulator, emulator.Seed.AdminUserToken, withSecret: false);
        var answered = await appAdmin.DebugTokensAsync(texts.Select(Secure).ToArray(), null, CancellationToken.None);
        Assert.All(answered, o => Assert.True(o.Data?.IsValid));
    }

    // 4. fb_exchange_token and /oauth/revoke: Meta documents GETs; the secret goes in a POST body with method=GET.
    [Fact]
    public async Task Exchange_and_revoke_are_GETs_sent_as_POST_with_method_GET_so_the_secret_is_never_in_a_URL()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var client = Client(emulator);
        string su = await ReadySystemUserAsync(client);
        CreatedToken made = await client.CreateSystemUserTokenAsync(su, emulator.Seed.AppId, Scopes, true, CancellationToken.None);
        emulator.ResetRequestLog();

        ExchangedToken renewed = await client.ExchangeTokenAsync(made.Token, CancellationToken.None);
        await client.RevokeTokenAsync(made.Token, CancellationToken.None);

        Assert.NotNull(renewed.ExpiresIn);
        Assert.True(emulator.State.FindToken(SecretText.Reveal(made.Token))!.Revoked);
        Assert.Equal(2, emulator.RequestCount);
        Assert.All(emulator.Requests, r =>
        {
            Assert.Equal(("POST", "GET", 200), (r.Method, r.ServedAs, r.Status));
            Assert.DoesNotContain("client_secret", r.QueryKeys);
        });
        AssertConforms(emulator);
    }

    // 5. Meta documents no wording for these two errors: recognised by code and tolerant patterns, Meta's words kept.
    [Theory]
    [InlineData(100, "(#100) Business {business} requires expiring system user access tokens: set set_token_expires_in_60_days=true")]
    [InlineData(100, "(#100) System user access tokens of this business must expire within 60 days")]
    [InlineData(200, "(#200) Permanent tokens are not allowed for this business: use a token that expires")]
    public async Task Must_use_expiring_tokens_is_recognised_in_several_wordings(int code, string wording)
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions
        {
            RequireExpiringTokens = true, ExpiringTokensRequired = new GraphErrorWording(code, wording),
        });
        using var client = Client(emulator);
        string su = await ReadySystemUserAsync(client);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() =>
            client.CreateSystemUserTokenAsync(su, emulator.Seed.AppId, Scopes, false, CancellationToken.None));

        Assert.Equal(GraphErrorKind.MustUseExpiringTokens, ex.Kind);
        Assert.Equal(wording.Replace("{business}", emulator.Seed.BusinessId), ex.Message);
        Assert.Equal(code, ex.Code);
        Assert.False(string.IsNullOrEmpty(ex.FbTraceId));
    }

    [Theory]
    [InlineData(100, "(#100) Business {business} already has {count} system users, the most it can have ({max})")]
    [InlineData(100, "(#100) You have reached the maximum number of system users for this business")]
    [InlineData(200, "(#200) Too many system users: the system user limit of this business is {max}")]
    public async Task Too_many_system_users_is_recognised_in_several_wordings(int code, string wording)
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions
        {
            MaxSystemUsers = 1, SystemUserLimitReached = new GraphErrorWording(code, wording),
        });
        using var client = Client(emulator);
        await client.CreateSystemUserAsync("first", "EMPLOYEE", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<GraphApiException>(() => client.CreateSystemUserAsync("second", "EMPLOYEE", CancellationToken.None));

        Assert.Equal(GraphErrorKind.SystemUserLimitReached, ex.Kind);
        Assert.StartsWith($"(#{code}) ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("{", ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(ex.FbTraceId));
    }

    [Theory]
    [InlineData(100, "(#100) Invalid parameter")]
    [InlineData(190, "Error validating access token: Session has expired on Tuesday, 14-Jul-26 05:00:00 PDT.")]
    [InlineData(100, "(#100) Param name must be a system user name of at most 100 characters")]
    public void Neither_kind_is_read_into_other_errors(int code, string message)
    {
        var kind = GraphErrorClassifier.Classify(400, code, code == 190 ? 463 : null, message, false);
        Assert.NotEqual(GraphErrorKind.MustUseExpiringTokens, kind);
        Assert.NotEqual(GraphErrorKind.SystemUserLimitReached, kind);
    }

    // 6. system_user_access_tokens takes no business_app (Business.json).
    [Fact]
    public async Task Fetch_only_sends_only_the_params_Business_json_gives_the_edge()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var client = Client(emulator);
        string su = await ReadySystemUserAsync(client);
        await client.CreateSystemUserTokenAsync(su, emulator.Seed.AppId, Scopes, false, CancellationToken.None);
        emulator.ResetRequestLog();

        SecureString fetched = await client.FetchLatestTokenAsync(su, emulator.Seed.AppId, Scopes, CancellationToken.None);

        Assert.NotNull(emulator.State.FindToken(SecretText.Reveal(fetched)));
        RecordedRequest request = Assert.Single(emulator.Requests);
        Assert.DoesNotContain("business_app", request.BodyKeys);
        AssertConforms(emulator);
    }

    // 6. A page with a next link but no cursors is not the last page.
    [Fact]
    public async Task Paging_goes_on_by_the_next_link_where_a_page_has_no_cursors()
    {
        await using var emulator = await GraphEmulator.StartAsync(new EmulatorOptions { OmitPagingCursors = true, MaxSystemUsers = 200 });
        using var client = Client(emulator);
        for (int i = 0; i < 101; i++) await client.CreateSystemUserAsync($"svc-{i:000}", "EMPLOYEE", CancellationToken.None);
        emulator.ResetRequestLog();

        var users = await client.ListSystemUsersAsync(CancellationToken.None);

        Assert.Equal(101, users.Count);
        Assert.Equal(101, users.Select(u => u.Id).Distinct().Count());
        Assert.Equal(2, emulator.RequestCount);
    }

    private static async Task<string> ReadySystemUserAsync(GraphClient client)
    {
        string su = await client.CreateSystemUserAsync("svc", "EMPLOYEE", CancellationToken.None);
        await client.InstallAppAsync(su, client.Connection.AppId, CancellationToken.None);
        return su;
    }

    private static void AssertConforms(GraphEmulator emulator)
    {
        ConformanceReport report = SpecConformance.Check(emulator.Requests, emulator.NodeTypeOf);
        Assert.True(report.Conforms, report.ToTable());
    }

    private static GraphClient Client(GraphEmulator emulator, string? token = null, bool withSecret = true) =>
        new(new GraphConnectionInfo(emulator.Seed.BusinessId, emulator.Seed.AppId, Secure(token ?? emulator.Seed.AdminUserToken),
            withSecret ? Secure(emulator.Seed.AppSecret) : null, new GraphSettings(emulator.BaseUri)));

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
