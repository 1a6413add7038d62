using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

public class GrantTests
{
    [Fact]
    public async Task Grant_installs_the_app_assigns_the_waba_reads_back_and_warns_about_older_tokens()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE, DEVELOP").AssertClean();
        var grant = r.One("WaAssetGrant");
        var user = Assert.Single(s.Emulator.State.GetSystemUsers());

        Assert.Contains(s.Seed.AppId, user.InstalledAppIds);
        Assert.Equal(new[] { "DEVELOP", "MANAGE" }, s.Emulator.State.GetWabaAssignments(s.Seed.WabaId)[user.Id].OrderBy(t => t));
        Assert.Equal(true, grant.P("AppInstalled"));
        Assert.Equal(true, grant.P("Changed"));
        var held = Assert.Single((object[])grant.P("WhatsAppBusinessAccounts")!);
        Assert.Contains(s.Seed.WabaId, held.ToString());
        // A new system user has no token yet (none can exist before an app is installed for it): nothing to warn about.
        Assert.DoesNotContain(r.Warnings, w => w.Message.Contains("New-WaToken"));
        Assert.Contains(r.Progress, p => p.Activity.Contains(user.Id));
    }

    [Fact]
    public async Task Running_Grant_again_changes_nothing_and_does_not_warn()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "$u = New-WaSystemUser -Name svc; $u | Grant-WaAssets -WhatsAppBusinessAccount $waba").AssertClean();
        var before = s.Emulator.State.GetWabaAssignments(s.Seed.WabaId);
        s.Emulator.ResetRequestLog();

        var again = s.Run("$u | Grant-WaAssets -WhatsAppBusinessAccount $waba").AssertClean();

        Assert.Equal(false, again.One("WaAssetGrant").P("Changed"));
        Assert.Empty(again.Warnings);
        Assert.DoesNotContain(s.Emulator.Requests, q => q.Method == "POST");
        Assert.Equal(before.Keys, s.Emulator.State.GetWabaAssignments(s.Seed.WabaId).Keys);
    }

    [Fact]
    public async Task WhatIf_installs_and_assigns_nothing()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba -WhatIf").AssertClean();
        var user = Assert.Single(s.Emulator.State.GetSystemUsers());
        Assert.Empty(user.InstalledAppIds);
        Assert.False(s.Emulator.State.GetWabaAssignments(s.Seed.WabaId).ContainsKey(user.Id));
    }

    [Fact]
    public async Task An_unknown_task_is_sent_with_a_warning_and_Meta_decides()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE, FUTURE_TASK");
        Assert.Contains(r.Warnings, w => w.Message.Contains("FUTURE_TASK"));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("InvalidParameter,", error.FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("VIEW_INSIGHTS")]
    [InlineData("MANAGE_USERS")]
    [InlineData("MANAGE_BILLING")]
    public async Task A_task_named_on_partner_pages_but_not_in_Metas_spec_enum_is_warned_about_and_not_completed(string task)
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc | Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE, " + task);
        // The same warning as for any task the module does not know: the user hears it before Meta refuses.
        Assert.Contains(r.Warnings, w => w.Message.Contains(task) && !w.Message.Contains(task + ","));
        Assert.StartsWith("InvalidParameter,", Assert.Single(r.Errors).FullyQualifiedErrorId);

        var completions = s.Run("(TabExpansion2 -inputScript 'Grant-WaAssets -Task ' -cursorColumn 21).CompletionMatches.CompletionText").Output.Select(o => o.ToString()).ToArray();
        Assert.Contains("MESSAGING", completions);
        Assert.DoesNotContain(task, completions);
    }
}
