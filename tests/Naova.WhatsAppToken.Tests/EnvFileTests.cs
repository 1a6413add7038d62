using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>Save-WaToken -EnvFile, Get-WaToken -EnvFile and Test-WaToken -EnvFile, against the emulator, on real files.</summary>
public sealed class EnvFileTests : IDisposable
{
    private const string NewToken = EmulatorSession.Connect + """
        $token = New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
          Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE -WarningAction SilentlyContinue |
          New-WaToken -Expiration Never

        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("naova-envfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    private static string OnlyToken(EmulatorSession s) => Assert.Single(s.Emulator.State.GetTokensOf(Assert.Single(s.Emulator.State.GetSystemUsers()).Id)).Fingerprint;

    /// <summary>Runs with the emulator's variables ($biz, $app, ...) and <paramref name="extra"/> ones set.</summary>
    private static PsResult Run(EmulatorSession s, string script, object extra)
    {
        s.Ps.Run("$null", s.Vars()).AssertClean();
        return s.Ps.Run(script, extra);
    }

    [Fact]
    public async Task Save_creates_an_owner_only_env_file_and_the_token_reads_back_and_checks_out()
    {
        await using var s = await EmulatorSession.StartAsync();
        string path = Path.Combine(_folder, ".env");
        var result = Run(s, NewToken + "$token | Save-WaToken -EnvFile $path -Verbose", new { path }).AssertClean();

        var saved = result.One("WaToken");
        Assert.Equal(path + ", variable WHATSAPP_ACCESS_TOKEN", saved.S("StoredIn"));
        string content = File.ReadAllText(path);
        Assert.StartsWith("WHATSAPP_ACCESS_TOKEN=EAA", content);
        Assert.EndsWith(Environment.NewLine, content);
        string text = content.Trim().Split('=', 2)[1];
        Assert.Equal(OnlyToken(s), Fingerprint(text));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains(result.Verbose, v => v.Message.Contains("created '" + path + "'") && v.Message.Contains(OnlyToken(s)));
        Assert.DoesNotContain(text, result.AllText());

        var read = s.Ps.Run("Get-WaToken -EnvFile $path", new { path }).AssertClean().One("WaToken");
        Assert.Equal(OnlyToken(s), read.S("Fingerprint"));
        Assert.Equal(saved.S("StoredIn"), read.S("StoredIn"));
        Assert.Equal(text, s.Ps.Run("Get-WaToken -EnvFile $path -Variable WHATSAPP_ACCESS_TOKEN -AsPlainText", new { path }).AssertClean().Output.Single().BaseObject);

        var report = s.Ps.Run("Test-WaToken -EnvFile $path", new { path }).AssertClean().One("WaTokenReport");
        Assert.Equal("Healthy", report.S("Status"));
        Assert.Equal(path + ", variable WHATSAPP_ACCESS_TOKEN", report.S("StoredIn"));
        Assert.Equal("Healthy", s.Ps.Run("$token | Save-WaToken -EnvFile $path | Test-WaToken", new { path }).AssertClean().One("WaTokenReport").S("Status"));
    }

    [Fact]
    public async Task Save_replaces_the_last_assignment_and_leaves_every_other_byte_of_the_file()
    {
        await using var s = await EmulatorSession.StartAsync();
        string path = Path.Combine(_folder, "app.env");
        const string before = "# Naova WhatsApp service\r\nexport WHATSAPP_ACCESS_TOKEN='EAAold1'\r\n\r\nWHATSAPP_PHONE_ID=123 # main line\r\n";
        const string last = "  WHATSAPP_ACCESS_TOKEN = \"EAAold2\"   # rotated\n";
        File.WriteAllText(path, before + last + "DEBUG=false");

        var result = Run(s, NewToken + "$token | Save-WaToken -EnvFile $path -Verbose", new { path }).AssertClean();
        string content = File.ReadAllText(path);
        Assert.StartsWith(before, content);
        Assert.EndsWith("\"   # rotated\nDEBUG=false", content);
        string line = content.Substring(before.Length, content.Length - before.Length - "DEBUG=false".Length);
        Assert.StartsWith("  WHATSAPP_ACCESS_TOKEN = \"EAA", line);
        Assert.Equal(OnlyToken(s), Fingerprint(line.Split('"')[1]));

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("2 times (lines 2, 5)", warning.Message);
        Assert.Contains(result.Verbose, v => v.Message.Contains("replaced the value of WHATSAPP_ACCESS_TOKEN on line 5"));
        Assert.Equal(OnlyToken(s), s.Ps.Run("Get-WaToken -EnvFile $path", new { path }).AssertClean().One("WaToken").S("Fingerprint"));
    }

    [Fact]
    public async Task A_relative_path_starts_at_PowerShell_s_location()
    {
        await using var s = await EmulatorSession.StartAsync();
        var result = Run(s, NewToken + "$null = $ExecutionContext.SessionState.Path.SetLocation($folder)\n$token | Save-WaToken -EnvFile ./.env",
            new { folder = _folder }).AssertClean();
        Assert.Equal(Path.Combine(_folder, ".env") + ", variable WHATSAPP_ACCESS_TOKEN", result.One("WaToken").S("StoredIn"));
        Assert.True(File.Exists(Path.Combine(_folder, ".env")));
        Assert.Equal("Healthy", s.Ps.Run("Test-WaToken -EnvFile .env").AssertClean().One("WaTokenReport").S("Status"));
    }

    [Fact]
    public async Task A_missing_folder_is_refused_before_the_token_is_made_and_the_save_goes_through_once_it_exists()
    {
        await using var s = await EmulatorSession.StartAsync();
        string folder = Path.Combine(_folder, "config");
        string path = Path.Combine(folder, ".env");
        var result = Run(s, NewToken + "$su = Get-WaSystemUser -Name naova-whatsapp-service\n$su | New-WaToken | Save-WaToken -EnvFile $path", new { path });
        var error = Assert.Single(result.Errors);
        Assert.Equal("EnvFolderNotFound,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains(path, error.ErrorDetails.Message);
        Assert.DoesNotContain("$WaUnsavedToken", error.ErrorDetails.RecommendedAction);
        Assert.Single(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER");
        Assert.False(Directory.Exists(folder));

        Directory.CreateDirectory(folder);
        var again = s.Ps.Run("$su | New-WaToken | Save-WaToken -EnvFile $path", new { path }).AssertClean();
        Assert.Equal(path + ", variable WHATSAPP_ACCESS_TOKEN", again.One("WaToken").S("StoredIn"));
        Assert.Equal(again.One("WaToken").S("Fingerprint"), Fingerprint(File.ReadAllText(path).Trim().Split('=', 2)[1]));
    }

    [Fact]
    public async Task NoClobber_leaves_a_different_token_in_place_and_keeps_the_new_one()
    {
        await using var s = await EmulatorSession.StartAsync();
        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "A=1\nWHATSAPP_ACCESS_TOKEN=EAAkeepme\n");
        var result = Run(s, NewToken + "$token | Save-WaToken -EnvFile $path -NoClobber", new { path });
        var error = Assert.Single(result.Errors);
        Assert.Equal("EnvVariableExists,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains("(line 2)", error.ErrorDetails.Message);
        Assert.Equal("A=1\nWHATSAPP_ACCESS_TOKEN=EAAkeepme\n", File.ReadAllText(path));
        Assert.Equal(OnlyToken(s), s.Ps.Run("$WaUnsavedToken").AssertClean().One("WaToken").S("Fingerprint"));

        // Without -NoClobber it replaces; with it, the same token again is no change.
        s.Ps.Run("$token | Save-WaToken -EnvFile $path", new { path }).AssertClean();
        var same = s.Ps.Run("$token | Save-WaToken -EnvFile $path -NoClobber -Verbose", new { path }).AssertClean();
        Assert.Contains(same.Verbose, v => v.Message.Contains("nothing was written"));
    }

    [Fact]
    public async Task Bad_input_is_refused_before_any_token_is_made_or_any_file_written()
    {
        await using var s = await EmulatorSession.StartAsync();
        string path = Path.Combine(_folder, ".env");
        var result = Run(s, EmulatorSession.Connect + """
            New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
              Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE |
              New-WaToken -Expiration Never |
              Save-WaToken -EnvFile $path -Variable '1-BAD'
            """, new { path });
        var failure = (Exception?)result.Terminating ?? result.Errors.Single().Exception;
        var binding = Assert.IsAssignableFrom<ParameterBindingException>(failure is ActionPreferenceStopException stop ? stop.ErrorRecord.Exception : failure);
        Assert.Equal("Variable", binding.ParameterName);
        Assert.Contains("'1-BAD' is not a portable environment variable name", binding.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(s.Emulator.State.GetSystemUsers());

        s.Run(NewToken).AssertClean();

        // Not a file system path: refused before New-WaToken runs, so no token is made.
        int tokens = s.Emulator.State.GetTokens().Count;
        var notAFile = s.Ps.Run("New-WaToken -SystemUserId $id | Save-WaToken -EnvFile 'Variable:\\x'", new { id = Assert.Single(s.Emulator.State.GetSystemUsers()).Id });
        var error = Assert.Single(notAFile.Errors);
        Assert.Equal("EnvFileNotFileSystem,Naova.WhatsAppToken.Commands.SaveWaTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(tokens, s.Emulator.State.GetTokens().Count);
        Assert.Empty(s.Ps.Run("@($WaUnsavedToken).Where({ $_ })").AssertClean().Output);
    }

    [Fact]
    public async Task Reading_a_missing_file_or_variable_fails_with_what_to_do()
    {
        await using var s = await EmulatorSession.StartAsync();
        string missing = Path.Combine(_folder, "none.env");
        var noFile = Assert.Single(s.Ps.Run("Get-WaToken -EnvFile $missing", new { missing }).Errors);
        Assert.Equal("EnvFileNotFound,Naova.WhatsAppToken.Commands.GetWaTokenCommand", noFile.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, noFile.CategoryInfo.Category);

        string path = Path.Combine(_folder, ".env");
        File.WriteAllText(path, "OTHER=1\n");
        var noVariable = Assert.Single(Run(s, EmulatorSession.Connect + "Test-WaToken -EnvFile $path", new { path }).Errors);
        Assert.Equal("EnvVariableNotFound,Naova.WhatsAppToken.Commands.TestWaTokenCommand", noVariable.FullyQualifiedErrorId);
        Assert.Contains("Save-WaToken -EnvFile", noVariable.ErrorDetails.RecommendedAction);
    }
}
