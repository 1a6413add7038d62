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

    /// <summary>Waits up to <paramref name="guard"/> for <paramref name="signal"/>; see <see cref="SeenAsync(Emulator.GraphEmulator, Task, string, TimeSpan)"/>.</summary>
    public Task SeenAsync(Task signal, string what, TimeSpan guard) => SeenAsync(Emulator, signal, what, guard);

    /// <summary>
    /// Waits up to <paramref name="guard"/> (a guard against a hang, never a timing) for something the emulator signals;
    /// when it does not come, the failure says what the emulator saw meanwhile: every request it held and how that
    /// hold ended, and its connections.
    /// </summary>
    public static async Task SeenAsync(Emulator.GraphEmulator emulator, Task signal, string what, TimeSpan guard)
    {
        try
        {
            await signal.WaitAsync(guard);
        }
        catch (TimeoutException)
        {
            var faults = emulator.Faults;
            throw new Xunit.Sdk.XunitException(
                $"The emulator did not see {what} within {guard.TotalSeconds:0} s. Requests seen {faults.RequestsSeen}, held {faults.HeldRequests}, " +
                $"aborted {faults.AbortedRequests}; connections accepted {emulator.AcceptedConnections}, open {emulator.OpenConnections}. Holds:" +
                string.Concat(faults.Holds.Select(h => Environment.NewLine + "  " + h)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Ps.Dispose();
        await Emulator.DisposeAsync();
    }
}
