using System.Security;
using Naova.WhatsAppToken.Emulator;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>A fresh emulator on 127.0.0.1 (a free port) and a PowerShell session with the module, per test.</summary>
public sealed class EmulatorSession : IAsyncDisposable
{
    private EmulatorSession(GraphEmulator emulator, PsSession ps)
    {
        Emulator = emulator;
        Ps = ps;
    }

    public GraphEmulator Emulator { get; }

    public PsSession Ps { get; }

    public EmulatorSeed Seed => Emulator.Seed;

    public static async Task<EmulatorSession> StartAsync(EmulatorOptions? options = null)
    {
        var emulator = await GraphEmulator.StartAsync(options);
        Assert.True(emulator.BaseUri.IsLoopback);
        return new EmulatorSession(emulator, new PsSession());
    }

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (char c in text) s.AppendChar(c);
        s.MakeReadOnly();
        return s;
    }

    /// <summary>The variables a script needs to connect as the seeded business admin: $biz, $app, $admin, $secret, $uri, $waba.</summary>
    public object Vars(string? token = null) => new
    {
        biz = Seed.BusinessId,
        app = Seed.AppId,
        admin = Secure(token ?? Seed.AdminUserToken),
        secret = Secure(Seed.AppSecret),
        uri = Emulator.BaseUri,
        waba = Seed.WabaId,
        waba2 = Seed.SecondWabaId,
    };

    public const string Connect = "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri\n";

    public PsResult Run(string script, object? variables = null) => Ps.Run(script, variables ?? Vars());

    public async ValueTask DisposeAsync()
    {
        Ps.Dispose();
        await Emulator.DisposeAsync();
    }
}
