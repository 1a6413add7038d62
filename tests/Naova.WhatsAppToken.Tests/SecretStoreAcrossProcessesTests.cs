using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Issue 24, case 2: writers of one SecretStore in real pwsh processes, with the real SecretManagement 1.1.2 and
/// SecretStore 1.0.6 (../shared/psmodules) and a HOME of their own. Every SecretStore vault of a user is one store file,
/// and each process keeps that store in memory: rotations and saves in any of the user's SecretStore vaults take one
/// lock, and a process that read the store before another one rotated writes from the file, not from its old copy.
/// Processes are coordinated by files and by the lock-wait Verbose line, never by a delay.
/// </summary>
public sealed class SecretStoreAcrossProcessesTests
{
    private readonly ITestOutputHelper _out;

    public SecretStoreAcrossProcessesTests(ITestOutputHelper output) => _out = output;

    private const string Connect = PwshChild.Connect;

    /// <summary>For process A, held at a Graph request until the test releases it: its client never gives up on it first.</summary>
    private static readonly string ConnectHeld = Connect.Replace("-SkipCheck", "-SkipCheck -RequestTimeoutSeconds 3600", StringComparison.Ordinal);

    /// <summary>A SecretStore without password, vaults Prod and Test, and one token in each: A_TOKEN in Prod, B_TOKEN in $env:NAOVA_B_VAULT.</summary>
    private const string Setup = Connect + """
        Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false -WarningAction SilentlyContinue
        Register-SecretVault -Name Prod -ModuleName Microsoft.PowerShell.SecretStore
        Register-SecretVault -Name Test -ModuleName Microsoft.PowerShell.SecretStore
        $su = New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $env:NAOVA_WABA
        $a = $su | New-WaToken | Save-WaToken -Vault Prod -Name A_TOKEN
        $b = $su | New-WaToken | Save-WaToken -Vault $env:NAOVA_B_VAULT -Name B_TOKEN
        # The same two tokens in a .env, for the tests of Save-WaToken's lock on a file.
        $null = $a | Save-WaToken -EnvFile $env:NAOVA_ENV -Variable A_TOKEN
        $null = $b | Save-WaToken -EnvFile $env:NAOVA_ENV -Variable B_TOKEN
        @{ a = $a.Fingerprint; b = $b.Fingerprint; su = $su.SystemUserId } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT

        """;

    /// <summary>What a rotation left, for the test to read.</summary>
    private const string Report = """

        @{
          steps = @($out | Where-Object { $_.PSObject.Properties['Step'] } | ForEach-Object { "$($_.Step)" })
          fingerprints = @($out | ForEach-Object Fingerprint)
          storedIn = @($out | Where-Object { $_.PSObject.Properties['StoredIn'] } | ForEach-Object { "$($_.StoredIn)" })
          errors = @($errs | ForEach-Object FullyQualifiedErrorId)
          unsaved = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint)
        } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
        """;

    /// <summary>Every secret of vaults Prod and Test, by vault/name and fingerprint, read by a process that never held the store.</summary>
    private const string ReadVaults = Connect + """
        $held = [ordered]@{}
        foreach ($info in 'Prod', 'Test' | ForEach-Object { Get-SecretInfo -Vault $_ } | Sort-Object VaultName, Name) { $held["$($info.VaultName)/$($info.Name)"] = (Get-WaToken -Vault $info.VaultName -Name $info.Name).Fingerprint }
        $held | ConvertTo-Json | Set-Content $env:NAOVA_RESULT

        """;

    private static Dictionary<string, string> Env(GraphEmulator emulator, PwshChild pwsh, string bVault = "Prod")
    {
        var env = PwshChild.EmulatorEnvironment(emulator);
        env["NAOVA_WABA"] = emulator.Seed.WabaId;
        env["NAOVA_B_VAULT"] = bVault;
        env["NAOVA_ENV"] = Path.Combine(pwsh.Home, "app.env");
        return env;
    }

