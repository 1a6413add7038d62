using System.Management.Automation;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// -Vault is optional, as on Get-Secret and Set-Secret: without it, SecretManagement's default vault (the one
    /// Get-SecretVault marks IsDefault, set with Set-SecretVaultDefault). It is named before anything is read or written,
    /// so messages, metadata and the command that saves a kept token again all say which vault it was.
    /// </summary>
    internal static class DefaultVault
    {
        /// <summary>The vault given, or the default one; null with the error to write when there is none.</summary>
        public static string? Resolve(string? given, out ErrorRecord? error)
        {
            error = null;
            if (!string.IsNullOrEmpty(given)) return given;
            string? name = SecretManagementBridge.DefaultVaultName(out var failure);
            if (name != null) return name;
            if (failure != null)
            {
                error = TokenStoreError.FromVault(failure, string.Empty, string.Empty, writing: false).ToErrorRecord(null);
                return null;
            }
            string message = Messages.Get("Error.NoDefaultVault");
            error = new ErrorRecord(new ItemNotFoundException(message), "NoDefaultVault", ErrorCategory.ObjectNotFound, null)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.NoDefaultVault") },
            };
            return null;
        }
    }
}
