using System.Security.Cryptography;
using Naova.WhatsAppToken.KeyVaultEmulator.Spec;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Vault;

/// <summary>
/// The vault's secrets with soft delete always on, as for every vault since February 2025 (soft-delete-overview): a
/// delete keeps all versions under the name until a recover or a purge, and the name can not be set meanwhile.
/// Names compare without case, as Key Vault's. One lock: the emulator serves a test, not a load.
/// </summary>
public sealed class SecretVault(Func<DateTimeOffset> now)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, StoredSecret> _live = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, StoredSecret> _deleted = new(StringComparer.OrdinalIgnoreCase);

    private long Now => now().ToUnixTimeSeconds();

    /// <summary>The live secrets, for tests that look behind the API.</summary>
    public IReadOnlyList<StoredSecret> Live { get { lock (_lock) return _live.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList(); } }

    /// <summary>The soft-deleted secrets, for tests that look behind the API.</summary>
    public IReadOnlyList<StoredSecret> Deleted { get { lock (_lock) return _deleted.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList(); } }

    internal (StoredSecret Secret, SecretVersion Version) Set(string name, string value, SecretChanges changes)
    {
        lock (_lock)
        {
            if (_deleted.ContainsKey(name))
                throw new KeyVaultException(409, KeyVaultSurface.ConflictCode, KeyVaultSurface.Say(KeyVaultSurface.DeletedButRecoverable, name), KeyVaultSurface.DeletedButRecoverableCode);
            if (!_live.TryGetValue(name, out StoredSecret? secret)) _live[name] = secret = new StoredSecret(name);
            var version = new SecretVersion(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), value, Now);
            Apply(version, changes);
            secret.Versions.Add(version);
            return (secret, version);
        }
    }

    /// <summary>A version to read: the latest when <paramref name="version"/> is empty. A disabled one is refused.</summary>
    internal (StoredSecret Secret, SecretVersion Version) Get(string name, string version)
    {
        lock (_lock)
        {
            (StoredSecret secret, SecretVersion found) = Find(name, version);
            if (!found.Enabled)
                throw new KeyVaultException(403, KeyVaultSurface.DisabledCode, KeyVaultSurface.Disabled, KeyVaultSurface.DisabledInnerCode);
            return (secret, found);
        }
    }

    internal (StoredSecret Secret, SecretVersion Version) Update(string name, string version, SecretChanges changes)
    {
        lock (_lock)
        {
            (StoredSecret secret, SecretVersion found) = Find(name, version);
            Apply(found, changes);
            found.Updated = Now;
            return (secret, found);
        }
    }

    internal IReadOnlyList<StoredSecret> List()
    {
        lock (_lock) return _live.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// A live secret's versions; none for a name that is not live (our reading: the list operation filters, it does
    /// not name one object, and the spec lists no 404 for it; Azure's clients page through an empty list either way).
    /// </summary>
    internal IReadOnlyList<(StoredSecret Secret, SecretVersion Version)> ListVersions(string name)
    {
        lock (_lock)
            return _live.TryGetValue(name, out StoredSecret? secret) ? secret.Versions.Select(v => (secret, v)).ToList() : [];
    }

    internal StoredSecret Delete(string name)
    {
        lock (_lock)
        {
            if (!_live.Remove(name, out StoredSecret? secret)) throw NotFound(name);
            secret.DeletedDate = Now;
            secret.ScheduledPurgeDate = Now + KeyVaultSurface.RecoverableDays * 86400L;
            _deleted[secret.Name] = secret;
            return secret;
        }
    }

    internal StoredSecret GetDeleted(string name)
    {
        lock (_lock) return _deleted.TryGetValue(name, out StoredSecret? secret) ? secret : throw DeletedNotFound(name);
    }

    internal IReadOnlyList<StoredSecret> ListDeleted()
    {
        lock (_lock) return _deleted.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    internal StoredSecret Recover(string name)
    {
        lock (_lock)
        {
            if (!_deleted.Remove(name, out StoredSecret? secret)) throw DeletedNotFound(name);
            secret.DeletedDate = null;
            secret.ScheduledPurgeDate = null;
            _live[secret.Name] = secret;
            return secret;
        }
    }

    internal void Purge(string name)
    {
        lock (_lock)
        {
            if (!_deleted.Remove(name)) throw DeletedNotFound(name);
        }
    }

    private (StoredSecret, SecretVersion) Find(string name, string version)
    {
        if (!_live.TryGetValue(name, out StoredSecret? secret)) throw NotFound(name);
        if (version.Length == 0) return (secret, secret.Latest);
        SecretVersion? found = secret.Versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        return found is null ? throw NotFound($"{name}/{version}") : (secret, found);
    }

    private static void Apply(SecretVersion version, SecretChanges changes)
    {
        if (changes.ContentType is not null) version.ContentType = changes.ContentType;
        if (changes.Tags is not null) version.Tags = new Dictionary<string, string>(changes.Tags, StringComparer.Ordinal);
        if (changes.Enabled is bool enabled) version.Enabled = enabled;
        if (changes.NotBefore is long nbf) version.NotBefore = nbf;
        if (changes.Expires is long exp) version.Expires = exp;
    }

    private static KeyVaultException NotFound(string nameOrId) =>
        new(404, KeyVaultSurface.NotFoundCode, KeyVaultSurface.Say(KeyVaultSurface.NotFound, nameOrId));

    private static KeyVaultException DeletedNotFound(string name) =>
        new(404, KeyVaultSurface.NotFoundCode, KeyVaultSurface.Say(KeyVaultSurface.DeletedNotFound, name));
}
