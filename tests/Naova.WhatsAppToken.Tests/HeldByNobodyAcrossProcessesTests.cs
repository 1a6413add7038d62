using System.Text.Json;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Issue 24, "no token held by nobody", a process about to end: `pwsh -File` whose Save-WaToken fails ends, and its
/// $WaUnsavedToken with it. The state folder keeps a record of the token (its fingerprint, never its text), so the next
/// New-WaToken for that system user and app, in another process, takes the token Meta still holds rather than making a
/// second one; a newer token made since makes the record go, and a token is made as usual.
/// </summary>
public sealed class HeldByNobodyAcrossProcessesTests : IDisposable
{
    private readonly ITestOutputHelper _out;
    private readonly string _folder = Directory.CreateTempSubdirectory("naova-unsaved-").FullName;

    public HeldByNobodyAcrossProcessesTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>New-WaToken | Save-WaToken to $env:NAOVA_ENV (with $env:NAOVA_SAVE's switches); what it saved, kept and warned.</summary>
    private const string MakeAndSave = PwshChild.Connect + """
        $switches = @{}
        if ($env:NAOVA_SAVE -eq 'NoClobber') { $switches.NoClobber = $true }
        $out = @(New-WaToken -SystemUserId $env:NAOVA_USER -WarningVariable warns -WarningAction SilentlyContinue |
            Save-WaToken -EnvFile $env:NAOVA_ENV -Variable WHATSAPP_ACCESS_TOKEN @switches -ErrorVariable errs -ErrorAction SilentlyContinue)
        @{
          saved = @($out | ForEach-Object Fingerprint)
          kept = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint)
          errors = @($errs | ForEach-Object FullyQualifiedErrorId)
          warnings = @($warns | ForEach-Object { "$_" })
        } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
        """;

    private static string[] Strings(JsonElement result, string name) =>
        result.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray();

    [Fact]
    public async Task A_token_a_process_could_not_save_is_taken_by_the_next_process_not_made_twice()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var session = await EmulatorSession.StartAsync();
        string userId = session.Run(EmulatorSession.Connect + "(New-WaSystemUser -Name cron-svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba).SystemUserId")
            .AssertClean().Output[0].ToString();
        string state = Path.Combine(_folder, "state");
        // A's .env holds the variable already, and -NoClobber will not replace it: the save fails after Meta made the token.
        string envA = Path.Combine(_folder, "a.env"), envB = Path.Combine(_folder, "b.env");
        File.WriteAllText(envA, "WHATSAPP_ACCESS_TOKEN=the-application-s-own\n");
        Dictionary<string, string> Env(string envFile, string save)
        {
            var env = PwshChild.EmulatorEnvironment(session.Emulator);
            env["NAOVA_USER"] = userId;
            env["NAOVA_ENV"] = envFile;
            env["NAOVA_SAVE"] = save;
            env["NAOVA_WHATSAPPTOKEN_STATE"] = state; // both processes are one user's cron runs: one state folder
            return env;
        }
        using var pwsh = new PwshChild();

        var a = pwsh.Run(MakeAndSave, Env(envA, "NoClobber"));
        _out.WriteLine("A: " + a);
        Assert.Equal(new[] { "EnvVariableExists,Naova.WhatsAppToken.Commands.SaveWaTokenCommand" }, Strings(a.Result, "errors"));
        string kept = Assert.Single(Strings(a.Result, "kept"));
        var made = Assert.Single(session.Emulator.State.GetTokensOf(userId));
        Assert.Equal(kept, made.Fingerprint);
        // What outlives A is a record of the token, never its text.
        var afterA = Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        Assert.Contains(afterA, text => text.Contains("fingerprint=" + kept, StringComparison.Ordinal));

        var b = pwsh.Run(MakeAndSave, Env(envB, string.Empty));
        _out.WriteLine("B: " + b);
        Assert.Empty(Strings(b.Result, "errors"));
        Assert.Equal(new[] { kept }, Strings(b.Result, "saved"));
        Assert.Single(session.Emulator.State.GetTokensOf(userId)); // no second token made
        Assert.Equal(new[] { kept }, session.Emulator.State.GetTokensOf(userId).Where(t => t.IsValidAt(session.Emulator.Clock.Now)).Select(t => t.Fingerprint));
        Assert.Equal(kept, session.Run("(Get-WaToken -EnvFile $p).Fingerprint", new { p = envB }).Output[0].ToString());
        string warning = Assert.Single(Strings(b.Result, "warnings"), w => w.Contains(kept, StringComparison.Ordinal));
        Assert.Contains(envA, warning); // the save it was meant for
        // B's .env holds the token's text now: the state folder A left never did.
        string text = File.ReadAllText(envB).Trim().Split('=', 2)[1];
        Assert.StartsWith("EAA", text);
        Assert.DoesNotContain(afterA, t => t.Contains(text, StringComparison.Ordinal));
        Assert.Empty(Strings(b.Result, "kept"));
        // Saved, the token's record is gone.
        Assert.DoesNotContain(Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("fingerprint=" + kept, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kept_token_of_another_lifetime_than_asked_is_revoked_and_the_token_asked_for_is_made()
    {
        await using var session = await EmulatorSession.StartAsync();
        string env = Path.Combine(_folder, "lifetime.env");
        File.WriteAllText(env, "WHATSAPP_ACCESS_TOKEN=the-application-s-own\n");
        // The earlier session keeps a never-expiring token it could not save, and ends.
        var first = session.Run(EmulatorSession.Connect + "$p = '" + env + "'\n" + """
            $user = New-WaSystemUser -Name lifetime-svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
            $null = $user | New-WaToken -Expiration Never | Save-WaToken -EnvFile $p -Variable WHATSAPP_ACCESS_TOKEN -NoClobber -ErrorAction SilentlyContinue
            $user.SystemUserId
            $global:WaUnsavedToken.Fingerprint
            """);
        Assert.True(first.Output.Count == 2, string.Join("\n", first.Errors.Select(e => e.ToString())) + first.Terminating);
        string userId = first.Output[0].ToString(), kept = first.Output[1].ToString();

        // A later session asks for a 60-day token: the kept one is not that.
        using var later = new PsSession();
        var r = later.Run(EmulatorSession.Connect + "$id = '" + userId + "'\nNew-WaToken -SystemUserId $id -Expiration SixtyDays", session.Vars());

        Assert.Empty(r.Errors);
        var made = r.Objects<object>().Single();
        string madeFingerprint = made.GetType().GetProperty("Fingerprint")!.GetValue(made)!.ToString()!;
        Assert.NotEqual(kept, madeFingerprint);
        Assert.Equal("SixtyDays", made.GetType().GetProperty("Expiration")!.GetValue(made)!.ToString());
        Assert.Contains(r.Warnings, w => w.Message.Contains(kept, StringComparison.Ordinal) && w.Message.Contains("revoked", StringComparison.Ordinal));
        var now = session.Emulator.Clock.Now;
        Assert.False(session.Emulator.State.FindTokenByFingerprint(kept)!.IsValidAt(now), "the kept token nobody holds is still valid");
        Assert.Equal(new[] { madeFingerprint }, session.Emulator.State.GetTokensOf(userId).Where(t => t.IsValidAt(now)).Select(t => t.Fingerprint).ToArray());
        Assert.DoesNotContain(Directory.EnumerateFiles(Environment.GetEnvironmentVariable("NAOVA_WHATSAPPTOKEN_STATE")!, "*.unsaved", SearchOption.AllDirectories),
            f => File.ReadAllText(f).Contains("fingerprint=" + kept, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_newer_token_made_since_removes_the_record_and_New_WaToken_makes_one_as_usual()
    {
        await using var session = await EmulatorSession.StartAsync();
        string env = Path.Combine(_folder, "app.env");
        File.WriteAllText(env, "WHATSAPP_ACCESS_TOKEN=the-application-s-own\n");
        // The earlier session: its save fails (the token is kept), then it makes another token, which it leaves alone.
        var first = session.Run(EmulatorSession.Connect + "$p = '" + env + "'\n" + """
            $user = New-WaSystemUser -Name newer-svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
            $null = $user | New-WaToken | Save-WaToken -EnvFile $p -Variable WHATSAPP_ACCESS_TOKEN -NoClobber -ErrorAction SilentlyContinue
            $kept = $global:WaUnsavedToken
            $newer = $user | New-WaToken
            $user.SystemUserId
            $kept.Fingerprint
            $newer.Fingerprint
            """);
        Assert.True(first.Output.Count == 3, string.Join("\n", first.Errors.Select(e => e.ToString())) + first.Terminating);
        string userId = first.Output[0].ToString(), kept = first.Output[1].ToString(), newer = first.Output[2].ToString();
        Assert.NotEqual(kept, newer);
        // This test process's state folder (ModuleHost sets it); the record is the one naming the kept token.
        string? Record() => Directory.EnumerateFiles(Environment.GetEnvironmentVariable("NAOVA_WHATSAPPTOKEN_STATE")!, "*.unsaved", SearchOption.AllDirectories)
            .FirstOrDefault(f => File.ReadAllText(f).Contains("fingerprint=" + kept, StringComparison.Ordinal));
        Assert.NotNull(Record());

        // A later session (its own runspace, so its own $WaUnsavedToken): the latest token is the newer one.
        using var later = new PsSession();
        var r = later.Run(EmulatorSession.Connect + "$id = '" + userId + "'\nNew-WaToken -SystemUserId $id -Verbose", session.Vars());
        Assert.Empty(r.Errors);
        string made = r.Objects<object>().Select(o => o.GetType().GetProperty("Fingerprint")!.GetValue(o)!.ToString()!).Single();
        Assert.NotEqual(kept, made);
        Assert.NotEqual(newer, made);
        Assert.Equal(3, session.Emulator.State.GetTokensOf(userId).Count);
        Assert.DoesNotContain(r.Warnings, w => w.Message.Contains(kept, StringComparison.Ordinal));
        Assert.Contains(r.Verbose, v => v.Message.Contains(kept, StringComparison.Ordinal));
        Assert.Null(Record()); // gone, once a newer token was found
    }
    [Fact]
    public async Task A_kept_token_Meta_could_not_be_asked_about_stays_recorded_and_is_taken_once_Meta_answers()
    {
        await using var session = await EmulatorSession.StartAsync();
        string env = Path.Combine(_folder, "down.env");
        File.WriteAllText(env, "WHATSAPP_ACCESS_TOKEN=the-application-s-own\n");
        var vars = new
        {
            biz = session.Seed.BusinessId, app = session.Seed.AppId, admin = EmulatorSession.Secure(session.Seed.AdminUserToken),
            secret = EmulatorSession.Secure(session.Seed.AppSecret), uri = session.Emulator.BaseUri, waba = session.Seed.WabaId, p = env,
        };
        var first = session.Run(EmulatorSession.Connect + """
            $user = New-WaSystemUser -Name down-svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
            $null = $user | New-WaToken | Save-WaToken -EnvFile $p -Variable WHATSAPP_ACCESS_TOKEN -NoClobber -ErrorAction SilentlyContinue
            $user.SystemUserId
            $global:WaUnsavedToken.Fingerprint
            """, vars);
        Assert.True(first.Output.Count == 2, string.Join("\n", first.Errors.Select(e => e.ToString())) + first.Terminating);
        string userId = first.Output[0].ToString(), kept = first.Output[1].ToString();
        string? Record() => Directory.EnumerateFiles(Environment.GetEnvironmentVariable("NAOVA_WHATSAPPTOKEN_STATE")!, "*.unsaved", SearchOption.AllDirectories)
            .FirstOrDefault(f => File.ReadAllText(f).Contains("fingerprint=" + kept, StringComparison.Ordinal));

        using var later = new PsSession();
        const string Make = "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -MaxRetries 0 -SkipCheck\n" +
            "New-WaToken -SystemUserId $id";
        var laterVars = new
        {
            biz = session.Seed.BusinessId, app = session.Seed.AppId, admin = EmulatorSession.Secure(session.Seed.AdminUserToken),
            secret = EmulatorSession.Secure(session.Seed.AppSecret), uri = session.Emulator.BaseUri, id = userId,
        };
        // Meta can not be asked whether the kept token is still its latest: no second token is made, the record stays.
        session.Emulator.Faults.Enqueue(FaultSpec.DropConnection(), 5, "system_user_access_tokens");
        var down = later.Run(Make, laterVars);
        Assert.NotEmpty(down.Errors);
        Assert.Empty(down.Output);
        Assert.Single(session.Emulator.State.GetTokensOf(userId));
        Assert.NotNull(Record());

        session.Emulator.Faults.Clear();
        var up = later.Run(Make, laterVars);
        Assert.Empty(up.Errors);
        Assert.Equal(kept, up.Output.Select(o => o.BaseObject.GetType().GetProperty("Fingerprint")!.GetValue(o.BaseObject)!.ToString()).Single());
        Assert.Contains(up.Warnings, w => w.Message.Contains(kept, StringComparison.Ordinal) && w.Message.Contains(env, StringComparison.Ordinal));
        Assert.Single(session.Emulator.State.GetTokensOf(userId));
        Assert.NotNull(Record()); // given again, not saved yet: the record stays until a save forgets it
    }
}
