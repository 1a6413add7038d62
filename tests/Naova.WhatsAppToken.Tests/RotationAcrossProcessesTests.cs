using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Rotations in real pwsh processes: two at once on one secret (the lock makes the second wait, so no token is
/// orphaned), and one killed with kill -9 at each of its Graph requests (the emulator holds each request in turn, and
/// the test kills the child while that request is held), then run again: one valid token stored, the old one revoked,
/// no valid token stored nowhere.
/// </summary>
public sealed class RotationAcrossProcessesTests : IDisposable
{
    private readonly ITestOutputHelper _out;
    private readonly string _folder = Directory.CreateTempSubdirectory("naova-rotate-").FullName;

    public RotationAcrossProcessesTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Connect = PwshChild.Connect;

    private const string Rotate = """
        $out = @(Update-WaToken -EnvFile $env:NAOVA_ENV -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue)
        @{
          steps = @($out | ForEach-Object { "$($_.Step)" })
          errors = @($errs | ForEach-Object FullyQualifiedErrorId)
          warnings = @($warns | ForEach-Object { "$_" })
        } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
        """;

    private sealed class World : IAsyncDisposable
    {
        public required GraphEmulator Emulator { get; init; }
        public required EmulatorSession Session { get; init; }
        public required string EnvFile { get; init; }
        public required string SystemUserId { get; init; }
        public required string First { get; init; }

        public Dictionary<string, string> Env()
        {
            var env = PwshChild.EmulatorEnvironment(Emulator);
            env["NAOVA_ENV"] = EnvFile;
            return env;
        }

        /// <summary>The token the .env holds for the application, by fingerprint.</summary>
        public string? Stored => Session.Run("(Get-WaToken -EnvFile $p).Fingerprint", new { p = EnvFile }).Output.FirstOrDefault()?.ToString();

        public IEnumerable<string> ValidTokens => Emulator.State.GetTokensOf(SystemUserId).Where(t => t.IsValidAt(Emulator.Clock.Now)).Select(t => t.Fingerprint);

        public ValueTask DisposeAsync() => Session.DisposeAsync();
    }

    private async Task<World> StartAsync()
    {
        var session = await EmulatorSession.StartAsync();
        string env = Path.Combine(_folder, Guid.NewGuid().ToString("N")[..6] + ".env");
        var r = session.Run(EmulatorSession.Connect + """
            $t = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
            $null = $t | Save-WaToken -EnvFile $envFile
            $t.SystemUserId
            $t.Fingerprint
            """.Replace("$envFile", "'" + env + "'")).AssertClean();
        return new World { Emulator = session.Emulator, Session = session, EnvFile = env, SystemUserId = r.Output[0].ToString(), First = r.Output[1].ToString() };
    }

    /// <summary>The end every interrupted or concurrent rotation must come to.</summary>
    private static void AssertOneValidTokenStored(World w)
    {
        string? stored = w.Stored;
        Assert.NotNull(stored);
        Assert.NotEqual(w.First, stored);
        Assert.Equal(new[] { stored! }, w.ValidTokens.ToArray());
    }

    /// <summary>Kills process A (kill -9) while the emulator holds its request, then lets the emulator answer at once again.</summary>
    private static async Task KillHeldAsync(World w, Process a)
    {
        Process.Start("kill", ["-9", a.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        await a.WaitForExitAsync();
        w.Emulator.Faults.Latency = TimeSpan.Zero;
        w.Emulator.Faults.LatencyFrom = 0;
        w.Emulator.Faults.HoldAfterHandling = false;
    }

    /// <summary>
    /// Starts <paramref name="script"/> in a child pwsh and returns once the emulator holds the child's
    /// <paramref name="request"/>-th Graph request from now: before handling it, or (<paramref name="afterHandling"/>)
    /// after, so what Meta did is done and the child never hears of it. The child may have ended first: the caller checks.
    /// </summary>
    private static async Task<Process> StartHeldAtAsync(World w, PwshChild pwsh, int request, bool afterHandling, string script, Dictionary<string, string> env)
    {
        w.Emulator.Faults.LatencyFrom = w.Emulator.Faults.RequestsSeen + request;
        w.Emulator.Faults.HoldAfterHandling = afterHandling;
        w.Emulator.Faults.Latency = TimeSpan.FromMinutes(5);
        int heldBefore = w.Emulator.Faults.HeldRequests;
        var child = pwsh.Start(script, env);
        while (!child.HasExited && w.Emulator.Faults.HeldRequests == heldBefore) await Task.Delay(10);
        return child;
    }

    /// <summary>A new token of the same system user saved in another variable of the same .env; its fingerprint.</summary>
    private static string SaveAnotherToken(World w, string variable) =>
        w.Session.Run(EmulatorSession.Connect + "(New-WaToken -SystemUserId $id | Save-WaToken -EnvFile $p -Variable $v).Fingerprint",
            new { biz = w.Session.Seed.BusinessId, app = w.Session.Seed.AppId, admin = EmulatorSession.Secure(w.Session.Seed.AdminUserToken),
                  secret = EmulatorSession.Secure(w.Session.Seed.AppSecret), uri = w.Emulator.BaseUri, id = w.SystemUserId, p = w.EnvFile, v = variable })
            .AssertClean().Output.Single().ToString();

    private static string[] Strings(JsonElement result, string name) =>
        result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.ToString()).ToArray() : Array.Empty<string>();

    [Fact]
    public async Task Two_rotations_of_one_secret_at_once_leave_one_valid_token_stored_and_none_orphaned()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        using var pwsh = new PwshChild();
        string gate = Path.Combine(pwsh.Home, "go");
        w.Emulator.Faults.Latency = TimeSpan.FromMilliseconds(300); // each rotation spans seconds: they overlap

        var children = new[] { "a", "b" }.Select(name =>
        {
            var env = w.Env();
            env["NAOVA_READY"] = Path.Combine(pwsh.Home, "ready-" + name);
            env["NAOVA_GO"] = gate;
            string result = Path.Combine(pwsh.Home, "result-" + name + ".json");
            env["NAOVA_RESULT"] = result;
            // Both wait at a gate once loaded, so the two rotations start together.
            var p = pwsh.Start(Connect + """
                New-Item -ItemType File -Path $env:NAOVA_READY | Out-Null
                while (-not (Test-Path $env:NAOVA_GO)) { Start-Sleep -Milliseconds 10 }

                """ + Rotate, env);
            return (Process: p, Result: result, Ready: env["NAOVA_READY"]);
        }).ToArray();
        while (!children.All(c => File.Exists(c.Ready)) && !children.Any(c => c.Process.HasExited)) await Task.Delay(20);
        File.WriteAllText(gate, string.Empty);
        foreach (var c in children)
        {
            var stdout = c.Process.StandardOutput.ReadToEndAsync();
            var stderr = c.Process.StandardError.ReadToEndAsync();
            await c.Process.WaitForExitAsync();
            _out.WriteLine($"child exit {c.Process.ExitCode}: {await stdout} {await stderr}");
        }
        w.Emulator.Faults.Latency = TimeSpan.Zero;

        foreach (var c in children)
        {
            var result = JsonDocument.Parse(File.ReadAllText(c.Result)).RootElement;
            _out.WriteLine(result.ToString());
            Assert.Empty(Strings(result, "errors"));
            Assert.Equal(new[] { "Completed" }, Strings(result, "steps"));
        }
        AssertOneValidTokenStored(w);
    }

    // The rotation's Graph requests, in order (as the emulator's log shows them): a debug_token batch, the token
    // request, debug_token of the new token, the business's owned and client WABAs, the WhatsApp read, the revoke.
    [Theory]
    [InlineData(1, false)] // the first look at the stored token
    [InlineData(2, false)] // the token request, before Meta handles it
    [InlineData(2, true)] // the token request, after Meta made the token: the kill lands before its answer arrives
    [InlineData(3, false)] // verifying the new token, stored already
    [InlineData(4, false)] // the business's owned WABAs, to find one to read
    [InlineData(5, false)] // its client WABAs
    [InlineData(6, false)] // the WhatsApp read made with the new token
    [InlineData(7, false)] // revoking the old token, before Meta handles it
    [InlineData(7, true)] // revoking the old token, after Meta revoked it
    public async Task A_rotation_killed_at_any_request_is_finished_by_the_next_run(int request, bool afterMetaHandledIt)
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        using var pwsh = new PwshChild();
        // The emulator lets the rotation's first requests through and holds the one to kill at: before handling it,
        // or (afterMetaHandledIt) after, so that what Meta did is done and the killed process never hears of it.
        var env = w.Env();
        env["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "killed.json");
        var child = await StartHeldAtAsync(w, pwsh, request, afterMetaHandledIt, Connect + Rotate, env);
        _out.WriteLine("answered before the kill: " + string.Join(", ", w.Emulator.Requests.Select(q => q.Method + " " + q.Path)));
        bool killed = !child.HasExited;
        if (killed) Process.Start("kill", ["-9", child.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        await child.WaitForExitAsync();
        w.Emulator.Faults.Latency = TimeSpan.Zero;
        w.Emulator.Faults.LatencyFrom = 0;
        w.Emulator.Faults.HoldAfterHandling = false;
        string? storedThen = w.Stored;
        string[] validThen = w.ValidTokens.ToArray();
        _out.WriteLine($"killed at request {request} (after Meta handled it: {afterMetaHandledIt}): {killed}; stored then {storedThen}; valid then {string.Join(",", validThen)}");
        Assert.True(killed, "the child ended before the request to kill at");
        if (request == 2 && afterMetaHandledIt)
        {
            // The window this case is for: Meta made a token, and no process holds or stored it.
            Assert.Equal(w.First, storedThen);
            Assert.Equal(2, validThen.Length);
        }
        if (request == 7 && afterMetaHandledIt) Assert.Equal(new[] { storedThen! }, validThen); // the old one is revoked

        var rerun = pwsh.Run(Connect + Rotate, w.Env());
        _out.WriteLine(rerun.ToString());

        Assert.Empty(Strings(rerun.Result, "errors"));
        Assert.Equal(new[] { "Completed" }, Strings(rerun.Result, "steps"));
        AssertOneValidTokenStored(w);
        if (request == 2 && afterMetaHandledIt)
        {
            // The token the killed run left at Meta is the one stored now (read from its journal), not a third one.
            string orphan = validThen.Single(f => f != w.First);
            Assert.Equal(orphan, w.Stored);
            Assert.Contains(Strings(rerun.Result, "warnings"), m => m.Contains(orphan, StringComparison.Ordinal));
            Assert.Equal(2, w.Emulator.State.GetTokensOf(w.SystemUserId).Count());
        }
    }

    [Fact]
    public async Task A_state_folder_that_can_not_be_written_is_said_in_a_warning_and_the_rotation_still_completes()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        using var pwsh = new PwshChild();
        // A regular file where the folder should be: no lock file and no journal can be made under it.
        string notAFolder = Path.Combine(pwsh.Home, "state-is-a-file");
        File.WriteAllText(notAFolder, "not a folder");
        var env = w.Env();
        env["NAOVA_WHATSAPPTOKEN_STATE"] = notAFolder;

        var run = pwsh.Run(Connect + Rotate, env);
        _out.WriteLine(run.ToString());

        Assert.Empty(Strings(run.Result, "errors"));
        Assert.Equal(new[] { "Completed" }, Strings(run.Result, "steps"));
        // Said once, with the variable that fixes it; not again at each step that would have written the journal.
        var warning = Assert.Single(Strings(run.Result, "warnings"), m => m.Contains(notAFolder, StringComparison.Ordinal));
        Assert.Contains("NAOVA_WHATSAPPTOKEN_STATE", warning);
        Assert.Contains("journal", warning);
        Assert.Equal("not a folder", File.ReadAllText(notAFolder));
        AssertOneValidTokenStored(w);
    }

    /// <summary>
    /// A rotation of a secret another process is rotating stops with RotationInProgress and asks Meta nothing; so does
    /// one with -WhatIf:$false, as a runbook's -WhatIf:$DryRun is when $DryRun is false (it once skipped the lock
    /// whenever -WhatIf was named, and rotated beside the other process).
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData(" -WhatIf:$false")]
    public async Task A_rotation_of_a_secret_another_process_is_rotating_stops_with_RotationInProgress_and_asks_Meta_nothing(string whatIf)
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        using var pwsh = new PwshChild();
        // Process A starts rotating and is held at its first Graph request, the lock in its hands.
        var envA = w.Env();
        envA["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "a.json");
        var a = await StartHeldAtAsync(w, pwsh, 1, false, Connect + Rotate, envA);
        Assert.False(a.HasExited, "A ended before it reached Meta");
        int seen = w.Emulator.Faults.RequestsSeen;

        // Process B, the same secret, no waiting.
        var b = pwsh.Run(Connect + """
            $out = @(Update-WaToken -EnvFile $env:NAOVA_ENV -LockTimeoutSeconds 0 -ErrorVariable errs -ErrorAction SilentlyContinue WHATIF)
            @{
              count = $out.Count
              errors = @($errs | ForEach-Object FullyQualifiedErrorId)
              categories = @($errs | ForEach-Object { "$($_.CategoryInfo.Category)" })
              messages = @($errs | ForEach-Object { $_.ErrorDetails.Message })
              remedies = @($errs | ForEach-Object { $_.ErrorDetails.RecommendedAction })
            } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
            """.Replace(" WHATIF", whatIf, StringComparison.Ordinal), w.Env());
        _out.WriteLine(b.ToString());
        int seenByB = w.Emulator.Faults.RequestsSeen - seen;
        await KillHeldAsync(w, a);

        Assert.Equal(new[] { "RotationInProgress,Naova.WhatsAppToken.Commands.UpdateWaTokenCommand" }, Strings(b.Result, "errors"));
        Assert.Equal(new[] { "ResourceBusy" }, Strings(b.Result, "categories"));
        string message = Strings(b.Result, "messages").Single();
        Assert.Contains("pid " + a.Id, message); // the holder, by its process id
        Assert.Contains(w.EnvFile, message);
        Assert.False(string.IsNullOrWhiteSpace(Strings(b.Result, "remedies").Single()));
        Assert.Equal(0, b.Result.GetProperty("count").GetInt32());
        Assert.Equal(0, seenByB); // B asked Meta nothing
        Assert.Equal(w.First, w.Stored);
        Assert.Equal(new[] { w.First }, w.ValidTokens.ToArray());
    }

    /// <summary>
    /// Issue 24, cases 5, 10 and 11: the lock is the store's, named in words that do not change with the path or the
    /// language. While process A rotates WHATSAPP_ACCESS_TOKEN (held by the emulator at its first Graph request), process
    /// B, with no waiting, rotates another variable of the same .env (two writers of one file would lose a write), or the
    /// same variable through a linked folder, or the same vault secret in Spanish ("almacén Prod, secreto ..."): each
    /// stops with RotationInProgress and asks Meta nothing. The vault is a SecretStore vault of the real modules.
    /// </summary>
    [Theory]
    [InlineData("another variable of the same .env")]
    [InlineData("the same .env through a linked folder")]
    [InlineData("the same vault secret in another language")]
    public async Task A_rotation_in_a_store_another_process_is_rotating_in_stops_with_RotationInProgress(string what)
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        string? second = null;
        if (what.StartsWith("another variable", StringComparison.Ordinal))
            second = SaveAnotherToken(w, "TENANT2_TOKEN");
        string linked = Path.Combine(_folder, "current-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateSymbolicLink(linked, _folder);
        bool vault = what.Contains("vault", StringComparison.Ordinal);
        if (vault && PwshChild.SecretModules == null) return; // said above: no SecretManagement to run it against
        string command = what switch
        {
            "another variable of the same .env" => "Update-WaToken -EnvFile $env:NAOVA_ENV -Variable TENANT2_TOKEN",
            "the same .env through a linked folder" => "Update-WaToken -EnvFile '" + Path.Combine(linked, Path.GetFileName(w.EnvFile)) + "'",
            _ => "Update-WaToken -Vault Prod",
        };
        using var pwsh = new PwshChild();
        if (vault)
            _out.WriteLine(pwsh.Run(Connect + """
                Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false
                Register-SecretVault -Name Prod -ModuleName Microsoft.PowerShell.SecretStore
                $null = Get-WaToken -EnvFile $env:NAOVA_ENV | Save-WaToken -Vault Prod -Name WHATSAPP_ACCESS_TOKEN
                @{ saved = $true } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
                """, w.Env()).ToString());
        var envA = w.Env();
        envA["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "a.json");
        var a = await StartHeldAtAsync(w, pwsh, 1, false, Connect + (vault ? Rotate.Replace("-EnvFile $env:NAOVA_ENV", "-Vault Prod", StringComparison.Ordinal) : Rotate), envA);
        Assert.False(a.HasExited, "A ended before it reached Meta");
        int seen = w.Emulator.Faults.RequestsSeen;

        var envB = w.Env();
        if (vault) envB["LANG"] = envB["LC_ALL"] = "es_ES.UTF-8"; // A runs in the machine's language, B in Spanish
        var b = pwsh.Run(Connect + "$out = @(" + command + """
             -LockTimeoutSeconds 0 -ErrorVariable errs -ErrorAction SilentlyContinue)
            @{ count = $out.Count; errors = @($errs | ForEach-Object FullyQualifiedErrorId) } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
            """, envB);
        _out.WriteLine(b.ToString());
        int seenByB = w.Emulator.Faults.RequestsSeen - seen;
        await KillHeldAsync(w, a);

        Assert.Equal(new[] { "RotationInProgress,Naova.WhatsAppToken.Commands.UpdateWaTokenCommand" }, Strings(b.Result, "errors"));
        Assert.Equal(0, seenByB);
        Assert.Equal(0, b.Result.GetProperty("count").GetInt32());
        Assert.Equal(w.First, w.Stored);
        Assert.Equal(new[] { w.First, second }.OfType<string>().Order(), w.ValidTokens.Order());
    }

    /// <summary>
    /// Issue 24, case 1: a rotation killed after Meta made its token leaves a journal that names a question and no
    /// token. Before its re-run, another variable of the same .env, a token of the same system user, is rotated: its
    /// new token is then Meta's latest, issued after the question. The re-run must not store that token (two variables
    /// holding one token, the next rotation of the other revoking it under the first): it makes its own and says that a
    /// token the killed run made may be left at Meta.
    /// </summary>
    [Fact]
    public async Task A_killed_rotation_rerun_after_another_secret_of_the_user_rotated_does_not_store_that_secrets_token()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        SaveAnotherToken(w, "OTHER_TOKEN");
        using var pwsh = new PwshChild();
        var envA = w.Env();
        envA["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "killed.json");
        // Held at the token request, after Meta made the token.
        var a = await StartHeldAtAsync(w, pwsh, 2, true, Connect + Rotate, envA);
        Assert.False(a.HasExited, "A ended before its token request");
        await KillHeldAsync(w, a);
        string[] validAfterKill = w.ValidTokens.ToArray();

        var other = pwsh.Run(Connect + Rotate.Replace("-EnvFile $env:NAOVA_ENV", "-EnvFile $env:NAOVA_ENV -Variable OTHER_TOKEN", StringComparison.Ordinal), w.Env());
        _out.WriteLine(other.ToString());
        Assert.Equal(new[] { "Completed" }, Strings(other.Result, "steps"));
        string othersNew = Variable(w, "OTHER_TOKEN")!;

        var rerun = pwsh.Run(Connect + Rotate, w.Env());
        _out.WriteLine(rerun.ToString());

        Assert.Empty(Strings(rerun.Result, "errors"));
        Assert.Equal(new[] { "Completed" }, Strings(rerun.Result, "steps"));
        Assert.NotEqual(othersNew, w.Stored);
        Assert.Equal(othersNew, Variable(w, "OTHER_TOKEN"));
        Assert.Contains(w.Stored!, w.ValidTokens);
        Assert.Contains(othersNew, w.ValidTokens);
        Assert.DoesNotContain(w.First, w.ValidTokens);
        // Said, naming the token it did not take and the variable that holds it.
        Assert.Contains(Strings(rerun.Result, "warnings"), m => m.Contains(othersNew, StringComparison.Ordinal) && m.Contains("OTHER_TOKEN", StringComparison.Ordinal));
        _out.WriteLine("valid after the kill: " + string.Join(", ", validAfterKill));
    }

    /// <summary>
    /// Issue 24, case 2's end: a writer that takes no lock puts back an old copy of the whole .env while the rotation
    /// revokes the old token. The rotation reads the store back at the end: not Completed, RotationNotHeld, the new
    /// token kept in $WaUnsavedToken with the command that stores it; running Update-WaToken again stores it.
    /// </summary>
    [Fact]
    public async Task A_store_written_back_to_an_old_copy_during_the_revoke_is_not_Completed_and_the_new_token_is_kept()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (PwshChild.PwshPath == null) return;
        await using var w = await StartAsync();
        byte[] oldCopy = File.ReadAllBytes(w.EnvFile);
        using var pwsh = new PwshChild();
        var env = w.Env();
        env["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "result.json");
        // Held at the revoke, before Meta handles it.
        var child = await StartHeldAtAsync(w, pwsh, 7, false, Connect + """
            $out = @(Update-WaToken -EnvFile $env:NAOVA_ENV -ErrorVariable errs -ErrorAction SilentlyContinue)
            $kept = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint)
            $again = @(Update-WaToken -EnvFile $env:NAOVA_ENV -ErrorVariable errs2 -ErrorAction SilentlyContinue)
            @{
              steps = @($out | ForEach-Object { "$($_.Step)" })
              errors = @($errs | ForEach-Object FullyQualifiedErrorId)
              categories = @($errs | ForEach-Object { "$($_.CategoryInfo.Category)" })
              messages = @($errs | ForEach-Object { $_.ErrorDetails.Message })
              kept = $kept
              again = @($again | ForEach-Object { "$($_.Step)" })
              againErrors = @($errs2 | ForEach-Object FullyQualifiedErrorId)
              keptAfter = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint)
            } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
            """, env);
        Assert.False(child.HasExited, "the rotation ended before its revoke");
        string storedBeforeRevoke = w.Stored!;
        File.WriteAllBytes(w.EnvFile, oldCopy); // the other writer: its stale copy of the whole file
        w.Emulator.Faults.Latency = TimeSpan.Zero;
        w.Emulator.Faults.LatencyFrom = 0;
        w.Emulator.Faults.ReleaseHeld();
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        _out.WriteLine($"child exit {child.ExitCode}: {await stdout} {await stderr}");
        var result = JsonDocument.Parse(File.ReadAllText(env["NAOVA_RESULT"])).RootElement;
        _out.WriteLine(result.ToString());

        Assert.Empty(Strings(result, "steps"));
        Assert.Equal(new[] { "RotationNotHeld,Naova.WhatsAppToken.Commands.UpdateWaTokenCommand" }, Strings(result, "errors"));
        Assert.Equal(new[] { "InvalidResult" }, Strings(result, "categories"));
        string message = Strings(result, "messages").Single();
        Assert.Contains(storedBeforeRevoke, message);
        Assert.Contains(w.First, message);
        Assert.Contains("Save-WaToken -EnvFile", message);
        Assert.Equal(new[] { storedBeforeRevoke }, Strings(result, "kept"));
        // The run again stores the kept token and completes; nothing is left kept, and it is the one valid token.
        Assert.Equal(new[] { "Completed" }, Strings(result, "again"));
        Assert.Empty(Strings(result, "againErrors"));
        Assert.Empty(Strings(result, "keptAfter"));
        Assert.Equal(storedBeforeRevoke, w.Stored);
        Assert.Equal(new[] { storedBeforeRevoke }, w.ValidTokens.ToArray());
    }

    private static string? Variable(World w, string name) =>
        w.Session.Run("(Get-WaToken -EnvFile $p -Variable $v).Fingerprint", new { p = w.EnvFile, v = name }).Output.FirstOrDefault()?.ToString();
}
