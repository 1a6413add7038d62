namespace Naova.WhatsAppToken.KeyVaultEmulator.Vault;

/// <summary>One version of a secret: its value, and what Key Vault keeps beside it. Times are Unix seconds.</summary>
public sealed class SecretVersion
{
    internal SecretVersion(string version, string value, long created)
    {
        Version = version;
        Value = value;
        Created = created;
        Updated = created;
    }

    /// <summary>32 lowercase hex digits, as Key Vault's.</summary>
    public string Version { get; }
    public string Value { get; }
    public string? ContentType { get; internal set; }
    public IReadOnlyDictionary<string, string>? Tags { get; internal set; }
    public bool Enabled { get; internal set; } = true;
    public long? NotBefore { get; internal set; }
    public long? Expires { get; internal set; }
    public long Created { get; }
    public long Updated { get; internal set; }
}
