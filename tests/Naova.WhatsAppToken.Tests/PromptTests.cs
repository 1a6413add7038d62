using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// What a sysadmin meets at the prompt (issue 25): remedies that name the command that lists the right ids, warnings
/// that name the command that fixes them, and -WhatIf through the whole pipeline for a system user that does not exist
/// yet, read from a host that renders it. The connect banner is tested in real pwsh (tests/Pester/Prompt.Tests.ps1):
/// what a host shows of an information record is the host's doing.
/// </summary>
public class PromptTests
{
    private static object Vars(GraphEmulator emulator) => new
    {
        biz = emulator.Seed.BusinessId,
        app = emulator.Seed.AppId,
        admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken),
        secret = EmulatorSession.Secure(emulator.Seed.AppSecret),
        uri = emulator.BaseUri,
        waba = emulator.Seed.WabaId,
        waba2 = emulator.Seed.SecondWabaId,
    };

    [Fact]
    public async Task An_employees_token_connects_with_a_warning_naming_what_will_fail_and_an_admins_without()
    {
        await using var s = await EmulatorSession.StartAsync();
        var admin = s.Run(EmulatorSession.Connect + "Disconnect-WaBusiness").AssertClean();
        Assert.Empty(admin.Warnings);

        var employee = s.Run(EmulatorSession.Connect, s.Vars(s.Seed.EmployeeUserToken)).AssertClean();
        string warning = Assert.Single(employee.Warnings).Message;
        foreach (string word in new[] { "EMPLOYEE", s.Seed.BusinessId, "New-WaSystemUser", "New-WaToken", "NotBusinessAdmin" })
            Assert.Contains(word, warning);
        // What the warning says will fail does fail, with the error it names.
        Assert.StartsWith("NotBusinessAdmin,", s.Run("New-WaSystemUser -Name svc").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public async Task An_employee_system_users_token_connects_with_the_warning_too()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "$t = New-WaSystemUser -Name staff -Role Employee | Grant-WaAssets | New-WaToken").AssertClean();

        var r = s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $t.Token -AppSecret $secret -GraphUri $uri").AssertClean();

        string warning = Assert.Single(r.Warnings).Message;
        Assert.Contains("SYSTEM_USER", warning);
        Assert.Contains("New-WaToken", warning);
    }

    [Fact]
    public async Task A_wrong_BusinessId_gets_a_remedy_that_says_where_the_id_is()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run("Connect-WaBusiness -BusinessId 999999999999999 -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri");

        var error = r.SingleError();
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("-BusinessId", error.ErrorDetails.RecommendedAction);
        Assert.Contains("Business Settings", error.ErrorDetails.RecommendedAction);
        Assert.Empty(s.Run("Get-WaConnection").AssertClean().Output);
    }

    [Fact]
    public async Task A_wrong_WhatsApp_account_id_gets_a_remedy_that_points_at_Get_WaWhatsAppAccount_and_changes_nothing()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount 199999999999999");

        var error = r.SingleError();
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("199999999999999", error.TargetObject);
        Assert.Contains("Get-WaWhatsAppAccount", error.ErrorDetails.RecommendedAction);
        Assert.Empty(Assert.Single(s.Emulator.State.GetSystemUsers()).InstalledAppIds);
    }

    [Fact]
    public async Task A_grant_to_a_user_that_has_tokens_warns_and_names_Update_WaToken()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "$u = New-WaSystemUser -Name svc; $u | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken | Out-Null").AssertClean();

        var r = s.Run("$u | Grant-WaAssets -WhatsAppBusinessAccount $waba2").AssertClean();

        var warning = Assert.Single(r.Warnings).Message;
        Assert.Contains("Update-WaToken", warning);
    }

    [Fact]
    public async Task WhatIf_on_the_whole_pipeline_for_a_new_system_user_shows_every_step_and_changes_nothing()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var session = new PsSession(new TestHost(width: 400), importModule: true);
        session.Run(EmulatorSession.Connect, Vars(emulator)).AssertClean();
        emulator.ResetRequestLog();

        var r = session.Run("New-WaSystemUser -Name brand-new -Role Admin -WhatIf | Grant-WaAssets -WhatsAppBusinessAccount $waba, $waba2 -WhatIf | New-WaToken -WhatIf", Vars(emulator)).AssertClean();

        string shown = session.Host!.Text;
        foreach (string step in new[]
                 {
                     "system user 'brand-new' (Admin)", "Install app " + emulator.Seed.AppId,
                     "Assign WhatsApp Business Account " + emulator.Seed.WabaId + " with tasks MANAGE",
                     "Assign WhatsApp Business Account " + emulator.Seed.SecondWabaId + " with tasks MANAGE",
                     "system user to be created by New-WaSystemUser, app " + emulator.Seed.AppId, "business_management",
                 })
            Assert.True(shown.Contains(step, StringComparison.Ordinal), $"-WhatIf did not show \"{step}\":\n{shown}");
        Assert.Equal(5, shown.Split("What if:").Length - 1);
        Assert.Empty(r.Output);
        Assert.Empty(emulator.State.GetSystemUsers());
        Assert.DoesNotContain(emulator.Requests, q => q.Method != "GET");
    }
}
