using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Issue 11 where the issue found it: in a real pwsh 7.6.10 process (not the hosted engine), with the real
/// SecretManagement 1.1.2 and a SecretStore vault in a fresh HOME where this machine has them (../shared/psmodules),
/// against the emulator on 127.0.0.1. The script is RealPwsh/SafeToLeaveRunning.ps1.
/// </summary>
public class RealPwshTests
{
    [Fact]
    public async Task In_real_pwsh_the_audit_sends_only_the_token_a_rotation_leaves_nothing_stale_and_the_remedy_is_rendered_once()
    {
        await using var s = await EmulatorSession.StartAsync();
        string script = Path.Combine(Repo.Root, "tests", "Naova.WhatsAppToken.Tests", "RealPwsh", "SafeToLeaveRunning.ps1");
        var (exit, lines, errors) = await RealPwsh.RunAsync(script, new Dictionary<string, string>
        {
            ["NAOVA_BIZ"] = s.Seed.BusinessId,
            ["NAOVA_APP"] = s.Seed.AppId,
            ["NAOVA_ADMIN"] = s.Seed.AdminUserToken,
            ["NAOVA_EMPLOYEE"] = s.Seed.EmployeeUserToken,
            ["NAOVA_SECRET"] = s.Seed.AppSecret,
            ["NAOVA_URI"] = s.Emulator.BaseUri.ToString(),
            ["NAOVA_WABA"] = s.Seed.WabaId,
        });
        var said = lines.Where(l => l.Contains('=')).Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        string all = string.Join("\n", lines) + "\n" + errors;
        Assert.True(exit == 0, "pwsh failed:\n" + all);
        Assert.StartsWith("7.6.10", said["pwsh"]);
        // The real SecretManagement (and a SecretStore vault) where ../shared/psmodules has them, else the stand-in.
        Assert.StartsWith("1.1.2", said["secretmanagement"]);
        Assert.Contains(RealPwsh.RealSecretStore ? RealPwsh.SharedModules : "StandIn", said["secretmanagement"]);

        // 1. The vault-wide audit: the token Healthy, the rest Skipped, and only the token reached debug_token.
        Assert.Equal("DB_PASSWORD:Skipped;META_ADMIN_TOKEN:Skipped;META_APP_SECRET:Skipped;SETTINGS:Skipped;WHATSAPP_ACCESS_TOKEN:Healthy", said["audit"]);
        Assert.Equal(said["token"], said["audit.inspected"]);
        // (The app secret does reach Meta later in the run, as Update-WaToken's client_secret: that is what it is for.)
        Assert.False(s.Emulator.Received("correct horse battery staple"));
        Assert.False(s.Emulator.Received("hunter2hunter2"));

        // 2. The rotation completed, left no _PREVIOUS and nothing in $Error, and the daily audit passes.
        Assert.Equal("True", said["rotation.completed"]);
        Assert.Equal("0", said["rotation.errors"].Trim());
        Assert.Equal("0", said["rotation.previous"]);
        Assert.StartsWith("passed", said["daily"]);

        // 3. The employee is told to connect as a business admin, and the remedy is printed once (ConciseView's "Recommendation:").
        Assert.StartsWith("NotBusinessAdmin,", said["employee.error"]);
        Assert.Equal("ConciseView", said["employee.errorview"]);
        Assert.Equal("1", said["employee.remedy.count"]);
        Assert.Equal("1", said["employee.recommendation.count"]);

        Assert.Contains("Connected to business " + s.Seed.BusinessName, said["connect.said"]);
        Assert.DoesNotContain(s.Seed.AdminUserToken, all);
        Assert.DoesNotContain(s.Seed.AppSecret, all);
    }
}
