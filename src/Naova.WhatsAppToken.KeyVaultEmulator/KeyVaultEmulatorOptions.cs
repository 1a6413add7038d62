using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Naova.WhatsAppToken.KeyVaultEmulator;

/// <summary>How a Key Vault emulator starts: HTTPS only (Azure's clients send a bearer token over https alone).</summary>
public sealed class KeyVaultEmulatorOptions
{
    /// <summary>A loopback address; nothing else is accepted.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>0: a free port, which <see cref="KeyVaultEmulator.VaultUri"/> then gives.</summary>
    public int Port { get; init; }

    /// <summary>The server certificate, with its private key: the one the test made and trusts.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>The bearer tokens the vault accepts; any other is answered 401 with the challenge.</summary>
    public required IReadOnlyCollection<string> AcceptedTokens { get; init; }

    /// <summary>The tenant the challenge names (authorization="https://login.windows.net/{tenant}").</summary>
    public string TenantId { get; init; } = "00000000-0000-0000-0000-00000000e1a7";

    /// <summary>The clock of created, updated, deletedDate and scheduledPurgeDate.</summary>
    public Func<DateTimeOffset> Now { get; init; } = () => DateTimeOffset.UtcNow;
}
