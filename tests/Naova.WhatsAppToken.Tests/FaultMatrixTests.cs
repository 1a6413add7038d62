using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text.RegularExpressions;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Every exported cmdlet that calls Graph, against every fault the emulator can inject, over real HTTP: the outcome,
/// the number of requests the emulator received, and the ErrorRecord (ErrorId, category, target, remedy, no token).
/// The connection allows one retry with a 1 ms base delay and a 1 s request timeout, so no case waits for real backoff.
/// </summary>
public class FaultMatrixTests
{
    private const int Retries = 1;
    private const string Settings = " -MaxRetries 1 -RetryBaseDelayMilliseconds 1 -RequestTimeoutSeconds 1";
    private const string Connect = "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri" + Settings;
    private static readonly Regex TokenShape = new("EAA[A-Za-z0-9]{20,}");

    public enum Fault
    {
        None,
        Transient5xxThenSuccess,
        ThrottleThenSuccess,
        ThrottleBeyondBudget,
        TokenExpired190,
        Permission200,
        NotFound100Sub33,
        HtmlPage200,
        HtmlPage502ThenSuccess,
        EmptyBody,
        TruncatedJson,
        HugeBody,
        DroppedConnection,
        LatencyBeyondTimeout,
    }

    /// <summary>How the first request of a cmdlet behaves when it fails.</summary>
    public enum FirstCall
    {
        /// <summary>A read: every transient failure is retried.</summary>
        Read,

        /// <summary>New-WaToken: never repeated without Meta's answer; a lost answer is fetched back (fetch_only) instead.</summary>
        CreateToken,

        /// <summary>Test-WaToken: a batch; when Meta refuses it or answers oddly, each token is asked on its own.</summary>
        Batch,
    }

    public sealed record Cmdlet(string Name, string Setup, string Command, int Calls, FirstCall First, string OutputType, string ClassName);

    // Reading a system user is two requests: GET /{id} for its own fields, and the business's system_users edge for
    // its role (SystemUser.json has no role field; the list edge adds it). Connect-WaBusiness reads four times: the
    // business, the app, the admin token (debug_token) and the admin token's role (business_users of its person).
    private static readonly Cmdlet[] Cmdlets =
    {
        new("Connect-WaBusiness", "", Connect + " -PassThru", 4, FirstCall.Read, "WaConnection", "ConnectWaBusinessCommand"),
        new("Get-WaSystemUser", "$u = New-WaSystemUser -Name matrix-user", "Get-WaSystemUser -Id $u.Id", 2, FirstCall.Read, "WaSystemUser", "GetWaSystemUserCommand"),
        new("New-WaSystemUser", "", "New-WaSystemUser -Name matrix-new", 4, FirstCall.Read, "WaSystemUser", "NewWaSystemUserCommand"),
        new("Grant-WaAssets", "$u = New-WaSystemUser -Name matrix-user", "Grant-WaAssets -SystemUserId $u.Id -WhatsAppBusinessAccount $waba -Task MANAGE", 7, FirstCall.Read, "WaAssetGrant", "GrantWaAssetsCommand"),
        new("New-WaToken", "$g = New-WaSystemUser -Name matrix-user -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba", "New-WaToken -SystemUserId $g.SystemUserId", 1, FirstCall.CreateToken, "WaToken", "NewWaTokenCommand"),
        new("Test-WaToken", "$t = New-WaSystemUser -Name matrix-user -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken", "Test-WaToken -Token $t.Token", 1, FirstCall.Batch, "WaTokenReport", "TestWaTokenCommand"),
        new("Get-WaWhatsAppAccount", "", "Get-WaWhatsAppAccount -SkipPhoneNumber", 2, FirstCall.Read, "WaWhatsAppAccount", "GetWaWhatsAppAccountCommand"),
        new("Get-WaApp", "", "Get-WaApp", 2, FirstCall.Read, "WaApp", "GetWaAppCommand"),
        new("Revoke-WaToken -All", "$u = New-WaSystemUser -Name matrix-user", "Revoke-WaToken -All -SystemUserId $u.Id -Confirm:$false -PassThru", 1, FirstCall.Read, "WaTokenRevocation", "RevokeWaTokenCommand"),
        new("Revoke-WaToken", "$t = New-WaSystemUser -Name matrix-user -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken", "Revoke-WaToken -Token $t.Token -Confirm:$false -PassThru", 1, FirstCall.Read, "WaTokenRevocation", "RevokeWaTokenCommand"),
    };

