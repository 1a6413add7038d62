using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Issue 11, in the hosted engine against the emulator and the SecretManagement stand-in: an audit sends Meta only
/// tokens, a rotation leaves nothing stale, errors name the real cause, -PassThru leaves the default alone, a token
/// Meta could not be asked about is Unknown, and bad input gets a clear error and changes nothing.
/// </summary>
public class SafeToLeaveRunningTests
{
    private const string Connect = EmulatorSession.Connect;
    private const string Password = "correct horse battery staple";

    private static object[] Problems(PSObject report) => (object[])report.P("Problems")!;

    private static PSObject FirstProblem(PSObject report) => PSObject.AsPSObject(Problems(report)[0]);

    // ------------------------------------------------------------------ 1. the audit sends Meta only tokens

    [Fact]
    public async Task A_vault_wide_audit_sends_Meta_only_the_token_this_module_stored()
    {
        await using var s = await EmulatorSession.StartAsync();
        string fingerprint = s.Run(SecretManagementStandIn.Import + Connect + $$"""
            $t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
            $null = $t | Save-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN
            Set-Secret -Vault WithMetadata -Name META_APP_SECRET -SecureStringSecret $secret
            Set-Secret -Vault WithMetadata -Name META_ADMIN_TOKEN -SecureStringSecret $admin
            Set-Secret -Vault WithMetadata -Name DB_PASSWORD -Secret '{{Password}}'
            Set-Secret -Vault WithMetadata -Name SETTINGS -Secret @{ user = 'sa'; password = 'hunter2hunter2' }
            $t.Fingerprint
            """).AssertClean().Output[0].ToString();
        s.Emulator.ResetRequestLog();

        var r = s.Run("Get-SecretInfo -Vault WithMetadata | Test-WaToken -FailOn Warning -Verbose").AssertClean();

        var reports = r.Of("WaTokenReport");
        Assert.Equal(new[] { "Skipped", "Skipped", "Skipped", "Skipped", "Healthy" }, reports.Select(x => x.S("Status")));
        Assert.Equal(fingerprint, reports[4].S("Fingerprint"));
        Assert.All(reports.Take(4), x => Assert.Equal("NotStoredByModule", FirstProblem(x).S("Kind")));
        // Only the token reached Meta's debug_token; nothing else was sent anywhere.
        Assert.Equal(new[] { fingerprint }, s.Emulator.InspectedTokens);
        Assert.False(s.Emulator.Received(s.Seed.AppSecret));
        Assert.False(s.Emulator.Received(s.Seed.AdminUserToken));
        Assert.False(s.Emulator.Received(Password));
        Assert.False(s.Emulator.Received("hunter2hunter2"));
        // ... and only the token was read: the others' values were not even asked for.
        var read = r.Verbose.Select(v => v.Message).Where(m => m.StartsWith("Read token", StringComparison.Ordinal)).ToArray();
        Assert.Contains("WHATSAPP_ACCESS_TOKEN", Assert.Single(read));
    }

    [Fact]
    public async Task Where_the_vault_keeps_no_metadata_the_audit_says_how_to_name_the_tokens_and_a_named_one_is_checked()
    {
        await using var s = await EmulatorSession.StartAsync();
        string fingerprint = s.Run(SecretManagementStandIn.Import + Connect + $$"""
            $t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
            $null = $t | Save-WaToken -Vault WithoutMetadata -Name WHATSAPP_ACCESS_TOKEN -WarningAction SilentlyContinue
            Set-Secret -Vault WithoutMetadata -Name DB_PASSWORD -Secret '{{Password}}'
            $t.Fingerprint
            """).AssertClean().Output[0].ToString();
        s.Emulator.ResetRequestLog();

        var piped = s.Run("Get-SecretInfo -Vault WithoutMetadata | Test-WaToken").AssertClean().Of("WaTokenReport");
        Assert.All(piped, x => Assert.Equal("Skipped", x.S("Status")));
        Assert.Contains("Test-WaToken -Vault 'WithoutMetadata' -Name 'WHATSAPP_ACCESS_TOKEN'", piped[1].S("Remedy"));
        Assert.Empty(s.Emulator.InspectedTokens);

        var named = s.Run("""
            Test-WaToken -Vault WithoutMetadata -Name WHATSAPP_ACCESS_TOKEN; Test-WaToken -Vault WithoutMetadata -Name DB_PASSWORD
            'WHATSAPP_ACCESS_TOKEN', 'DB_PASSWORD' | ForEach-Object { [pscustomobject]@{ Vault = 'WithoutMetadata'; Name = $_ } } | Test-WaToken
            """).AssertClean().Of("WaTokenReport");
        Assert.Equal(new[] { "Healthy", "Skipped", "Healthy", "Skipped" }, named.Select(x => x.S("Status")));
        Assert.Equal("NotAToken", FirstProblem(named[1]).S("Kind"));
        Assert.Equal("NotAToken", FirstProblem(named[3]).S("Kind"));
        Assert.Equal(new[] { fingerprint, fingerprint }, s.Emulator.InspectedTokens);
        Assert.False(s.Emulator.Received(Password));
    }

