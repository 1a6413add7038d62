using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>Small conventions a PowerShell user expects, one rule each, the same on every cmdlet it applies to.</summary>
public class ConventionTests
{
    [Fact]
    public async Task An_exact_name_that_matches_nothing_is_an_error_and_a_wildcard_gives_nothing_silently_for_system_users_as_for_apps()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "$null = New-WaSystemUser -Name svc").AssertClean();

        var missing = s.Run("Get-WaSystemUser -Name nosuch, svc");
        var error = Assert.Single(missing.Errors);
        Assert.Equal("SystemUserNotFound,Naova.WhatsAppToken.Commands.GetWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nosuch", error.TargetObject);
        Assert.Contains("Get-WaSystemUser", error.ErrorDetails.RecommendedAction);
        Assert.Equal("svc", missing.One("WaSystemUser").S("Name"));

        var app = Assert.Single(s.Run("Get-WaApp -Name nosuch").Errors);
        Assert.Equal(error.CategoryInfo.Category, app.CategoryInfo.Category);
        Assert.Equal("AppNotFound", app.FullyQualifiedErrorId.Split(',')[0]);

        Assert.Empty(s.Run("Get-WaSystemUser -Name nosuch*").AssertClean().Output);
        Assert.Empty(s.Run("Get-WaApp -Name nosuch*").AssertClean().Output);
    }

    [Fact]
    public async Task Revoke_WaToken_Force_revokes_without_asking_in_a_host_that_can_not_ask_and_WhatIf_still_only_shows()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + """
            $token = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
            """).AssertClean();
        var record = s.Emulator.State.GetTokens().Single(t => t.Type == "SYSTEM_USER");

        // The engine's default host can not ask: without -Force the High-impact revoke stops, as before.
        Assert.Equal("ConfirmationNeeded", s.Run("$token | Revoke-WaToken").SingleError().FullyQualifiedErrorId.Split(',')[0]);
        s.Run("$token | Revoke-WaToken -Force -WhatIf").AssertClean();
        Assert.False(s.Emulator.State.GetTokens().Single(t => t.Fingerprint == record.Fingerprint).Revoked);

        var revoked = s.Run("$token | Revoke-WaToken -Force -PassThru").AssertClean().One("WaTokenRevocation");
        Assert.Equal(record.Fingerprint, revoked.S("Fingerprint"));
        Assert.True(s.Emulator.State.GetTokens().Single(t => t.Fingerprint == record.Fingerprint).Revoked);
    }

    [Fact]
    public async Task The_first_grant_of_a_new_system_user_does_not_warn_about_older_tokens_and_a_later_grant_does()
    {
        await using var s = await EmulatorSession.StartAsync();
        var first = s.Run(EmulatorSession.Connect + "$user = New-WaSystemUser -Name svc -Role Admin; $user | Grant-WaAssets -WhatsAppBusinessAccount $waba -Verbose").AssertClean();
        Assert.True((bool)first.One("WaAssetGrant").P("Changed")!);
        Assert.Empty(first.Warnings);
        Assert.Contains(first.Verbose, v => v.Message.Contains("no token yet"));

        s.Run("$null = $user | New-WaToken").AssertClean();
        var later = s.Run("$user | Grant-WaAssets -WhatsAppBusinessAccount $waba2").AssertClean();
        Assert.True((bool)later.One("WaAssetGrant").P("Changed")!);
        var warning = Assert.Single(later.Warnings);
        Assert.Contains("New-WaToken", warning.Message);
    }
}
