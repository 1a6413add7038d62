namespace Naova.WhatsAppToken.KeyVaultEmulator.Vault;

/// <summary>A secret's versions, oldest first, and, once deleted, when (a deleted secret keeps them all).</summary>
public sealed class StoredSecret(string name)
{
    /// <summary>As first set: Key Vault compares names without case and answers with the name it keeps.</summary>
    public string Name { get; } = name;
    internal List<SecretVersion> Versions { get; } = new();
    public SecretVersion Latest => Versions[^1];
    public IReadOnlyList<SecretVersion> AllVersions => Versions;
    public long? DeletedDate { get; internal set; }
    public long? ScheduledPurgeDate { get; internal set; }
}
