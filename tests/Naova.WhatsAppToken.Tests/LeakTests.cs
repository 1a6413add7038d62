using System.Text.RegularExpressions;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Nothing shown: the design pipeline run with every stream on (-Verbose, debug, information, progress), its objects
/// rendered by PowerShell's formatter into a host that records everything, a save that fails, a .env save, the
/// stored token read back and checked; then every stream, every property and ToString of every object, every error
/// with its exception chain, and all the host showed, searched for the tokens' text and its URL-encoded form.
/// Vaults are the SecretManagement STAND-IN's (StandIn/), not the real module's.
/// </summary>
public sealed class LeakTests : IDisposable
{
    private static readonly Regex TokenShape = new("EAA[A-Za-z0-9]{20,}");

    private readonly string _folder = Directory.CreateTempSubdirectory("naova-leak-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // -Debug as a preference: the -Debug switch makes a warning ask what to do (Inquire), and nobody answers here.
    private const string Everything = """
        $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
        $ProgressPreference = 'Continue'; $WarningPreference = 'Continue'; $ErrorActionPreference = 'Continue'
        Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -Verbose | Out-Default

        $reports = New-WaSystemUser -Name naova-whatsapp-service -Role Admin -Verbose |
          Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE -Verbose |
          New-WaToken -Expiration Never -Verbose |
          Save-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN -Verbose |
          Test-WaToken -Verbose
        $reports
        $reports | Out-Default

        # A 60-day token, so a report with problems and remedies is rendered too; saved to a .env file.
        $expiring = Get-WaSystemUser -Name naova-whatsapp-service | New-WaToken -Expiration SixtyDays -Verbose
        $expiring | Out-Default
        $expiring | Save-WaToken -EnvFile $envFile -Verbose | Test-WaToken -Verbose | Out-Default
        $expiring.ToString()
        # A grant after tokens exist, so the warning that they do not see it is searched too.
        $null = Get-WaSystemUser -Name naova-whatsapp-service | Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE, DEVELOP -Verbose

        # A save that fails: the error, what it kept, and the command it gives.
        $expiring | Save-WaToken -Vault Locked -Verbose
        $expiring | Save-WaToken -Vault Missing -Verbose
        $WaUnsavedToken | Out-Default
        $Error | Out-Default

        # Read back and checked where it is stored.
        $read = Get-WaToken -Vault WithMetadata -Verbose
        $read; $read | Out-Default; $read.ToString()
        Get-WaToken -EnvFile $envFile -Verbose | Out-Default
        Get-SecretInfo -Vault WithMetadata | Test-WaToken -Verbose | Out-Default
        Test-WaToken -EnvFile $envFile -WarnWithinDays 90 -Verbose | ForEach-Object { $_; $_.ToString(); $_.Problems | ForEach-Object { $_.ToString() } }
        Get-WaConnection | Out-Default
        """;

    [Fact]
    public async Task No_token_text_in_any_stream_object_error_or_host_output_of_the_whole_pipeline()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        using var session = new PsSession(new TestHost(width: 400) { Culture = null }, importModule: true);
        session.Run(SecretManagementStandIn.Import).AssertClean();
        string envFile = Path.Combine(_folder, ".env");
        var seed = emulator.Seed;
        var result = session.Run(Everything, new
        {
            biz = seed.BusinessId, app = seed.AppId, admin = EmulatorSession.Secure(seed.AdminUserToken), secret = EmulatorSession.Secure(seed.AppSecret),
            uri = emulator.BaseUri, waba = seed.WabaId, envFile,
        });

        // The run did what it says: two tokens made, stored in a vault and a .env, checked, and two saves refused before
        // they took a token (a locked vault, an unregistered one).
        Assert.True(result.Terminating == null, result.Terminating?.ToString());
        Assert.Equal(new[] { "VaultNotAnswering", "VaultNotFound" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.NotEmpty(result.Verbose);
        Assert.NotEmpty(result.Warnings);
        Assert.NotEmpty(result.Progress);
        Assert.Equal(new[] { "Healthy", "Warning" }, result.Of("WaTokenReport").Select(r => r.S("Status")));
        Assert.NotEmpty(result.Of("WaTokenReport")[1].Strings("Problems"));
        Assert.Equal("vault WithMetadata, secret WHATSAPP_ACCESS_TOKEN", Assert.Single(result.Of("WaToken")).S("StoredIn"));
        string shown = session.Host!.Text;
        Assert.Contains("Fingerprint", shown); // table views were rendered into the host
        Assert.Contains("VERBOSE:", shown);

        string vaultToken = (string)session.Run("Get-Secret -Name WHATSAPP_ACCESS_TOKEN -Vault WithMetadata -AsPlainText").AssertClean().Output.Single().BaseObject;
        string envToken = File.ReadAllText(envFile).Trim().Split('=', 2)[1];
        Assert.NotEqual(vaultToken, envToken);
        var secrets = new[] { vaultToken, envToken, seed.AdminUserToken, seed.AppSecret };

        string everything = string.Join("\n", result.AllText(), shown,
            string.Join("\n", result.Errors.Select(e => e.Exception.ToString() + e.ErrorDetails?.Message + e.ErrorDetails?.RecommendedAction + e.TargetObject)),
            string.Join("\n", result.Warnings.Select(w => w.ToString())));
        foreach (string secret in secrets)
        {
            Assert.True(!everything.Contains(secret, StringComparison.Ordinal), "a secret's text was shown");
            Assert.True(!everything.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal), "a secret's URL-encoded text was shown");
        }
        Assert.True(!TokenShape.IsMatch(everything), "something shaped like a Meta token was shown: " + TokenShape.Match(everything).Index);
    }

    [Fact]
    public async Task The_search_finds_a_token_where_one_is_shown_on_purpose()
    {
        // The control for the test above: the same capture does see a token when -AsPlainText puts it on screen.
        await using var s = await EmulatorSession.StartAsync();
        using var session = new PsSession(new TestHost(width: 400) { Culture = null }, importModule: true);
        session.Run(SecretManagementStandIn.Import).AssertClean();
        var seed = s.Seed;
        var result = session.Run(EmulatorSession.Connect + """
            New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WarningAction SilentlyContinue | New-WaToken | Save-WaToken -Vault WithMetadata | Out-Null
            Get-WaToken -Vault WithMetadata -AsPlainText | Out-Default
            """, s.Vars()).AssertClean();
        string token = (string)session.Run("Get-Secret -Name WHATSAPP_ACCESS_TOKEN -Vault WithMetadata -AsPlainText").AssertClean().Output.Single().BaseObject;
        Assert.Contains(token, session.Host!.Text);
        Assert.Matches(TokenShape, session.Host!.Text);
        Assert.DoesNotContain(token, result.AllText());
    }
}
