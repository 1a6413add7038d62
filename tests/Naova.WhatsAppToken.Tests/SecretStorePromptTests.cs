using System.Text;
using System.Text.Json;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The real SecretStore, locked, with Interaction Prompt, read by a real pwsh that has a terminal (util-linux's script
/// gives it one): SecretStore asks "Enter password:" and the user presses Ctrl+C. That stops SecretStore's pipeline, not
/// the command, which must say the prompt was interrupted, not that nobody could answer it (which is what a stop means
/// with stdin from /dev/null: RealSecretStoreTests).
/// </summary>
public class SecretStorePromptTests
{
    private readonly ITestOutputHelper _out;

    public SecretStorePromptTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public async Task Ctrl_C_at_SecretStores_password_prompt_is_reported_as_an_interrupted_prompt()
    {
        _out.WriteLine("ran against " + PwshChild.RanAgainst + "; terminal: " + (PwshChild.CanGiveTerminal ? "/usr/bin/script" : "none"));
        if (!PwshChild.Available || !PwshChild.CanGiveTerminal) return;
        await using var emulator = await GraphEmulator.StartAsync();
        using var pwsh = new PwshChild();
        var env = PwshChild.EmulatorEnvironment(emulator);
        env["NAOVA_WABA"] = emulator.Seed.WabaId;
        env["NAOVA_STORE_PASSWORD"] = "store-pass-3f9a";
        env["NAOVA_STORE_FIRST"] = "1";
        // RealSecretStoreTests' setup: a password-protected SecretStore vault Prod holding a token as
        // WHATSAPP_ACCESS_TOKEN, then Interaction Prompt.
        var setup = pwsh.Run(RealSecretStoreTests.Setup, env).Result;
        Assert.False(string.IsNullOrEmpty(setup.GetProperty("first").GetString()), setup.ToString());
        if (setup.GetProperty("saveRetried").GetBoolean()) _out.WriteLine("setup: SecretStore refused the first save as locked; unlocked again and saved");

        // A new process: the store is locked, and reading the token makes SecretStore prompt at the terminal.
        string result = Path.Combine(pwsh.Home, "prompt-result.json");
        env["NAOVA_RESULT"] = result;
        var child = pwsh.Start(PwshChild.Connect + """
            $errs = @()
            try { $null = Get-WaToken -Vault Prod -Name WHATSAPP_ACCESS_TOKEN -ErrorVariable errs -ErrorAction SilentlyContinue }
            catch { $errs = @($_) }
            @{
              errors = @($errs | ForEach-Object FullyQualifiedErrorId)
              messages = @($errs | ForEach-Object { "$($_.ErrorDetails.Message)" })
              after = 'the script went on after the prompt'
            } | ConvertTo-Json | Set-Content $env:NAOVA_RESULT
            """, env, terminal: true);
        string screen = await TypeAtPromptAsync(child, "Enter password", "\u0003");
        _out.WriteLine(screen);

        Assert.True(File.Exists(result), "the child wrote no result:\n" + screen);
        var json = JsonDocument.Parse(File.ReadAllText(result)).RootElement;
        string[] errors = json.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string message = string.Join("\n", json.GetProperty("messages").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(errors, e => e.StartsWith("VaultPromptInterrupted,", StringComparison.Ordinal));
        Assert.Contains("the prompt was interrupted (Ctrl+C)", message, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody could give", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Waits until the terminal shows <paramref name="prompt"/> and pwsh reads keys at it, types <paramref name="keys"/>,
    /// and returns the whole screen once the process ends. pwsh asks the terminal where its cursor is (ESC[6n) as it
    /// starts reading keys: typed before that, Ctrl+C reaches a terminal still in line mode, not pwsh's prompt.
    /// </summary>
    private static async Task<string> TypeAtPromptAsync(System.Diagnostics.Process child, string prompt, string keys)
    {
        var screen = new StringBuilder();
        var buffer = new char[1024];
        bool typed = false;
        // A safety net against a hung child, not a timing assertion.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            int read;
            while ((read = await child.StandardOutput.ReadAsync(buffer.AsMemory(), guard.Token)) > 0)
            {
                screen.Append(buffer, 0, read);
                string shown = screen.ToString();
                int at = shown.IndexOf(prompt, StringComparison.Ordinal);
                if (!typed && at >= 0 && shown.IndexOf("\u001b[6n", at, StringComparison.Ordinal) >= 0)
                {
                    await child.StandardInput.WriteAsync(keys);
                    await child.StandardInput.FlushAsync();
                    typed = true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            screen.Append("\n[killed: no end after 3 minutes]");
        }
        await child.WaitForExitAsync();
        return screen.ToString();
    }
}
