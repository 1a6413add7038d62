using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Update-WaToken against the emulator and the SecretManagement stand-in: a rotation, then the same rotation killed at
/// each step (a refusing vault, an emulator fault on the step's next call), asserting each time that the token where
/// the application reads it still works and the other one is recoverable, and that running again finishes the job.
/// </summary>
public partial class UpdateWaTokenTests
{
    private const string Name = "WHATSAPP_ACCESS_TOKEN";
    private const string Previous = Name + "_PREVIOUS";
    private const string Update = "Update-WaToken -Vault WithMetadata";

    /// <summary>An emulator, a session with the stand-in whose WithMetadata vault is scripted, and a stored token.</summary>
    private sealed class Fixture : IAsyncDisposable
    {
        private Fixture(EmulatorSession session, ScriptedSecrets vault, string first, string systemUserId)
        {
            Session = session;
            Vault = vault;
            First = first;
            SystemUserId = systemUserId;
        }

        public EmulatorSession Session { get; }

        public GraphEmulator Emulator => Session.Emulator;

        public ScriptedSecrets Vault { get; }

        /// <summary>The fingerprint of the token stored first.</summary>
        public string First { get; }

        public string SystemUserId { get; }

        public static async Task<Fixture> StartAsync(string expiration = "Never")
        {
            var session = await EmulatorSession.StartAsync();
            var vault = new ScriptedSecrets();
            session.Run(SecretManagementStandIn.Import).AssertClean();
            session.Ps.Runspace.SessionStateProxy.SetVariable("vaultTable", vault);
            session.Ps.Runspace.SessionStateProxy.SetVariable("expiration", expiration);
            var r = session.Run(ScriptedSecrets.Install("vaultTable", SecretManagementStandIn.Metadata) + """
                Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -MaxRetries 0
                $su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
                $first = $su | New-WaToken -Expiration $expiration
                $null = $first | Save-WaToken -Vault WithMetadata -Name WHATSAPP_ACCESS_TOKEN
                $first.Fingerprint
                $su.SystemUserId
                """).AssertClean();
            return new Fixture(session, vault, r.Output[0].ToString(), r.Output[1].ToString());
        }

        public PsResult Run(string script) => Session.Run(script);

        public string? Stored => Vault.FingerprintOf(Name);

        public string? Kept => Vault.FingerprintOf(Previous);

        /// <summary>Whether the emulator would accept the token now.</summary>
        public bool Works(string? fingerprint)
        {
            var token = fingerprint == null ? null : Emulator.State.FindTokenByFingerprint(fingerprint);
            return token != null && token.IsValidAt(Emulator.Clock.Now);
        }

        public int TokensOfUser => Emulator.State.GetTokensOf(SystemUserId).Count;

        public ValueTask DisposeAsync() => Session.DisposeAsync();
    }

    [Fact]
    public async Task A_rotation_stores_a_verified_new_token_then_revokes_the_old_one_and_forgets_it()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.ResetRequestLog();

        var r = f.Run(Update + " | Test-WaToken; $Error.Count").AssertClean();

