using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Emulator.Spec;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The module's public paths, run through the hosted PowerShell engine against the strict emulator, and every request
/// the emulator logged held to Meta's specs (node fields, edge, method, params) and docs/graph-api.md for the endpoints the
/// specs lack. The table goes to the test output; a request that breaks the specs fails the test.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_request_of_the_public_paths_conforms_to_Metas_specs()
    {
        var emulators = new List<GraphEmulator>();
        var log = new List<RecordedRequest>();
        var paths = new List<string>();
        string folder = Directory.CreateTempSubdirectory("wa-conformance-").FullName;
        try
        {
            // The doc's pipeline, into a .env, then discovery and the system user reads.
            await RunAsync(new EmulatorOptions(), "pipeline and discovery", s => Done(s.Run(EmulatorSession.Connect + """
                $t = New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
                  Grant-WaAssets -WhatsAppBusinessAccount $waba -Task MANAGE |
                  New-WaToken -Expiration Never | Save-WaToken -EnvFile $env | Test-WaToken
                $u = Get-WaSystemUser
                Get-WaSystemUser -Id $u[0].Id
                New-WaSystemUser -Name naova-whatsapp-service -Role Admin
                Get-WaWhatsAppAccount
                Get-WaApp
                Get-WaConnection
                """, Vars(s, Env(folder, "pipeline")))));

            // Rotation: a permanent token remade (and the old one revoked), a 60-day token renewed, and revocation.
            await RunAsync(new EmulatorOptions(), "rotation and revocation", s =>
            {
                string permanent = Env(folder, "permanent"), sixty = Env(folder, "sixty");
                s.Run(EmulatorSession.Connect + """
                    $g = New-WaSystemUser -Name rotate -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba
                    $null = $g | New-WaToken | Save-WaToken -EnvFile $permanent
                    $null = $g | New-WaToken -Expiration SixtyDays | Save-WaToken -EnvFile $sixty
                    """, Vars(s, permanent, sixty)).AssertClean();
                s.Emulator.Clock.Advance(TimeSpan.FromDays(50));
                s.Run(EmulatorSession.Connect + """
                    Update-WaToken -EnvFile $permanent
                    Update-WaToken -EnvFile $sixty
                    Test-WaToken -EnvFile $sixty
                    $x = New-WaSystemUser -Name revoke -Role Employee | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
                    Revoke-WaToken -Token $x.Token -Confirm:$false -PassThru
                    Revoke-WaToken -All -SystemUserId $x.SystemUserId -Confirm:$false -PassThru
                    """, Vars(s, permanent, sixty)).AssertClean();
                return Task.CompletedTask;
            });

            // A fleet audit (two batches), and the fallbacks the fault matrix provokes: items a batch left unanswered,
            // a batch Meta refuses for debug_token, a token request whose answer is lost (fetch_only).
            await RunAsync(new EmulatorOptions(), "fleet audit, lost answers", async s =>
            {
                var fleet = (await BulkTokens.MakeAsync(s.Emulator, 60)).Select(EmulatorSession.Secure).ToArray();
                s.Emulator.ResetRequestLog(); // the fleet is the test's own setup, not a path of the module
                s.Emulator.Faults.NullBatchItemsAt(2, 7);
                s.Ps.Runspace.SessionStateProxy.SetVariable("fleet", fleet);
                s.Run(EmulatorSession.Connect + "$fleet | Test-WaToken").AssertClean();
                s.Run("$g = New-WaSystemUser -Name lost -Role Employee | Grant-WaAssets -WhatsAppBusinessAccount $waba").AssertClean();
                s.Emulator.Faults.Enqueue(FaultSpec.DropConnection() with { AfterHandling = true }, 1, "access_tokens");
                s.Run("$g | New-WaToken").AssertClean();
            });
            await RunAsync(new EmulatorOptions { DebugTokenInBatch = false }, "debug_token refused in a batch", async s =>
            {
                var fleet = (await BulkTokens.MakeAsync(s.Emulator, 3)).Select(EmulatorSession.Secure).ToArray();
                s.Emulator.ResetRequestLog();
                s.Ps.Runspace.SessionStateProxy.SetVariable("fleet", fleet);
                s.Run(EmulatorSession.Connect + "$fleet | Test-WaToken").AssertClean();
            });

            // The other reading of method=GET: Graph goes by the HTTP method, and the documented GETs are sent.
            await RunAsync(new EmulatorOptions { DebugTokenInBatch = false, HonourMethodOverride = false }, "documented GET fallbacks", s =>
            {
                string sixty = Env(folder, "fallback");
                s.Run(EmulatorSession.Connect + """
                    $null = New-WaSystemUser -Name fallback -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba |
                      New-WaToken -Expiration SixtyDays | Save-WaToken -EnvFile $sixty
                    """, Vars(s, sixty)).AssertClean();
                s.Emulator.Clock.Advance(TimeSpan.FromDays(50));
                s.Run(EmulatorSession.Connect + "Update-WaToken -EnvFile $sixty", Vars(s, sixty)).AssertClean();
                return Task.CompletedTask;
            });

            ConformanceReport report = SpecConformance.Check(log, id => emulators.Select(e => e.NodeTypeOf(id)).FirstOrDefault(t => t != null));
            output.WriteLine($"Paths run: {string.Join("; ", paths)}. {report.Requests} requests (batch items included) against the strict emulator:");
            output.WriteLine(report.ToTable());

            Assert.True(report.Conforms, report.ToTable());
            foreach (string endpoint in new[] { "/{Business}/system_users", "/{SystemUser}", "/{SystemUser}/access_tokens", "/debug_token",
                         "/oauth/access_token", "/oauth/revoke", "/{WhatsAppBusinessAccount}/assigned_users", "/{Business}/system_user_access_tokens",
                         "/debug_token (in a batch)", "/{WhatsAppBusinessAccount}/phone_numbers" })
                Assert.Contains(report.Rows, r => r.Endpoint == endpoint);
        }
        finally
        {
            foreach (var emulator in emulators) await emulator.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }

        async Task RunAsync(EmulatorOptions options, string name, Func<EmulatorSession, Task> run)
        {
            var s = await EmulatorSession.StartAsync(options);
            try
            {
                await run(s);
                log.AddRange(s.Emulator.Requests);
                paths.Add(name);
            }
            finally
            {
                s.Ps.Dispose();
                emulators.Add(s.Emulator);
            }
        }
    }

    private static Task Done(PsResult result)
    {
        result.AssertClean();
        return Task.CompletedTask;
    }

    private static string Env(string folder, string name) => Path.Combine(folder, name + ".env");

    private static object Vars(EmulatorSession s, string env, string? second = null) => new
    {
        biz = s.Seed.BusinessId, app = s.Seed.AppId, uri = s.Emulator.BaseUri, waba = s.Seed.WabaId,
        admin = EmulatorSession.Secure(s.Seed.AdminUserToken), secret = EmulatorSession.Secure(s.Seed.AppSecret),
        env, permanent = env, sixty = second ?? env,
    };
}
