using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Bad input is refused before any call: the emulator sees no request, nothing changes, and the error names the
/// parameter and says what is allowed. Unknown but well-formed scopes and tasks are sent, with a warning, since Meta
/// adds new ones; the known ones complete with Tab.
/// </summary>
public class InputValidationTests
{
    private const string Connected = "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -SkipCheck\n";
    private const string ConnectArgs = "-BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret";

    public static TheoryData<string, string, string> BadInput() => new()
    {
        // command, the parameter the error must name, words of what is allowed
        { $"Connect-WaBusiness -BusinessId abc -AppId $app -AccessToken $admin -GraphUri $uri", "BusinessId", "numbers" },
        { $"Connect-WaBusiness -BusinessId $biz -AppId '12 34' -AccessToken $admin -GraphUri $uri", "AppId", "numbers" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri $uri -ApiVersion 26.0", "ApiVersion", "vNN.N" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri $uri -ApiVersion 'v26.0/../x'", "ApiVersion", "vNN.N" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri http://graph.example.com/", "GraphUri", "https" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri 'https://graph.example.com/?access_token=x'", "GraphUri", "query" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri 'https://user:pw@graph.example.com/'", "GraphUri", "user info" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri 'ftp://graph.example.com/'", "GraphUri", "https" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri $uri -RequestTimeoutSeconds 0", "RequestTimeoutSeconds", "1" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri $uri -MaxRetries -1", "MaxRetries", "0" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri $uri -MaxTotalWaitSeconds 0", "MaxTotalWaitSeconds", "1" },
        { $"Connect-WaBusiness {ConnectArgs} -GraphUri $uri -RetryBaseDelayMilliseconds -5", "RetryBaseDelayMilliseconds", "0" },
        { "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $empty -GraphUri $uri", "AccessToken", "empty" },
        { Connected + "Get-WaSystemUser -Id '../1'", "Id", "numbers" },
        { Connected + "Get-WaSystemUser -Id '1;2'", "Id", "numbers" },
        { Connected + "New-WaSystemUser -Name ''", "Name", "" },
        { Connected + "New-WaSystemUser -Name svc -Role Boss", "Role", "Admin" },
        { Connected + "Grant-WaAssets -SystemUserId abc -WhatsAppBusinessAccount $waba", "SystemUserId", "numbers" },
        { Connected + "Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccount 'x1'", "WhatsAppBusinessAccount", "numbers" },
        { Connected + "Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccount $waba -Task 'MANAGE,DEVELOP'", "Task", "array" },
        { Connected + "Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccount $waba -Task ''", "Task", "" },
        { Connected + "Grant-WaAssets -SystemUserId 1 -AppId 'app'", "AppId", "numbers" },
        { Connected + "New-WaToken -SystemUserId x", "SystemUserId", "numbers" },
        { Connected + "New-WaToken -SystemUserId 1 -Scope 'business_management,whatsapp_business_messaging'", "Scope", "array" },
        { Connected + "New-WaToken -SystemUserId 1 -Scope \"whatsapp_business_messaging`nads_management\"", "Scope", "letters, digits and underscores" },
        { Connected + "New-WaToken -SystemUserId 1 -Expiration Forever", "Expiration", "Never" },
        { Connected + "Revoke-WaToken -All -SystemUserId 'abc' -Confirm:$false", "SystemUserId", "numbers" },
        { Connected + "Get-WaWhatsAppAccount -WhatsAppBusinessAccountId 'waba'", "WhatsAppBusinessAccountId", "numbers" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_refused_before_any_call_naming_the_parameter(string command, string parameter, string allowed)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Emulator.ResetRequestLog();

        var r = s.Ps.Run(command, new
        {
            biz = s.Seed.BusinessId, app = s.Seed.AppId, admin = EmulatorSession.Secure(s.Seed.AdminUserToken), secret = EmulatorSession.Secure(s.Seed.AppSecret),
            uri = s.Emulator.BaseUri, waba = s.Seed.WabaId, empty = EmulatorSession.Secure(""),
        });

        Assert.Equal(0, s.Emulator.RequestCount);
        Assert.Empty(s.Emulator.State.GetSystemUsers());
        var error = r.SingleError();
        string said = error.Exception.Message + " " + error.ErrorDetails?.Message;
        Assert.Contains(parameter, said);
        Assert.Contains(allowed, said, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData });
        Assert.DoesNotContain(s.Seed.AdminUserToken, r.AllText());
        if (!command.StartsWith(Connected, StringComparison.Ordinal))
            Assert.Empty(s.Ps.Run("Get-WaConnection").AssertClean().Output); // no connection was kept
    }

    [Fact]
    public async Task An_unknown_but_well_formed_scope_is_sent_with_a_warning()
    {
        await using var s = await EmulatorSession.StartAsync();
        var setup = s.Run(Connected + "$g = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba").AssertClean();
        s.Emulator.ResetRequestLog();

        var r = s.Run("New-WaToken -SystemUserId $g.SystemUserId -Scope business_management,whatsapp_business_management,whatsapp_business_messaging,Brand_New_Scope");

        var warning = Assert.Single(r.Warnings);
        Assert.Contains("brand_new_scope", warning.Message);
        Assert.Equal(1, s.Emulator.RequestCount); // sent: Meta (here the emulator, which knows no such scope) decides
        Assert.Equal("InvalidParameter,Naova.WhatsAppToken.Commands.NewWaTokenCommand", r.SingleError().FullyQualifiedErrorId);
        _ = setup;
    }

    [Fact]
    public async Task An_unknown_but_well_formed_task_is_sent_with_a_warning()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connected + "$u = New-WaSystemUser -Name svc").AssertClean();
        s.Emulator.ResetRequestLog();

        var r = s.Run("Grant-WaAssets -SystemUserId $u.Id -WhatsAppBusinessAccount $waba -Task manage,BRAND_NEW_TASK");

        Assert.Contains(r.Warnings, w => w.Message.Contains("BRAND_NEW_TASK") && w.Message.Contains("MANAGE"));
        Assert.Contains(s.Emulator.Requests, q => q.Method == "POST" && q.Path.EndsWith("/assigned_users", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("New-WaToken -Scope whatsapp_business_m", "whatsapp_business_management", "whatsapp_business_messaging")]
    [InlineData("Test-WaToken -RequiredScope business_", "business_management", null)]
    [InlineData("Grant-WaAssets -Task MANAGE_", "MANAGE_TEMPLATES", "MANAGE_PHONE")]
    [InlineData("Grant-WaAssets -Task view_", "VIEW_COST", "VIEW_TEMPLATES")]
    public void Known_scopes_and_tasks_complete_with_tab(string line, string first, string? second)
    {
        using var ps = new PsSession();
        var r = ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", new { line });
        var matches = r.AssertClean().Output.Select(o => o.ToString()).ToArray();
        Assert.Contains(first, matches);
        if (second != null) Assert.Contains(second, matches);
        Assert.All(matches, m => Assert.StartsWith(line[(line.LastIndexOf(' ') + 1)..], m, StringComparison.OrdinalIgnoreCase));
    }
}