    public static TheoryData<string, Fault> Matrix()
    {
        var data = new TheoryData<string, Fault>();
        foreach (var cmdlet in Cmdlets)
            foreach (Fault fault in Enum.GetValues<Fault>())
                data.Add(cmdlet.Name, fault);
        return data;
    }

    /// <summary>What must happen: how many requests Meta sees, and the ErrorRecord's reason (null: success).</summary>
    private static (int Calls, string? Reason) Expect(Cmdlet c, Fault fault)
    {
        int retried = Retries + 1;
        switch (fault)
        {
            case Fault.None:
                return (c.Calls, null);
            case Fault.Transient5xxThenSuccess:
                // A token request is never repeated after a 5xx (Meta may have made it): the fetch finds no token
                // newer than the request, so none was made, and it is asked once more.
                return c.First == FirstCall.CreateToken ? (3, null) : (c.Calls + 1, null);
            case Fault.ThrottleThenSuccess:
                return (c.Calls + 1, null); // Meta refused: even a create is retried, nothing was made
            case Fault.ThrottleBeyondBudget:
                return (1, "RateLimited");
            case Fault.TokenExpired190:
                return (1, "TokenExpired");
            case Fault.Permission200:
                return (1, "PermissionMissing");
            case Fault.NotFound100Sub33:
                return c.First == FirstCall.Batch ? (c.Calls + 1, null) : (1, "ObjectNotFound");
            case Fault.HtmlPage200:
            case Fault.EmptyBody:
            case Fault.TruncatedJson:
            case Fault.HugeBody:
                return c.First switch
                {
                    FirstCall.Batch => (c.Calls + 1, null),
                    FirstCall.CreateToken => (3, null), // no answer: the fetch finds nothing made, so it is asked once more
                    _ => (1, "MalformedResponse"),
                };
            case Fault.HtmlPage502ThenSuccess:
                return c.First == FirstCall.CreateToken ? (3, null) : (c.Calls + 1, null);
            case Fault.DroppedConnection:
                return c.First == FirstCall.CreateToken ? (3, null) : (c.Calls + 1, null);
            case Fault.LatencyBeyondTimeout:
                return c.First == FirstCall.CreateToken ? (1 + retried, "Timeout") : (retried, "Timeout");
            default:
                throw new ArgumentOutOfRangeException(nameof(fault));
        }
    }

