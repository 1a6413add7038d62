using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>Tab completion as PowerShell's own TabExpansion2 offers it.</summary>
public class CompletionTests
{
    private static string[] Complete(PsSession ps, string line) =>
        ps.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", new { line })
            .AssertClean().Output.Select(o => o.ToString()).ToArray();

    [Theory]
    [InlineData("Save-WaToken -Vault With")]
    [InlineData("Get-WaToken -Vault With")]
    [InlineData("Test-WaToken -Vault With")]
    public void Vault_completes_the_registered_vaults_through_SecretManagement(string line)
    {
        // SecretManagement STAND-IN (tests/.../StandIn), not the real module: its vaults are WithMetadata, WithoutMetadata, Locked.
        using var ps = new PsSession();
        ps.Run(SecretManagementStandIn.Import).AssertClean();
        Assert.Equal(new[] { SecretManagementStandIn.Metadata, SecretManagementStandIn.NoMetadata }, Complete(ps, line).OrderBy(x => x));
    }

    [Fact]
    public void Vault_completes_nothing_and_fails_nothing_without_SecretManagement()
    {
        using var ps = new PsSession();
        Assert.Empty(Complete(ps, "Save-WaToken -Vault "));
    }

    [Fact]
    public async Task System_user_names_complete_from_the_connection()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(EmulatorSession.Connect + "'svc-alpha', 'svc-beta', 'other' | New-WaSystemUser").AssertClean();
        Assert.Equal(new[] { "svc-alpha", "svc-beta" }, Complete(s.Ps, "Get-WaSystemUser -Name svc").OrderBy(x => x));
        Assert.Contains(s.Seed.WabaId, Complete(s.Ps, "Grant-WaAssets -SystemUserId 1 -WhatsAppBusinessAccount "));
    }
}

public class RequiredScopeValidationTests
{
    [Fact]
    public void A_required_scope_that_is_not_a_single_word_is_refused_before_any_call()
    {
        using var ps = new PsSession();
        var r = ps.Run("Test-WaToken -Token $t -RequiredScope 'business_management,ads_read'", new { t = EmulatorSession.Secure("EAAx") });
        var error = r.SingleError();
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
        Assert.Contains("RequiredScope", error.Exception.Message);
    }
}