    private static string[] Strings(JsonElement result, string name) =>
        result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.ToString()).ToArray() : Array.Empty<string>();

    private static bool Valid(GraphEmulator emulator, string fingerprint) => emulator.State.FindTokenByFingerprint(fingerprint)!.IsValidAt(emulator.Clock.Now);

    private bool Ready()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst);
        if (!PwshChild.Available) _out.WriteLine("skipped: it needs pwsh and the real SecretManagement and SecretStore (../shared/psmodules), which are not here");
        return PwshChild.Available;
    }

    private static async Task WaitForFileAsync(string path, Process process)
    {
        while (!File.Exists(path) && !process.HasExited) await Task.Delay(20);
    }

    /// <summary>
    /// Process A read the store (any Get-Secret) and stays; process B rotates B_TOKEN of the same store; A rotates
    /// A_TOKEN right after. SecretStore would have A write its old copy of the whole store back (B_TOKEN's old, revoked
    /// token back, B's new one held by nobody); A must write from the file. A fresh process then finds both new tokens.
    /// </summary>
    [Fact]
    public async Task A_process_that_read_the_SecretStore_before_another_rotated_does_not_write_its_old_copy_back()
    {
        if (!Ready()) return;
        await using var emulator = await GraphEmulator.StartAsync();
        using var pwsh = new PwshChild();
        var first = pwsh.Run(Setup, Env(emulator, pwsh));
        _out.WriteLine(first.ToString());
        string a1 = first.Result.GetProperty("a").GetString()!, b1 = first.Result.GetProperty("b").GetString()!;

        var envA = Env(emulator, pwsh);
        envA["NAOVA_READY"] = Path.Combine(pwsh.Home, "a-ready");
        envA["NAOVA_GO"] = Path.Combine(pwsh.Home, "b-done");
        envA["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "a.json");
        var a = pwsh.Start(Connect + """
            $null = Get-Secret -Vault Prod -Name A_TOKEN
            New-Item -ItemType File -Path $env:NAOVA_READY | Out-Null
            while (-not (Test-Path $env:NAOVA_GO)) { Start-Sleep -Milliseconds 10 }
            $out = @(Update-WaToken -Vault Prod -Name A_TOKEN -ErrorVariable errs -ErrorAction SilentlyContinue)
            """ + Report, envA);
        var stdoutA = a.StandardOutput.ReadToEndAsync();
        var stderrA = a.StandardError.ReadToEndAsync();
        await WaitForFileAsync(envA["NAOVA_READY"], a);
        Assert.False(a.HasExited, "A ended before it read the store");

        // B rotates B_TOKEN, and tells A to go as soon as its rotation returned.
        var envB = Env(emulator, pwsh);
        envB["NAOVA_GO"] = envA["NAOVA_GO"];
        var b = pwsh.Run(Connect + """
            $out = @(Update-WaToken -Vault Prod -Name B_TOKEN -ErrorVariable errs -ErrorAction SilentlyContinue)
            New-Item -ItemType File -Path $env:NAOVA_GO | Out-Null
            """ + Report, envB);
        _out.WriteLine("B: " + b);
        await a.WaitForExitAsync();
        _out.WriteLine($"A: exit {a.ExitCode}\nstdout: {await stdoutA}\nstderr: {await stderrA}");
        var resultA = JsonDocument.Parse(File.ReadAllText(envA["NAOVA_RESULT"])).RootElement;
        _out.WriteLine("A: " + resultA);

        Assert.Equal(new[] { "Completed" }, Strings(b.Result, "steps"));
        Assert.Equal(new[] { "Completed" }, Strings(resultA, "steps"));
        string b2 = Strings(b.Result, "fingerprints").Single(), a2 = Strings(resultA, "fingerprints").Single();
        var held = pwsh.Run(ReadVaults, Env(emulator, pwsh)).Result;
        _out.WriteLine("held: " + held);
        Assert.Equal(b2, held.GetProperty("Prod/B_TOKEN").GetString());
        Assert.Equal(a2, held.GetProperty("Prod/A_TOKEN").GetString());
        Assert.Equal(new[] { "Prod/A_TOKEN", "Prod/B_TOKEN" }, held.EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("Prod/", StringComparison.Ordinal)).ToArray());
        Assert.True(Valid(emulator, b2), "B's new token is not valid at Meta");
        Assert.True(Valid(emulator, a2), "A's new token is not valid at Meta");
        Assert.False(Valid(emulator, b1), "B's old token is still valid");
        Assert.False(Valid(emulator, a1), "A's old token is still valid");
    }

    /// <summary>
    /// Two SecretStore vaults of one user are one store file: while process A rotates A_TOKEN of vault Prod (held by the
    /// emulator at its first Graph request, the lock in its hands), a rotation of B_TOKEN in vault Test, or a save into
    /// Test, waits for it (said in Verbose, with A's process id); once A ends, it goes on, and nothing is lost.
    /// </summary>
    [Theory]
    [InlineData("rotation")]
    [InlineData("save")]
    public async Task A_write_to_another_SecretStore_vault_of_the_same_user_waits_for_a_rotation(string what)
    {
        if (!Ready()) return;
        await using var emulator = await GraphEmulator.StartAsync();
        using var pwsh = new PwshChild();
        var first = pwsh.Run(Setup, Env(emulator, pwsh, bVault: "Test"));
        _out.WriteLine(first.ToString());
        string a1 = first.Result.GetProperty("a").GetString()!, b1 = first.Result.GetProperty("b").GetString()!;

        var a = HoldRotation(emulator, pwsh, "-Vault Prod -Name A_TOKEN", out string resultFileA);
        var stdoutA = a.StandardOutput.ReadToEndAsync();
        var stderrA = a.StandardError.ReadToEndAsync();
        while (!a.HasExited && emulator.Faults.HeldRequests == 0) await Task.Delay(10);
        Assert.False(a.HasExited, "A ended before it reached Meta");
        emulator.Faults.Latency = TimeSpan.Zero; // A's held request stays held; B's go through

        // B writes each Verbose line to a file as it comes: the lock-wait line tells the test B is waiting.
        var envB = Env(emulator, pwsh);
        envB["NAOVA_LOG"] = Path.Combine(pwsh.Home, "b.log");
        envB["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "b.json");
        string command = what == "rotation"
            ? "Update-WaToken -Vault Test -Name B_TOKEN"
            : "Get-WaToken -Vault Test -Name B_TOKEN | Save-WaToken -Vault Test -Name B_COPY";
        var b = pwsh.Start(Connect + "$out = @(" + command + """
             -Verbose -ErrorVariable errs -ErrorAction SilentlyContinue 4>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.VerboseRecord]) { Add-Content -LiteralPath $env:NAOVA_LOG -Value $_.Message } else { $_ }
            })
            """ + Report, envB);
        var stdoutB = b.StandardOutput.ReadToEndAsync();
        var stderrB = b.StandardError.ReadToEndAsync();
        string waitLine = "pid " + a.Id.ToString(CultureInfo.InvariantCulture);
        while (!b.HasExited && !(File.Exists(envB["NAOVA_LOG"]) && File.ReadAllText(envB["NAOVA_LOG"]).Contains(waitLine, StringComparison.Ordinal))) await Task.Delay(20);
        bool waited = !b.HasExited;
        emulator.Faults.ReleaseHeld();
        await a.WaitForExitAsync();
        await b.WaitForExitAsync();
        _out.WriteLine($"A: exit {a.ExitCode}\nstdout: {await stdoutA}\nstderr: {await stderrA}\nresult: {File.ReadAllText(resultFileA)}");
        _out.WriteLine($"B: exit {b.ExitCode}\nstdout: {await stdoutB}\nstderr: {await stderrB}\nverbose: {(File.Exists(envB["NAOVA_LOG"]) ? File.ReadAllText(envB["NAOVA_LOG"]) : "none")}");
        var resultA = JsonDocument.Parse(File.ReadAllText(resultFileA)).RootElement;
        var resultB = JsonDocument.Parse(File.ReadAllText(envB["NAOVA_RESULT"])).RootElement;

        Assert.True(waited, "B ended without waiting for A's lock");
        Assert.Equal(new[] { "Completed" }, Strings(resultA, "steps"));
        Assert.Empty(Strings(resultB, "errors"));
        string a2 = Strings(resultA, "fingerprints").Single();
        var held = pwsh.Run(ReadVaults, Env(emulator, pwsh)).Result;
        _out.WriteLine("held: " + held);
        Assert.Equal(a2, held.GetProperty("Prod/A_TOKEN").GetString());
        Assert.True(Valid(emulator, a2), "A's new token is not valid at Meta");
        Assert.False(Valid(emulator, a1), "A's old token is still valid");
        if (what == "rotation")
        {
            Assert.Equal(new[] { "Completed" }, Strings(resultB, "steps"));
            string b2 = Strings(resultB, "fingerprints").Single();
            Assert.Equal(b2, held.GetProperty("Test/B_TOKEN").GetString());
            Assert.True(Valid(emulator, b2), "B's new token is not valid at Meta");
            Assert.False(Valid(emulator, b1), "B's old token is still valid");
        }
        else
        {
            Assert.Equal(b1, held.GetProperty("Test/B_COPY").GetString());
            Assert.Equal(b1, held.GetProperty("Test/B_TOKEN").GetString());
            Assert.Empty(Strings(resultB, "unsaved"));
        }
    }

    /// <summary>
    /// Save-WaToken takes the store's lock around its write: while a rotation of a .env runs in another process, a save
    /// of another variable of it that may not wait (-LockTimeoutSeconds 0) writes nothing, names the holder, and keeps
    /// the token in $WaUnsavedToken with the command that saves it again; that command, once the rotation ended, saves it.
    /// </summary>
    [Fact]
    public async Task Save_WaToken_into_a_store_being_rotated_keeps_the_token_and_the_command_to_save_it_again()
    {
        if (!Ready()) return;
        await using var emulator = await GraphEmulator.StartAsync();
        using var pwsh = new PwshChild();
        var first = pwsh.Run(Setup, Env(emulator, pwsh));
        _out.WriteLine(first.ToString());
        string b1 = first.Result.GetProperty("b").GetString()!;

        var a = HoldRotation(emulator, pwsh, "-EnvFile $env:NAOVA_ENV -Variable A_TOKEN", out var resultA);
        while (!a.HasExited && emulator.Faults.HeldRequests == 0) await Task.Delay(10);
        Assert.False(a.HasExited, "A ended before it reached Meta");
        int seen = emulator.Faults.RequestsSeen;

        // B may not wait: its save fails, and B keeps the token; once A ended, B runs the command the error gave.
        var envB = Env(emulator, pwsh);
        envB["NAOVA_RESULT"] = Path.Combine(pwsh.Home, "b.json");
        envB["NAOVA_GO"] = Path.Combine(pwsh.Home, "a-ended");
        envB["NAOVA_AGAIN"] = Path.Combine(pwsh.Home, "b-again.json");
        var b = pwsh.Start(Connect + """
            $out = @(Get-WaToken -EnvFile $env:NAOVA_ENV -Variable B_TOKEN | Save-WaToken -EnvFile $env:NAOVA_ENV -Variable B_COPY -LockTimeoutSeconds 0 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $failure = @($errs)[0]
            $retry = [regex]::Match("$($failure.ErrorDetails.Message)", '\$WaUnsavedToken \| Save-WaToken[^\r\n]*').Value
            Set-Content -LiteralPath $env:NAOVA_RESULT -Value (@{
              errors = @($errs | ForEach-Object FullyQualifiedErrorId); categories = @($errs | ForEach-Object { "$($_.CategoryInfo.Category)" })
              message = "$($failure.ErrorDetails.Message)"; remedy = "$($failure.ErrorDetails.RecommendedAction)"; retry = $retry
              kept = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint); count = $out.Count
              written = [bool](Select-String -LiteralPath $env:NAOVA_ENV -Pattern '^B_COPY=' -Quiet)
            } | ConvertTo-Json)
            while (-not (Test-Path $env:NAOVA_GO)) { Start-Sleep -Milliseconds 10 }
            $again = @(Invoke-Expression $retry)
            Set-Content -LiteralPath $env:NAOVA_AGAIN -Value (@{
              storedIn = @($again | ForEach-Object { "$($_.StoredIn)" }); kept = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint)
              copy = (Get-WaToken -EnvFile $env:NAOVA_ENV -Variable B_COPY).Fingerprint
            } | ConvertTo-Json)
            """, envB);
        var stdoutB = b.StandardOutput.ReadToEndAsync();
        var stderrB = b.StandardError.ReadToEndAsync();
        await WaitForFileAsync(envB["NAOVA_RESULT"], b);
        int seenByB = emulator.Faults.RequestsSeen - seen;
        emulator.Faults.Latency = TimeSpan.Zero;
        emulator.Faults.ReleaseHeld();
        await a.WaitForExitAsync();
        File.WriteAllText(envB["NAOVA_GO"], string.Empty);
        await b.WaitForExitAsync();
        _out.WriteLine($"B: exit {b.ExitCode}\nstdout: {await stdoutB}\nstderr: {await stderrB}");
        var resultB = JsonDocument.Parse(File.ReadAllText(envB["NAOVA_RESULT"])).RootElement;
        var again = JsonDocument.Parse(File.ReadAllText(envB["NAOVA_AGAIN"])).RootElement;
        _out.WriteLine("A: " + File.ReadAllText(resultA) + "\nB: " + resultB + "\nagain: " + again);

        Assert.Equal(new[] { "StoreBusy,Naova.WhatsAppToken.Commands.SaveWaTokenCommand" }, Strings(resultB, "errors"));
        Assert.Equal(new[] { "ResourceBusy" }, Strings(resultB, "categories"));
        Assert.Contains("pid " + a.Id.ToString(CultureInfo.InvariantCulture), resultB.GetProperty("message").GetString());
        Assert.Contains("-LockTimeoutSeconds", resultB.GetProperty("remedy").GetString());
        Assert.Equal(new[] { b1 }, Strings(resultB, "kept"));
        Assert.Equal(0, resultB.GetProperty("count").GetInt32());
        Assert.False(resultB.GetProperty("written").GetBoolean(), "B_COPY was written while the store was locked");
        Assert.Equal(0, seenByB);
        Assert.StartsWith("$WaUnsavedToken | Save-WaToken -EnvFile", resultB.GetProperty("retry").GetString());
        Assert.Single(Strings(again, "storedIn"));
        Assert.Empty(Strings(again, "kept"));
        Assert.Equal(b1, again.GetProperty("copy").GetString());
        Assert.Equal(new[] { "Completed" }, Strings(JsonDocument.Parse(File.ReadAllText(resultA)).RootElement, "steps"));
    }

    /// <summary>
    /// SecretStore's Test-SecretVault writes the store, so Save-WaToken's check of a SecretStore vault takes the store's
    /// lock too: while another process rotates a secret of another SecretStore vault of the user, a save that may not
    /// wait stops the pipeline with StoreBusy before New-WaToken makes any token.
    /// </summary>
    [Fact]
    public async Task Save_WaToken_does_not_check_a_SecretStore_vault_while_another_process_writes_the_store()
    {
        if (!Ready()) return;
        await using var emulator = await GraphEmulator.StartAsync();
        using var pwsh = new PwshChild();
        var first = pwsh.Run(Setup, Env(emulator, pwsh, bVault: "Test"));
        _out.WriteLine(first.ToString());
        string su = first.Result.GetProperty("su").GetString()!;
        int tokensBefore = emulator.State.GetTokensOf(su).Count;

        var a = HoldRotation(emulator, pwsh, "-Vault Prod -Name A_TOKEN", out _);
        while (!a.HasExited && emulator.Faults.HeldRequests == 0) await Task.Delay(10);
        Assert.False(a.HasExited, "A ended before it reached Meta");
        int seen = emulator.Faults.RequestsSeen;
        var envB = Env(emulator, pwsh);
        envB["NAOVA_SU"] = su;
        var b = pwsh.Run(Connect + """
            $errs = @()
            try { $null = New-WaToken -SystemUserId $env:NAOVA_SU | Save-WaToken -Vault Test -Name B_NEW -LockTimeoutSeconds 0 }
            catch { $errs = @($_) }
            @{ errors = @($errs | ForEach-Object FullyQualifiedErrorId); message = "$(@($errs)[0].ErrorDetails.Message)"
               kept = @($global:WaUnsavedToken | Where-Object { $_ } | ForEach-Object Fingerprint) } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
            """, envB);
        _out.WriteLine("B: " + b);
        int seenByB = emulator.Faults.RequestsSeen - seen;
        emulator.Faults.Latency = TimeSpan.Zero;
        emulator.Faults.ReleaseHeld();
        await a.WaitForExitAsync();

        Assert.Equal(new[] { "StoreBusy,Naova.WhatsAppToken.Commands.SaveWaTokenCommand" }, Strings(b.Result, "errors"));
        Assert.Contains("pid " + a.Id.ToString(CultureInfo.InvariantCulture), b.Result.GetProperty("message").GetString());
        Assert.Empty(Strings(b.Result, "kept"));
        Assert.Equal(0, seenByB);
        // A made one token (its rotation); B made none.
        Assert.Equal(tokensBefore + 1, emulator.State.GetTokensOf(su).Count);
    }

    /// <summary>Process A rotates with the given store arguments; the emulator holds its first Graph request (the lock in A's hands) until released.</summary>
    private static Process HoldRotation(GraphEmulator emulator, PwshChild pwsh, string where, out string result)
    {
        emulator.Faults.LatencyFrom = emulator.Faults.RequestsSeen + 1;
        emulator.Faults.Latency = TimeSpan.FromMinutes(5);
        var env = Env(emulator, pwsh);
        result = Path.Combine(pwsh.Home, "a-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        env["NAOVA_RESULT"] = result;
        return pwsh.Start(ConnectHeld + "$out = @(Update-WaToken " + where + " -ErrorVariable errs -ErrorAction SilentlyContinue)" + Report, env);
    }
}