        var report = r.One("WaTokenReport");
        Assert.Equal("Healthy", report.S("Status"));
        string fresh = report.S("Fingerprint")!;
        Assert.NotEqual(f.First, fresh);
        Assert.Equal(fresh, f.Stored);
        Assert.Null(f.Kept); // revoked, so forgotten: a daily audit finds nothing stale
        Assert.True(f.Works(fresh));
        Assert.True(f.Emulator.State.FindTokenByFingerprint(f.First)!.Revoked);
        Assert.Null(f.Emulator.State.FindTokenByFingerprint(fresh)!.ExpiresAt);
        // The new token was proven with a WhatsApp read made with it, and the old one revoked with the secret in a body.
        Assert.Contains(f.Emulator.Requests, q => q.Path.EndsWith("/phone_numbers", StringComparison.Ordinal) && q.TokenIn == TokenLocation.Header);
        var revoke = Assert.Single(f.Emulator.Requests, q => q.Path.EndsWith("/oauth/revoke", StringComparison.Ordinal));
        Assert.Contains("client_secret", revoke.BodyKeys);
        Assert.All(f.Emulator.Requests, q => Assert.DoesNotContain("client_secret", q.QueryKeys));
        Assert.DoesNotContain("EAA", r.AllText());
    }

    [Fact]
    public async Task The_rotation_object_says_what_was_done()
    {
        await using var f = await Fixture.StartAsync();

        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");

        Assert.Equal("Remade", rotation.S("Action"));
        Assert.Equal("Completed", rotation.S("Step"));
        Assert.Equal(true, rotation.P("Completed"));
        Assert.Equal(true, rotation.P("PreviousRevoked"));
        Assert.Equal(f.First, rotation.S("PreviousFingerprint"));
        Assert.Equal(f.Stored, rotation.S("Fingerprint"));
        Assert.Equal(f.SystemUserId, rotation.S("SystemUserId"));
        Assert.Equal(f.Emulator.Seed.WabaId, rotation.S("VerifiedWhatsAppBusinessAccountId"));
        Assert.Contains("WithMetadata", rotation.S("PreviousStoredIn"));
        Assert.Contains(Previous, rotation.S("PreviousStoredIn"));
    }

    [Fact]
    public async Task WhatIf_shows_the_plan_and_changes_nothing()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        var host = new TestHost { Answer = "Yes" };
        using var ps = new PsSession(host, importModule: true);
        var vars = new
        {
            biz = emulator.Seed.BusinessId, app = emulator.Seed.AppId, waba = emulator.Seed.WabaId, uri = emulator.BaseUri,
            admin = EmulatorSession.Secure(emulator.Seed.AdminUserToken), secret = EmulatorSession.Secure(emulator.Seed.AppSecret),
        };
        ps.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + """
            $null = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken | Save-WaToken -Vault WithMetadata
            """, vars).AssertClean();
        int tokens = emulator.State.GetTokens().Count;

        ps.Run(Update + " -WhatIf").AssertClean();

        string said = host.Text;
        Assert.Contains("What if", said);
        foreach (string step in new[] { Previous, "make a new token", "store the new token", "reading the phone numbers of one WhatsApp Business Account it reaches", "revoke token" })
            Assert.Contains(step, said);
        Assert.Equal(tokens, emulator.State.GetTokens().Count);
        Assert.DoesNotContain(emulator.State.GetTokens(), t => t.Revoked);
        Assert.Empty(ps.Run("Get-SecretInfo -Vault WithMetadata -Name *_PREVIOUS").Output);
    }

    [Fact]
    public async Task A_60_day_token_is_left_alone_until_RenewWithin_then_renewed_then_remade_once_it_lapsed()
    {
        await using var f = await Fixture.StartAsync("SixtyDays");

        var early = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal("NotDue", early.S("Action"));
        Assert.Equal(1, f.TokensOfUser);
        Assert.Equal(f.First, f.Stored);

        f.Emulator.Clock.Advance(TimeSpan.FromDays(50));
        f.Emulator.ResetRequestLog();
        var renewed = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal("Renewed", renewed.S("Action"));
        var exchange = Assert.Single(f.Emulator.Requests, q => q.Path.EndsWith("/oauth/access_token", StringComparison.Ordinal));
        Assert.Contains("fb_exchange_token", exchange.BodyKeys);
        Assert.Empty(exchange.QueryKeys);
        string second = f.Stored!;
        Assert.True(f.Works(second));
        Assert.Equal(f.Emulator.Clock.Now.AddDays(60).Date, f.Emulator.State.FindTokenByFingerprint(second)!.ExpiresAt!.Value.Date);
        Assert.True(f.Emulator.State.FindTokenByFingerprint(f.First)!.Revoked);

        f.Emulator.Clock.Advance(TimeSpan.FromDays(61));
        var remade = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal("Remade", remade.S("Action"));
        Assert.Equal(false, remade.P("PreviousRevoked"));
        Assert.True(f.Works(f.Stored));
        Assert.NotNull(f.Emulator.State.FindTokenByFingerprint(f.Stored!)!.ExpiresAt);
    }

    [Fact]
    public async Task Force_renews_a_60_day_token_that_is_not_due()
    {
        await using var f = await Fixture.StartAsync("SixtyDays");
        Assert.Equal("Renewed", f.Run(Update + " -Force").AssertClean().One("WaTokenRotation").S("Action"));
        Assert.NotEqual(f.First, f.Stored);
    }

    // ------------------------------------------------------------------ killed at each step, then run again

    [Fact]
    public async Task Killed_keeping_the_previous_token_changes_nothing_and_a_rerun_finishes()
    {
        await using var f = await Fixture.StartAsync();
        f.Vault.Refuse.Add(Previous);

        var r = f.Run(Update);

        Assert.Equal("VaultWriteFailed,Naova.WhatsAppToken.Commands.UpdateWaTokenCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal("Planned", Target(r).S("Step"));
        Assert.Equal(f.First, f.Stored);
        Assert.True(f.Works(f.First));
        Assert.Equal(1, f.TokensOfUser);
        AssertRerunFinishes(f);
    }

    [Fact]
    public async Task Killed_making_the_token_leaves_the_stored_one_working_and_a_rerun_finishes()
    {
        await using var f = await Fixture.StartAsync();
        // The token request and the fetch that looks for what it may have made both fail: nothing can be told.
        f.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), 2, "access_tokens");

        var r = f.Run(Update);

        Assert.StartsWith("Transient,", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal("PreviousKept", Target(r).S("Step"));
        Assert.Equal(f.First, f.Stored);
        Assert.Equal(f.First, f.Kept);
        Assert.True(f.Works(f.First));
        AssertRerunFinishes(f);
    }

    [Fact]
    public async Task A_lost_answer_that_fetches_back_the_stored_token_never_rotates_to_it_and_asks_once_more()
    {
        await using var f = await Fixture.StartAsync();
        // No token is made; the client then fetches the user's latest token, which is the stored one: not this
        // request's, so Meta made none and one more request makes exactly one.
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection(), 1, "/access_tokens");

        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");

        Assert.Equal("Completed", rotation.S("Step"));
        Assert.NotEqual(f.First, f.Stored);
        Assert.True(f.Works(f.Stored));
        Assert.Equal(2, f.TokensOfUser);
    }

    [Fact]
    public async Task A_lost_answer_after_Meta_made_the_token_is_recovered_and_no_second_token_is_made()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true }, 1, "/access_tokens");

        var rotation = f.Run(Update).One("WaTokenRotation");

        Assert.Equal("Completed", rotation.S("Step"));
        Assert.Equal(2, f.TokensOfUser);
        Assert.True(f.Works(f.Stored));
        Assert.False(f.Works(f.First));
    }

    [Fact]
    public async Task Killed_storing_the_new_token_keeps_it_recoverable_and_a_rerun_stores_that_one()
    {
        await using var f = await Fixture.StartAsync();
        f.Vault.Refuse.Add(Name);

        var r = f.Run(Update);

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("VaultWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("$WaUnsavedToken", error.ErrorDetails.Message);
        Assert.Equal("Created", Target(r).S("Step"));
        Assert.Equal(f.First, f.Stored);
        Assert.True(f.Works(f.First));
        string unsaved = f.Run("$WaUnsavedToken.Fingerprint").AssertClean().Output.Single().ToString();
        Assert.True(f.Works(unsaved));
        Assert.Equal(unsaved, Target(r).S("Fingerprint"));

        f.Vault.Refuse.Clear();
        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal(unsaved, rotation.S("Fingerprint"));
        Assert.Equal(unsaved, f.Stored);
        Assert.Equal(2, f.TokensOfUser);
        Assert.False(f.Works(f.First));
        Assert.Equal(true, f.Run("$null -eq $WaUnsavedToken").AssertClean().Output.Single().BaseObject);
    }

    [Fact]
    public async Task Killed_verifying_leaves_the_new_token_stored_and_the_old_one_working_and_kept_and_a_rerun_finishes()
    {
        await using var f = await Fixture.StartAsync();
        // The first request after the new token is written to the vault is its debug_token check: Graph is down.
        f.Vault.OnWrite = name =>
        {
            if (name == Name) f.Emulator.Faults.Enqueue(FaultSpec.GraphError(503, 2, isTransient: true));
        };

        var r = f.Run(Update);
        f.Vault.OnWrite = null;

        Assert.StartsWith("Transient,", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal("Stored", Target(r).S("Step"));
        Assert.NotEqual(f.First, f.Stored);
        Assert.True(f.Works(f.Stored));
        Assert.Equal(f.First, f.Kept);
        Assert.True(f.Works(f.First));

        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal("Resumed", rotation.S("Action"));
        Assert.Equal(2, f.TokensOfUser);
        Assert.False(f.Works(f.First));
        Assert.True(f.Works(f.Stored));
    }

    [Fact]
    public async Task Killed_on_the_WhatsApp_read_leaves_both_tokens_working_and_a_rerun_finishes()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 1, isTransient: true), 1, "phone_numbers");

        var r = f.Run(Update);

        Assert.Single(r.Errors);
        Assert.Equal("Stored", Target(r).S("Step"));
        Assert.True(f.Works(f.Stored));
        Assert.True(f.Works(f.Kept));
        Assert.Equal(f.First, f.Kept);
        Assert.Equal("Resumed", f.Run(Update).AssertClean().One("WaTokenRotation").S("Action"));
        Assert.False(f.Works(f.First));
    }

    [Fact]
    public async Task A_new_token_that_proves_wrong_is_taken_back_and_revoked_and_the_old_one_stays()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.Faults.Enqueue(FaultSpec.GraphError(403, 200, message: "(#200) Requires whatsapp_business_management permission"), 1, "phone_numbers");

        var r = f.Run(Update);

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("RotationVerificationFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(f.First, f.Stored);
        Assert.True(f.Works(f.First));
        var made = Assert.Single(f.Emulator.State.GetTokensOf(f.SystemUserId), t => t.Fingerprint != f.First);
        Assert.True(made.Revoked);
        AssertRerunFinishes(f);
    }

    [Fact]
    public async Task Killed_revoking_the_old_token_leaves_it_working_and_kept_and_a_rerun_revokes_it()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), 1, "oauth/revoke");

        var r = f.Run(Update);

        Assert.Single(r.Errors);
        Assert.Equal("Verified", Target(r).S("Step"));
        Assert.True(f.Works(f.Stored));
        Assert.Equal(f.First, f.Kept);
        Assert.True(f.Works(f.First));

        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal("Resumed", rotation.S("Action"));
        Assert.Equal(true, rotation.P("PreviousRevoked"));
        Assert.False(f.Works(f.First));
        Assert.Equal(2, f.TokensOfUser);
    }

    [Fact]
    public async Task Asked_to_confirm_in_a_host_that_can_not_ask_it_stops_before_any_change()
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.ResetRequestLog();

        var r = f.Run(Update + " -Confirm");

        Assert.StartsWith("ConfirmationNeeded,", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, f.TokensOfUser);
        Assert.Null(f.Kept);
        Assert.DoesNotContain(f.Emulator.Requests, q => q.Method != "POST" || !q.Path.TrimEnd('/').EndsWith("v26.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_previous_name_itself_is_not_rotated()
    {
        await using var f = await Fixture.StartAsync();
        var r = f.Run(Update + " -Name " + Previous);
        Assert.StartsWith("IsPreviousToken,", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, f.TokensOfUser);
    }

    // ------------------------------------------------------------------ a .env file, and a restarted process

    [Fact]
    public async Task A_dotenv_rotation_killed_at_revocation_is_finished_by_a_fresh_process()
    {
        string folder = Directory.CreateTempSubdirectory("wa-rotate-").FullName;
        string env = Path.Combine(folder, ".env");
        File.WriteAllText(env, "# the app's settings\nPORT=8080\n");
        try
        {
            await using var s = await EmulatorSession.StartAsync();
            s.Ps.Runspace.SessionStateProxy.SetVariable("env", env);
            string first = s.Run(EmulatorSession.Connect + """
                $t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken | Save-WaToken -EnvFile $env
                $t.Fingerprint
                """).AssertClean().Output.Single().ToString();
            s.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), 1, "oauth/revoke");

            var killed = s.Run("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -MaxRetries 0; Update-WaToken -EnvFile $env");
            Assert.Single(killed.Errors);
            var lines = File.ReadAllLines(env);
            Assert.Equal("# the app's settings", lines[0]);
            Assert.Equal("PORT=8080", lines[1]);
            string stored = EnvFingerprint(lines, "WHATSAPP_ACCESS_TOKEN");
            Assert.NotEqual(first, stored);
            Assert.Equal(first, EnvFingerprint(lines, "WHATSAPP_ACCESS_TOKEN_PREVIOUS"));
            Assert.False(s.Emulator.State.FindTokenByFingerprint(first)!.Revoked);

            // A new process: nothing but the file remembers the unfinished rotation.
            using var fresh = new PsSession();
            var rotation = fresh.Run(EmulatorSession.Connect + "Update-WaToken -EnvFile $env", Vars(s, env)).AssertClean().One("WaTokenRotation");
            Assert.Equal("Resumed", rotation.S("Action"));
            Assert.True(s.Emulator.State.FindTokenByFingerprint(first)!.Revoked);
            Assert.False(s.Emulator.State.FindTokenByFingerprint(stored)!.Revoked);
            Assert.Equal(stored, EnvFingerprint(File.ReadAllLines(env), "WHATSAPP_ACCESS_TOKEN"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static object Vars(EmulatorSession s, string env) => new
    {
        biz = s.Seed.BusinessId, app = s.Seed.AppId, uri = s.Emulator.BaseUri, env,
        admin = EmulatorSession.Secure(s.Seed.AdminUserToken), secret = EmulatorSession.Secure(s.Seed.AppSecret),
    };

    private static string EnvFingerprint(string[] lines, string key) =>
        ScriptedSecrets.Fingerprint(Assert.Single(lines, l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..]);

    private static System.Management.Automation.PSObject Target(PsResult r) =>
        System.Management.Automation.PSObject.AsPSObject(Assert.Single(r.Errors).TargetObject);

    /// <summary>Run again with nothing failing: the rotation completes, and the first token is revoked.</summary>
    private static void AssertRerunFinishes(Fixture f)
    {
        f.Vault.Refuse.Clear();
        var rotation = f.Run(Update).AssertClean().One("WaTokenRotation");
        Assert.Equal("Completed", rotation.S("Step"));
        Assert.True(f.Works(f.Stored));
        Assert.NotEqual(f.First, f.Stored);
        Assert.False(f.Works(f.First));
    }
}

/// <summary>Azure Key Vault secret names allow only letters, digits and dashes: the kept token must follow the name's style.</summary>
public class UpdateWaTokenNamingTests
{
    [Fact]
    public async Task A_dash_style_secret_keeps_the_replaced_token_under_a_dash_style_name()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + """
            $null = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken |
              Save-WaToken -Vault WithMetadata -Name WHATSAPP-ACCESS-TOKEN
            """).AssertClean();

        // Stopped before the revocation, the replaced token is kept, under the dash-style name; once revoked, it is gone.
        s.Emulator.Faults.Enqueue(FaultSpec.GraphError(500, 2, isTransient: true), 10, "oauth/revoke");
        var stopped = s.Run("Update-WaToken -Vault WithMetadata -Name WHATSAPP-ACCESS-TOKEN");
        s.Emulator.Faults.Clear();
        Assert.Single(stopped.Errors);
        var names = s.Run("Get-SecretInfo -Vault WithMetadata | ForEach-Object Name").Output.Select(o => o.ToString()).OrderBy(n => n);
        Assert.Equal(new[] { "WHATSAPP-ACCESS-TOKEN", "WHATSAPP-ACCESS-TOKEN-PREVIOUS" }, names);

        var rotation = s.Run("Update-WaToken -Vault WithMetadata -Name WHATSAPP-ACCESS-TOKEN").AssertClean().One("WaTokenRotation");
        Assert.Equal(true, rotation.P("Completed"));
        Assert.Contains("WHATSAPP-ACCESS-TOKEN-PREVIOUS", rotation.S("PreviousStoredIn"));
        names = s.Run("Get-SecretInfo -Vault WithMetadata | ForEach-Object Name").Output.Select(o => o.ToString()).OrderBy(n => n);
        Assert.Equal(new[] { "WHATSAPP-ACCESS-TOKEN" }, names);
    }

    [Theory]
    [InlineData("WHATSAPP-ACCESS-TOKEN-PREVIOUS")]
    [InlineData("WHATSAPP_ACCESS_TOKEN_PREVIOUS")]
    public async Task Rotating_a_kept_token_is_refused_in_either_style(string name)
    {
        await using var s = await EmulatorSession.StartAsync();
        var r = s.Run(SecretManagementStandIn.Import + EmulatorSession.Connect + "Update-WaToken -Vault WithMetadata -Name $n",
            new { biz = s.Seed.BusinessId, app = s.Seed.AppId, admin = EmulatorSession.Secure(s.Seed.AdminUserToken), secret = EmulatorSession.Secure(s.Seed.AppSecret), uri = s.Emulator.BaseUri, n = name });
        Assert.StartsWith("IsPreviousToken,", r.SingleError().FullyQualifiedErrorId);
    }
}
