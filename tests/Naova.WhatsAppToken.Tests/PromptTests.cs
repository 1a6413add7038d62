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
}
