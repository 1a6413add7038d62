namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// The SecretManagement STAND-IN (tests/Naova.WhatsAppToken.Tests/StandIn), not the real module, which can not be
/// installed here. Its vaults: <see cref="Metadata"/> keeps metadata, <see cref="NoMetadata"/> keeps none (Set-Secret
/// -Metadata fails there as SecretManagement reports it), <see cref="Locked"/> refuses every write and read.
/// </summary>
public static class SecretManagementStandIn
{
    public const string Metadata = "WithMetadata";
    public const string NoMetadata = "WithoutMetadata";
    public const string Locked = "Locked";

    public static string Manifest { get; } = Path.Combine(Repo.Root, "tests", "Naova.WhatsAppToken.Tests", "StandIn",
        "Microsoft.PowerShell.SecretManagement", "Microsoft.PowerShell.SecretManagement.psd1");

    /// <summary>A script line that imports the stand-in (once per runspace; its vaults start empty in each new one).</summary>
    public static string Import => $"Import-Module '{Manifest}' -ErrorAction Stop\n";
}
