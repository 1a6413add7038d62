using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>The cmdlets against the Meta-strict emulator where Meta's answers are not the emulator's own invention.</summary>
public sealed class MetaStrictTests
{
    // Meta documents no wording for either error: whatever words it uses, the ErrorRecord keeps them and its fbtrace_id.
    [Theory]
    [InlineData(100, "(#100) Business {business} requires expiring system user access tokens: set set_token_expires_in_60_days=true")]
    [InlineData(200, "(#200) System user tokens of this business must expire within 60 days")]
    public async Task Must_use_expiring_tokens_keeps_Metas_words_and_trace_id_in_the_ErrorRecord(int code, string wording)
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions
        {
            RequireExpiringTokens = true, ExpiringTokensRequired = new GraphErrorWording(code, wording),
        });
        s.Run(EmulatorSession.Connect + "$g = New-WaSystemUser -Name strict -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba").AssertClean();

        var error = s.Run("$g | New-WaToken -Expiration Never").SingleError();

        AssertMetasWords(error, "MustUseExpiringTokens,Naova.WhatsAppToken.Commands.NewWaTokenCommand", ErrorCategory.InvalidOperation,
            wording.Replace("{business}", s.Seed.BusinessId));
        Assert.Contains("SixtyDays", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, "(#100) Business {business} already has {count} system users, the most it can have ({max})")]
    [InlineData(200, "(#200) Too many system users for this business (limit {max})")]
    public async Task Too_many_system_users_keeps_Metas_words_and_trace_id_in_the_ErrorRecord(int code, string wording)
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions
        {
            MaxSystemUsers = 1, SystemUserLimitReached = new GraphErrorWording(code, wording),
        });
        s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name first").AssertClean();

        var error = s.Run("New-WaSystemUser -Name second").SingleError();

        AssertMetasWords(error, "SystemUserLimitReached,Naova.WhatsAppToken.Commands.NewWaSystemUserCommand", ErrorCategory.QuotaExceeded,
            wording.Replace("{business}", s.Seed.BusinessId).Replace("{count}", "1").Replace("{max}", "1"));
        Assert.Single(s.Emulator.State.GetSystemUsers());
    }

    // Without -AppSecret, debug_token is asked with the connection's token; Meta takes it only from an app admin or developer.
    [Fact]
    public async Task Without_an_app_secret_Test_WaToken_says_once_that_debug_token_needs_an_app_token()
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { RequireAppSecretProof = false });
        var tokens = await BulkTokens.MakeAsync(s.Emulator, 3);
        s.Emulator.ResetRequestLog();

        var r = s.Run("""
            Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -GraphUri $uri -SkipCheck
            $tokens | Test-WaToken
            """, new { biz = s.Seed.BusinessId, app = s.Seed.AppId, admin = EmulatorSession.Secure(s.Seed.EmployeeUserToken), uri = s.Emulator.BaseUri, tokens = tokens.Select(EmulatorSession.Secure).ToArray() });

        var reports = r.Of("WaTokenReport");
        Assert.True(reports.Length == 3, r.AllText());
        Assert.Equal(3, reports.Length);
        foreach (var report in reports)
        {
            Assert.Equal("Unknown", report.S("Status")); // Meta could not be asked about it: neither healthy nor failed
            var problem = Assert.Single(((System.Collections.IEnumerable)report.P("Problems")!).Cast<object>());
            Assert.Contains("-AppSecret", PSObject.AsPSObject(problem).S("Remedy"), StringComparison.Ordinal);
        }
        Assert.Equal(1, s.Emulator.RequestCount); // one batch; no token asked on its own
    }

    private static void AssertMetasWords(ErrorRecord error, string errorId, ErrorCategory category, string metaMessage)
    {
        Assert.Equal(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        // The engine loads in the module's own load context: its exception is read by name, not by type.
        Assert.Equal("GraphApiException", error.Exception.GetType().Name);
        Assert.Equal(metaMessage, error.Exception.Message);
        string? traceId = PSObject.AsPSObject(error.Exception).S("FbTraceId");
        Assert.False(string.IsNullOrEmpty(traceId));
        Assert.Contains(metaMessage, error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains(traceId!, error.ErrorDetails.Message, StringComparison.Ordinal);
    }
}
