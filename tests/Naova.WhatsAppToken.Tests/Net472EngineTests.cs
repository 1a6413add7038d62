using System.Collections;
using System.Net;
using System.Runtime.Loader;
using System.Security;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The dependencies/net472 engine, the build Windows PowerShell 5.1 and PowerShell 7.2/7.3 load, does what the other two
/// do: run in this net10.0 process, in the module's own load context, against the emulator over real HTTP. Until now no
/// test ran it; it failed at its first Graph call ("needs the reflection request builder").
/// </summary>
public sealed class Net472EngineTests
{
    private static readonly string[] Scopes = ["business_management", "whatsapp_business_management", "whatsapp_business_messaging"];
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void The_engine_loaded_is_the_net472_build_with_its_own_Refit_in_the_modules_context()
    {
        var engine = Net472Engine.Load();

        Assert.Equal(".NETFramework,Version=v4.7.2", engine.TargetFramework);
        Assert.Equal("ModuleLoadContext", AssemblyLoadContext.GetLoadContext(engine.Assembly)!.GetType().Name);
        var refit = engine.Context.LoadFromAssemblyName(new System.Reflection.AssemblyName("Refit"));
        Assert.Same(engine.Context, AssemblyLoadContext.GetLoadContext(refit));
        Assert.Equal(Path.Combine(Net472Engine.Folder, "Refit.dll"), refit.Location);
    }

    [Fact]
    public async Task The_net472_engine_connects_makes_grants_and_checks_a_token_renews_revokes_and_audits_a_fleet()
    {
        var engine = Net472Engine.Load();
        await using var emulator = await GraphEmulator.StartAsync();
        var seed = emulator.Seed;
        var settings = engine.New("GraphSettings", emulator.BaseUri, null);
        var connection = engine.New("Graph.GraphConnectionInfo", seed.BusinessId, seed.AppId, Secure(seed.AdminUserToken), Secure(seed.AppSecret), settings);
        var client = engine.New("Graph.GraphClient", connection, null, null);

        // Connect-WaBusiness's checks: the business, the app, the admin token described.
        Assert.Equal(seed.BusinessName, await Net472Engine.CallAsync(client, "GetBusinessNameAsync", None));
        Assert.Equal(seed.AppName, await Net472Engine.CallAsync(client, "GetAppNameAsync", None));
        var admin = (await Net472Engine.CallAsync(client, "DebugTokenAsync", Secure(seed.AdminUserToken), None))!;
        Assert.Equal(true, Net472Engine.Get(admin, "IsValid"));
        Assert.Equal("USER", Net472Engine.Get(admin, "Type"));

        // New-WaSystemUser: the list it decides from, then the creation (EMPLOYEE: the fleet below takes the one ADMIN seat).
        int before = ((ICollection)(await Net472Engine.CallAsync(client, "ListSystemUsersAsync", None))!).Count;
        string userId = (string)(await Net472Engine.CallAsync(client, "CreateSystemUserAsync", "net472-service", "EMPLOYEE", None))!;
        var listed = (IEnumerable)(await Net472Engine.CallAsync(client, "ListSystemUsersAsync", None))!;
        Assert.Equal(before + 1, listed.Cast<object>().Count());
        Assert.Contains(listed.Cast<object>(), u => (string?)Net472Engine.Get(u, "Id") == userId && (string?)Net472Engine.Get(u, "Name") == "net472-service");
        Assert.Equal("net472-service", emulator.State.FindSystemUser(userId)!.Name);

        // Grant-WaAssets: the app installed, the WABA assigned with MANAGE.
        await Net472Engine.CallAsync(client, "InstallAppAsync", userId, seed.AppId, None);
        await Net472Engine.CallAsync(client, "AssignWhatsAppAccountAsync", seed.WabaId, userId, new[] { "MANAGE" }, None);
        Assert.Contains(seed.AppId, emulator.State.FindSystemUser(userId)!.InstalledAppIds);
        Assert.Equal(new[] { "MANAGE" }, emulator.State.GetWabaAssignments(seed.WabaId)[userId]);

        // New-WaToken -Expiration Never, then Test-WaToken's debug_token.
        var permanent = TokenOf(await Net472Engine.CallAsync(client, "CreateSystemUserTokenAsync", userId, seed.AppId, Scopes, false, None, null));
        var described = (await Net472Engine.CallAsync(client, "DebugTokenAsync", permanent, None))!;
        Assert.Equal(true, Net472Engine.Get(described, "IsValid"));
        Assert.Equal(0L, Net472Engine.Get(described, "ExpiresAt"));
        Assert.Equal(Scopes, ((IEnumerable<string>)Net472Engine.Get(described, "Scopes")!).Order());
        Assert.Equal(userId, emulator.State.FindToken(Reveal(permanent))!.UserId);

        // Update-WaToken of a 60-day token: fb_exchange_token renews it; Revoke-WaToken revokes the old one.
        var sixtyDays = TokenOf(await Net472Engine.CallAsync(client, "CreateSystemUserTokenAsync", userId, seed.AppId, Scopes, true, None, null));
        var renewed = TokenOf(await Net472Engine.CallAsync(client, "ExchangeTokenAsync", sixtyDays, None));
        Assert.NotEqual(Reveal(sixtyDays), Reveal(renewed));
        Assert.Equal(true, Net472Engine.Get((await Net472Engine.CallAsync(client, "DebugTokenAsync", renewed, None))!, "IsValid"));
        await Net472Engine.CallAsync(client, "RevokeTokenAsync", sixtyDays, None);
        Assert.True(emulator.State.FindToken(Reveal(sixtyDays))!.Revoked);
        Assert.False(emulator.State.FindToken(Reveal(renewed))!.Revoked);

        // Test-WaToken's fleet audit: 120 tokens in three batches of debug_token, answers in input order.
        var fleet = await BulkTokens.MakeAsync(emulator, 120);
        Assert.True(emulator.State.InvalidateToken(fleet[7]));
        emulator.ResetRequestLog();
        var outcomes = ((IEnumerable)(await Net472Engine.CallAsync(client, "DebugTokensAsync", fleet.Select(Secure).ToArray(), null, None))!).Cast<object>().ToArray();
        Assert.Equal(3, emulator.RequestCount);
        Assert.Equal(fleet.Count, outcomes.Length);
        var valid = outcomes.Select(o => (bool)Net472Engine.Get(Net472Engine.Get(o, "Data")!, "IsValid")!).ToArray();
        Assert.Equal(Enumerable.Range(0, fleet.Count).Select(i => i != 7), valid);
        ((IDisposable)client).Dispose();
    }

    private static SecureString TokenOf(object? answer) => (SecureString)Net472Engine.Get(answer!, "Token")!;

    private static SecureString Secure(string text) => EmulatorSession.Secure(text);

    private static string Reveal(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;
}