    [Fact]
    public async Task The_report_table_shows_a_Skipped_secret_with_why_and_without_an_expiry()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var host = new TestHost();
        using var ps = new PsSession(host, importModule: true);
        var vars = new
        {
            biz = emulator.Seed.BusinessId, app = emulator.Seed.AppId, uri = emulator.BaseUri,
            admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken), secret = EmulatorSession.Secure(emulator.Seed.AppSecret),
        };
        ps.Run(SecretManagementStandIn.Import + Connect + "Set-Secret -Vault WithMetadata -Name DB_PASSWORD -Secret 'x'", vars).AssertClean();

        string table = ps.Render("Get-SecretInfo -Vault WithMetadata | Test-WaToken");

        // One line: the secret, its status and why (the long explanation is in -Verbose and the help).
        Assert.Matches(@"DB_PASSWORD\s+Skipped\s+not stored by this module", table);
        Assert.DoesNotContain("Unknown", table);
    }

    // ------------------------------------------------------------------ 2. a rotation leaves nothing stale

    [Fact]
    public async Task After_a_rotation_nothing_stale_is_left_and_the_daily_audit_passes_with_a_clean_Error()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import + Connect + """
            $null = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken | Save-WaToken -Vault WithMetadata
            """).AssertClean();

        var r = s.Run("$Error.Clear(); $rotation = Update-WaToken -Vault WithMetadata; $rotation.Completed; $Error.Count; @($Error | ForEach-Object { [string]$_.FullyQualifiedErrorId }) -join ' | '").AssertClean();

        Assert.Equal(true, r.Output[0].BaseObject);
        Assert.True(0.Equals(r.Output[1].BaseObject), "left in $Error: " + r.Output[2]);
        Assert.Empty(s.Run("Get-SecretInfo -Vault WithMetadata -Name *PREVIOUS*").AssertClean().Output);
        var audit = s.Run("Get-SecretInfo -Vault WithMetadata | Test-WaToken -FailOn Warning").AssertClean();
        Assert.Equal("Healthy", audit.One("WaTokenReport").S("Status"));
    }

    [Fact]
    public async Task A_rotation_of_a_env_file_empties_the_kept_copy_and_the_next_rotation_still_works()
    {
        string folder = Directory.CreateTempSubdirectory("wa-rotate-").FullName;
        string env = Path.Combine(folder, ".env");
        try
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Ps.Runspace.SessionStateProxy.SetVariable("env", env);
            s.Run(Connect + "$null = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken | Save-WaToken -EnvFile $env").AssertClean();

            Assert.True((bool)s.Run("(Update-WaToken -EnvFile $env).Completed").AssertClean().Output[0].BaseObject);
            Assert.Contains(File.ReadAllLines(env), l => l == "WHATSAPP_ACCESS_TOKEN_PREVIOUS=");
            Assert.True((bool)s.Run("(Update-WaToken -EnvFile $env).Completed").AssertClean().Output[0].BaseObject);
            Assert.Contains(File.ReadAllLines(env), l => l == "WHATSAPP_ACCESS_TOKEN_PREVIOUS=");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // ------------------------------------------------------------------ 3. errors name the real cause, once

    [Fact]
    public async Task An_employee_making_a_token_is_told_to_connect_as_a_business_admin_not_that_a_scope_is_missing()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect + "$su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba").AssertClean();
        s.Ps.Runspace.SessionStateProxy.SetVariable("employee", EmulatorSession.Secure(s.Seed.EmployeeUserToken));

        // By id, not piped: $su carries the admin's connection, and would take it along.
        var r = s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $employee -AppSecret $secret -GraphUri $uri -SkipCheck; New-WaToken -SystemUserId $su.SystemUserId");

        var error = r.SingleError();
        Assert.Equal("NotBusinessAdmin,Naova.WhatsAppToken.Commands.NewWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("connect as a business admin", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("lacks a scope", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public async Task A_lapsed_60_day_token_is_told_to_make_another_60_day_token_not_a_permanent_one()
    {
        await using var s = await EmulatorSession.StartAsync(new EmulatorOptions { RequireExpiringTokens = true });
        s.Run(Connect + "$t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken -Expiration SixtyDays").AssertClean();
        s.Emulator.Clock.Advance(TimeSpan.FromDays(61));

        var report = s.Run("$t | Test-WaToken").AssertClean().One("WaTokenReport");

        Assert.Equal("Failed", report.S("Status"));
        Assert.Equal("ExpiredSixtyDay", FirstProblem(report).S("Kind"));
        Assert.Contains("-Expiration SixtyDays", report.S("Remedy"));
        Assert.DoesNotContain("-Expiration Never", report.S("Remedy"));
    }

    [Fact]
    public async Task The_remedy_is_said_once_where_the_host_prints_RecommendedAction()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(Connect + "New-WaSystemUser -Name svc -Role Employee", s.Vars(s.Seed.EmployeeUserToken));

        var error = r.SingleError();
        string remedy = error.ErrorDetails.RecommendedAction;
        Assert.False(string.IsNullOrWhiteSpace(remedy));
        // PowerShell 7.5+ (this is 7.6) prints RecommendedAction as "Recommendation:" under the message.
        Assert.DoesNotContain(remedy, error.ErrorDetails.Message);
        Assert.Contains("Graph error 200", error.ErrorDetails.Message);
    }

    // ------------------------------------------------------------------ 4. -PassThru leaves the default alone; Connect says whom

    [Fact]
    public async Task PassThru_returns_a_connection_without_replacing_the_default_and_Connect_says_whom_it_connected_to()
    {
        await using var s = await EmulatorSession.StartAsync();
        var plain = s.Run(Connect + "$first = Get-WaConnection").AssertClean();
        var said = Assert.Single(plain.Information, i => i.Tags.Contains("PSHOST")).MessageData.ToString()!;
        Assert.Contains(s.Seed.BusinessName, said);
        Assert.Contains(s.Seed.AppName, said);
        Assert.Contains("USER, never expires", said);
        Assert.Contains("Commands in this session use this connection", said);
        Assert.DoesNotContain(s.Seed.AdminUserToken, said);

        var side = s.Run("$side = " + Connect.TrimEnd() + " -PassThru; [object]::ReferenceEquals((Get-WaConnection), $first); $side.IsDefault").AssertClean();
        Assert.Equal(true, side.Output[0].BaseObject);
        Assert.Equal(false, side.Output[1].BaseObject);

        var both = s.Run("$both = " + Connect.TrimEnd() + " -PassThru -Default; [object]::ReferenceEquals((Get-WaConnection), $both)").AssertClean();
        Assert.Equal(true, both.Output[0].BaseObject);
    }

    // ------------------------------------------------------------------ 5. a token Meta could not be asked about is Unknown

    [Fact]
    public async Task With_Meta_unreachable_a_token_is_Unknown_not_Failed_and_FailOn_treats_Unknown_as_its_own_case()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect + "$t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken").AssertClean();
        s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -SkipCheck -MaxRetries 0").AssertClean();

        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), count: 10);
        var failedOnly = s.Run("$t | Test-WaToken -FailOn Warning");
        s.Emulator.Faults.Clear();
        var report = failedOnly.One("WaTokenReport");
        Assert.Equal("Unknown", report.S("Status"));
        Assert.Equal(false, report.P("IsValid"));
        Assert.Equal("CheckFailed", FirstProblem(report).S("Kind"));
        Assert.DoesNotContain(failedOnly.AllErrors(), e => e.FullyQualifiedErrorId.StartsWith("AuditFailed,", StringComparison.Ordinal));
        Assert.Contains(failedOnly.Warnings, w => w.Message.Contains("-FailOn Unknown"));

        s.Emulator.Faults.Enqueue(FaultSpec.DropConnection(), count: 10);
        var unknown = s.Run("$t | Test-WaToken -FailOn Unknown");
        s.Emulator.Faults.Clear();
        Assert.Equal("Unknown", unknown.One("WaTokenReport").S("Status"));
        var audit = Assert.Single(unknown.AllErrors(), e => e.FullyQualifiedErrorId.StartsWith("AuditFailed,", StringComparison.Ordinal));
        Assert.Contains("1 Unknown", audit.ErrorDetails.Message);
    }

    // ------------------------------------------------------------------ 6. bad input: a clear error, nothing changed

    [Theory]
    [InlineData("'   '")]
    [InlineData("\"svc`nnext\"")]
    [InlineData("\"svc`0\"")]
    public async Task A_blank_or_control_character_system_user_name_is_refused_before_any_call(string name)
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect).AssertClean();
        s.Emulator.ResetRequestLog();

        var error = s.Run("New-WaSystemUser -Name " + name + " -Role Admin").SingleError();

        Assert.Equal("InvalidSystemUserName,Naova.WhatsAppToken.Commands.NewWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails.RecommendedAction));
        Assert.Equal(0, s.Emulator.RequestCount);
        Assert.Empty(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task A_WABA_list_with_one_unknown_id_changes_nothing()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect + "$su = New-WaSystemUser -Name svc -Role Employee").AssertClean();

        var r = s.Run("Grant-WaAssets -SystemUserId $su.Id -WhatsAppBusinessAccount $waba, 999999999999999 -Task MANAGE");

        var error = r.SingleError();
        Assert.StartsWith("ObjectNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("999999999999999", error.TargetObject);
        Assert.Empty(r.Of("WaAssetGrant"));
        var user = s.Emulator.State.GetSystemUsers().Single();
        Assert.Empty(user.InstalledAppIds);
        Assert.False(s.Emulator.State.GetWabaAssignments(s.Seed.WabaId).ContainsKey(user.Id));
    }

    [Fact]
    public async Task A_token_asked_with_business_management_alone_is_made_with_a_warning()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(Connect + "New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken -Scope business_management").AssertClean();

        var warning = Assert.Single(r.Warnings, w => w.Message.Contains("whatsapp_business_messaging"));
        Assert.Contains("whatsapp_business_management", warning.Message);
        Assert.Single(r.Of("WaToken"));
    }

    [Fact]
    public async Task An_admin_token_and_app_secret_with_a_trailing_newline_connect_and_a_blank_token_is_EmptyAccessToken()
    {
        await using var s = await EmulatorSession.StartAsync();
        var ok = s.Run(Connect + "(Get-WaConnection).BusinessName", s.Vars(s.Seed.AdminUserToken + "\r\n")).AssertClean();
        Assert.Equal(s.Seed.BusinessName, ok.Output.Last().ToString());

        var blank = s.Run(Connect, s.Vars(" \n\t ")).SingleError();
        Assert.Equal("EmptyAccessToken,Naova.WhatsAppToken.Commands.ConnectWaBusinessCommand", blank.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrWhiteSpace(blank.ErrorDetails.RecommendedAction));
    }

    [Fact]
    public async Task Connect_refuses_an_AppId_that_does_not_exist_and_leaves_no_default()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run("Connect-WaBusiness -BusinessId $biz -AppId 999999999999999 -AccessToken $admin -AppSecret $secret -GraphUri $uri");

        var error = r.SingleError();
        Assert.Equal("AppNotFound,Naova.WhatsAppToken.Commands.ConnectWaBusinessCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Get-WaApp", error.ErrorDetails.RecommendedAction);
        Assert.Empty(s.Run("Get-WaConnection").AssertClean().Output);
    }

    [Fact]
    public async Task A_folder_or_a_device_as_EnvFile_gets_a_clear_error_and_nothing_is_written()
    {
        string folder = Directory.CreateTempSubdirectory("wa-envdir-").FullName;
        try
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Ps.Runspace.SessionStateProxy.SetVariable("dir", folder);
            s.Run(Connect + "$t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken").AssertClean();

            var save = s.Run("$t | Save-WaToken -EnvFile $dir").SingleError();
            Assert.Equal("EnvFileIsDirectory,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", save.FullyQualifiedErrorId);
            Assert.Contains(".env", save.ErrorDetails.RecommendedAction);
            Assert.StartsWith("EnvFileIsDirectory,", Assert.Single(s.Run("Test-WaToken -EnvFile $dir").Errors).FullyQualifiedErrorId);
            Assert.Empty(Directory.GetFileSystemEntries(folder));

            if (File.Exists("/dev/full"))
            {
                var full = s.Run("$t | Save-WaToken -EnvFile /dev/full");
                Assert.Null(full.Terminating);
                Assert.Equal("EnvFileNotAFile,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", full.SingleError().FullyQualifiedErrorId);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Confirm_in_a_host_that_can_not_ask_is_ConfirmationNeeded_and_nothing_is_made()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect).AssertClean();

        var error = s.Run("New-WaSystemUser -Name svc -Role Admin -Confirm").SingleError();

        Assert.Equal("ConfirmationNeeded,Naova.WhatsAppToken.Commands.NewWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Empty(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task Rotating_the_kept_copy_is_refused_with_a_remedy_that_names_the_token_to_rotate()
    {
        await using var s = await EmulatorSession.StartAsync();
        var error = s.Run(SecretManagementStandIn.Import + Connect + "Update-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN_PREVIOUS").SingleError();

        Assert.StartsWith("IsPreviousToken,", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("{", error.ErrorDetails.RecommendedAction);
        Assert.Contains("'WHATSAPP_ACCESS_TOKEN'", error.ErrorDetails.RecommendedAction);
    }
}
