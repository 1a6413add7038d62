using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Naova.WhatsAppToken.KeyVaultEmulator.Http;
using Naova.WhatsAppToken.KeyVaultEmulator.Vault;

namespace Naova.WhatsAppToken.KeyVaultEmulator;

/// <summary>
/// A local emulator of Azure Key Vault's secrets data plane, held to Azure's published spec (Specs/secrets.json) and
/// to Azure's own client, on Kestrel over HTTPS, bound to a loopback address only.
/// </summary>
public sealed class KeyVaultEmulator : IAsyncDisposable
{
    private readonly RequestLog _log = new();
    private WebApplication? _app;

    private KeyVaultEmulator(KeyVaultEmulatorOptions options)
    {
        Options = options;
        Vault = new SecretVault(options.Now);
    }

    /// <summary>"https://127.0.0.1:PORT/" (with the trailing slash): the vault URI a client is given.</summary>
    public Uri VaultUri { get; private set; } = new("https://127.0.0.1/");

    public KeyVaultEmulatorOptions Options { get; }

    /// <summary>The secrets, live and deleted, for tests that look behind the API.</summary>
    public SecretVault Vault { get; }

    /// <summary>Every request and its answer, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    public void ResetRequestLog() => _log.Reset();

    public static async Task<KeyVaultEmulator> StartAsync(KeyVaultEmulatorOptions options, CancellationToken ct = default)
    {
        if (!IPAddress.IsLoopback(options.ListenAddress))
            throw new ArgumentException($"The emulator only binds a loopback address, not {options.ListenAddress}.", nameof(options));
        if (!options.Certificate.HasPrivateKey)
            throw new ArgumentException("The server certificate needs its private key.", nameof(options));
        if (options.AcceptedTokens.Count == 0 || options.AcceptedTokens.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("Give the emulator at least one bearer token to accept, none empty.", nameof(options));
        var emulator = new KeyVaultEmulator(options);
        await emulator.StartServerAsync(ct);
        return emulator;
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(Options.ListenAddress, Options.Port, listen => listen.UseHttps(Options.Certificate));
            k.AddServerHeader = false;
        });
        _app = builder.Build();
        var bundles = new Bundles(() => VaultUri);
        var front = new KeyVaultFront(new SecretOperations(Vault, bundles), Options, _log);
        _app.Run(front.InvokeAsync);
        await _app.StartAsync(ct);
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        VaultUri = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        WebApplication app = _app;
        _app = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await app.StopAsync(timeout.Token); }
        finally { await app.DisposeAsync(); }
    }
}
