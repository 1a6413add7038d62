using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Tests;

/// <summary>
/// A Key Vault emulator on 127.0.0.1 (a free port) over HTTPS with a certificate this test makes, and Azure's own
/// SecretClient pointed at it, unmodified: it trusts exactly that certificate (through its transport), asks its
/// credential for a token when the vault's challenge says so, and skips the check that the challenge's resource is the
/// vault's own domain, which a loopback address can not be (DisableChallengeResourceVerification).
/// </summary>
public sealed class TestVault : IAsyncDisposable
{
    public const string Token = "emulator-accepted-token";

    private TestVault(KeyVaultEmulator emulator, X509Certificate2 certificate)
    {
        Emulator = emulator;
        Certificate = certificate;
        Credential = new RecordingCredential(Token);
        Client = NewClient(Credential);
    }

    public KeyVaultEmulator Emulator { get; }
    public X509Certificate2 Certificate { get; }
    public RecordingCredential Credential { get; }
    public SecretClient Client { get; }

    public static async Task<TestVault> StartAsync()
    {
        X509Certificate2 certificate = MakeCertificate();
        KeyVaultEmulator emulator = await KeyVaultEmulator.StartAsync(new KeyVaultEmulatorOptions { Certificate = certificate, AcceptedTokens = [Token] });
        return new TestVault(emulator, certificate);
    }

    /// <summary>A client of this vault with another credential (a wrong token, say).</summary>
    public SecretClient NewClient(TokenCredential credential)
    {
        // The spec's version: the client's default, its latest, is newer than the spec the emulator ships and serves.
        var options = new SecretClientOptions(SecretClientOptions.ServiceVersion.V2025_07_01)
        {
            DisableChallengeResourceVerification = true,
            Transport = new HttpClientTransport(TrustingHandler()),
        };
        // A refusal is seen once, as it is answered: no retry hides or repeats it.
        options.Retry.MaxRetries = 0;
        return new SecretClient(Emulator.VaultUri, credential, options);
    }

    /// <summary>An HttpClient that trusts the test's certificate and nothing else, for requests the SDK would not send.</summary>
    public HttpClient RawClient(bool withToken = true)
    {
        var client = new HttpClient(TrustingHandler()) { BaseAddress = Emulator.VaultUri };
        if (withToken) client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return client;
    }

    private HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.RawData.AsSpan().SequenceEqual(Certificate.RawData),
    };

    /// <summary>A self-signed RSA certificate for 127.0.0.1, valid for an hour, with its key (PFX round trip: usable for TLS everywhere).</summary>
    public static X509Certificate2 MakeCertificate()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Certificate.Dispose();
    }
}

/// <summary>A credential of the test's own: answers a fixed token and records what it was asked for.</summary>
public sealed class RecordingCredential(string token) : TokenCredential
{
    private readonly List<TokenRequestContext> _asked = new();

    public IReadOnlyList<TokenRequestContext> Asked { get { lock (_asked) return _asked.ToList(); } }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_asked) _asked.Add(requestContext);
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
