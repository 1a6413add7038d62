using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

public class SystemUserTests
{
    [Fact]
    public async Task Running_New_WaSystemUser_again_reuses_the_existing_user_instead_of_duplicating_it()
    {
        await using var s = await EmulatorSession.StartAsync();
        var first = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc -Role Employee").AssertClean().One("WaSystemUser");
        var second = s.Run("New-WaSystemUser -Name SVC -Role Employee").AssertClean().One("WaSystemUser");

        Assert.Equal(true, first.P("Created"));
        Assert.Equal(false, second.P("Created"));
        Assert.Equal(first.S("Id"), second.S("Id"));
        Assert.Single(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task Reusing_a_user_of_another_role_warns_and_changes_nothing()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc -Role Employee").AssertClean();
        var again = s.Run("New-WaSystemUser -Name svc -Role Admin").AssertClean();
        Assert.Contains(again.Warnings, w => w.Message.Contains("Employee") && w.Message.Contains("Admin"));
        Assert.Equal("EMPLOYEE", Assert.Single(s.Emulator.State.GetSystemUsers()).Role);
    }

    [Fact]
    public async Task WhatIf_creates_no_system_user()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc -Role Admin -WhatIf").AssertClean();
        // The user it would create goes down the pipeline, planned (Id 0), so the next steps' -WhatIf can say what they would do.
        var planned = r.One("WaSystemUser");
        Assert.Equal(true, planned.P("Planned"));
        Assert.Equal("0", planned.S("Id"));
        Assert.Empty(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task A_caller_who_is_not_a_business_admin_gets_NotBusinessAdmin_with_the_remedy()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "New-WaSystemUser -Name svc -Role Employee", s.Vars(s.Seed.EmployeeUserToken));

        var error = Assert.Single(r.Errors);
        Assert.Equal("NotBusinessAdmin,Naova.WhatsAppToken.Commands.NewWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Equal("svc", error.TargetObject);
        Assert.Contains("business admin", error.ErrorDetails.RecommendedAction);
        Assert.Contains("Graph error 200", error.ErrorDetails.Message);
        Assert.Empty(s.Emulator.State.GetSystemUsers());
    }

    [Fact]
    public async Task Names_bind_by_value_and_objects_bind_Name_and_Role_by_property_name()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + """
            'alpha', 'beta' | New-WaSystemUser
            [pscustomobject]@{ Name = 'gamma'; Role = 'Admin' } | New-WaSystemUser
            """).AssertClean();

        var users = s.Emulator.State.GetSystemUsers().ToDictionary(u => u.Name, u => u.Role);
        Assert.Equal("EMPLOYEE", users["alpha"]);
        Assert.Equal("EMPLOYEE", users["beta"]);
        Assert.Equal("ADMIN", users["gamma"]);
    }

    [Fact]
    public async Task Get_WaSystemUser_filters_by_wildcard_and_reads_one_by_id()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "'svc-a','svc-b','other' | New-WaSystemUser").AssertClean();
        var matched = s.Run("Get-WaSystemUser -Name svc-*").AssertClean().Of("WaSystemUser").Select(u => u.S("Name")).OrderBy(n => n);
        Assert.Equal(new[] { "svc-a", "svc-b" }, matched);

        string id = s.Emulator.State.GetSystemUsers().Single(u => u.Name == "other").Id;
        var byId = s.Run("Get-WaSystemUser -Id $id", new { id }).AssertClean().One("WaSystemUser");
        Assert.Equal("other", byId.S("Name"));
        Assert.Equal("Employee", byId.S("Role"));
    }

    [Fact]
    public async Task An_unknown_id_is_ObjectNotFound_with_a_hint_about_app_scoped_ids()
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(EmulatorSession.Connect + "Get-WaSystemUser -Id 123456789012345");
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("ObjectNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("app-scoped", error.ErrorDetails.RecommendedAction);
    }
}