    private static ErrorCategory CategoryOf(string reason) => reason switch
    {
        "RateLimited" => ErrorCategory.LimitsExceeded,
        "TokenExpired" => ErrorCategory.AuthenticationError,
        "PermissionMissing" => ErrorCategory.PermissionDenied,
        "ObjectNotFound" => ErrorCategory.ObjectNotFound,
        "MalformedResponse" => ErrorCategory.InvalidResult,
        "Transient" => ErrorCategory.ResourceUnavailable,
        "ConnectionFailed" => ErrorCategory.ConnectionError,
        "Timeout" => ErrorCategory.OperationTimeout,
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    private static void Inject(GraphEmulator emulator, Fault fault)
    {
        FaultSpec? spec = fault switch
        {
            Fault.Transient5xxThenSuccess => FaultSpec.GraphError(500, 1),
            Fault.ThrottleThenSuccess => FaultSpec.Throttle(code: 80008, estimatedMinutes: 0),
            Fault.ThrottleBeyondBudget => FaultSpec.Throttle(code: 4, estimatedMinutes: 60),
            Fault.TokenExpired190 => FaultSpec.GraphError(400, 190, 463, message: "Error validating access token: Session has expired on Monday, 23-Nov-26 10:00:00 PST."),
            Fault.Permission200 => FaultSpec.GraphError(403, 200, message: "(#200) Permissions error"),
            Fault.NotFound100Sub33 => FaultSpec.GraphError(400, 100, 33, type: "GraphMethodException",
                message: "Unsupported get request. Object with ID '1' does not exist, cannot be loaded due to missing permissions, or does not support this operation."),
            Fault.HtmlPage200 => FaultSpec.Html(200),
            Fault.HtmlPage502ThenSuccess => FaultSpec.Html(502),
            Fault.EmptyBody => FaultSpec.EmptyBody(),
            Fault.TruncatedJson => FaultSpec.TruncatedJson(),
            Fault.HugeBody => FaultSpec.HugeBody(5L * 1024 * 1024),
            Fault.DroppedConnection => FaultSpec.DropConnection(),
            _ => null,
        };
        if (spec != null) emulator.Faults.Enqueue(spec);
        if (fault == Fault.LatencyBeyondTimeout) emulator.Faults.Latency = TimeSpan.FromMinutes(10);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Cmdlet_under_fault(string cmdletName, Fault fault)
    {
        var c = Cmdlets.Single(x => x.Name == cmdletName);
        await using var s = await EmulatorSession.StartAsync();
        if (c.Name != "Connect-WaBusiness") s.Run(Connect + " -SkipCheck\n" + c.Setup).AssertClean();
        var secrets = Secrets(s);
        int usersBefore = s.Emulator.State.GetSystemUsers().Count;
        s.Emulator.ResetRequestLog();
        Inject(s.Emulator, fault);

        var r = s.Run(c.Command);
        s.Emulator.Faults.Clear();

        var (calls, reason) = Expect(c, fault);
        Assert.Equal(calls, s.Emulator.RequestCount);
        string text = r.AllText();
        foreach (string secret in secrets) Assert.DoesNotContain(secret, text);
        Assert.DoesNotMatch(TokenShape, text);

        if (reason == null)
        {
            r.AssertClean();
            Assert.NotEmpty(r.Of(c.OutputType));
            return;
        }
        // Test-WaToken may also end an audit that has a Failed report with AuditFailed: a summary of its own, not the Graph error.
        var error = Assert.Single(r.AllErrors(), e => !e.FullyQualifiedErrorId.StartsWith("AuditFailed,", StringComparison.Ordinal));
        Assert.Equal($"{reason},Naova.WhatsAppToken.Commands.{c.ClassName}", error.FullyQualifiedErrorId);
        Assert.Equal(CategoryOf(reason), error.CategoryInfo.Category);
        Assert.NotNull(error.TargetObject);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction), "no remedy");
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.Message), "no message");
        if (c.First == FirstCall.Batch)
            Assert.All(r.Of(c.OutputType), report => Assert.Equal("Unknown", report.S("Status"))); // never Healthy, nor Failed, for a token nobody checked
        else
            Assert.Empty(r.Of(c.OutputType));
        if (c.Name == "New-WaSystemUser") Assert.Equal(usersBefore, s.Emulator.State.GetSystemUsers().Count); // it failed before creating
    }

    [Fact]
    public async Task A_null_batch_item_is_asked_again_on_its_own_and_the_report_is_whole()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect + " -SkipCheck\n$t = New-WaSystemUser -Name matrix-user -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken").AssertClean();
        s.Emulator.ResetRequestLog();
        s.Emulator.Faults.NullBatchItems(1);

        var report = s.Run("Test-WaToken -Token $t.Token").AssertClean().One("WaTokenReport");

        Assert.Equal("Healthy", report.S("Status"));
        Assert.Equal(2, s.Emulator.RequestCount); // the batch, then debug_token for the item it left out
        Assert.Single(s.Emulator.Requests, r => r.Path.EndsWith("/debug_token", StringComparison.Ordinal));
    }

    /// <summary>The admin token, the app secret, and any token a setup made (read back from its SecureString).</summary>
    private static List<string> Secrets(EmulatorSession s)
    {
        var secrets = new List<string> { s.Seed.AdminUserToken, s.Seed.AppSecret };
        foreach (var value in s.Run("$t.Token").Output.Select(o => o?.BaseObject).OfType<SecureString>())
            secrets.Add(new NetworkCredential(string.Empty, value).Password);
        return secrets;
    }
}
