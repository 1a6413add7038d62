namespace Naova.WhatsAppToken.KeyVaultEmulator.Vault;

/// <summary>A refusal, answered as Key Vault's error: {"error":{"code":..,"message":..,"innererror":{"code":..}}}.</summary>
internal sealed class KeyVaultException(int status, string code, string message, string? innerCode = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string? InnerCode { get; } = innerCode;
}
