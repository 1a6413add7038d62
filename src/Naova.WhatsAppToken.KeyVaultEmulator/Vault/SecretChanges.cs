namespace Naova.WhatsAppToken.KeyVaultEmulator.Vault;

/// <summary>What a set or an update gives besides a value; null leaves a field as it is.</summary>
internal sealed class SecretChanges
{
    public string? ContentType { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
    public bool? Enabled { get; init; }
    public long? NotBefore { get; init; }
    public long? Expires { get; init; }
}
