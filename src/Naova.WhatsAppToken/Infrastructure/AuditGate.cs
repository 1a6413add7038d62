using System;
using System.Collections;
using System.Security;
using System.Text.RegularExpressions;
using Naova.WhatsAppToken.Engine;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// What a token audit may send to Meta. A vault holds more than WhatsApp tokens (the app secret, the admin token,
    /// database passwords): a secret reaches debug_token only when this module stored it (its metadata carries the
    /// fingerprint Save-WaToken wrote, and the value still has that fingerprint), or when it was named explicitly and
    /// looks like a Meta access token. Anything else is skipped, and a secret that is not this module's is skipped
    /// without reading its value.
    /// </summary>
    internal static class AuditGate
    {
        // Meta's user, system user and page tokens start with "EA" and are letters and digits; their length varies, so
        // only a floor is set. This is a guard against sending a password, not a parse of the token.
        private static readonly Regex MetaToken = new Regex("^EA[A-Za-z0-9]{30,}$", RegexOptions.CultureInvariant);

        private static readonly Regex FingerprintText = new Regex("^[0-9a-f]{12}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        public static bool LooksLikeMetaToken(SecureString token) => MetaToken.IsMatch(SecretText.Reveal(token));

        /// <summary>
        /// The error of a command that would send <paramref name="what"/> (a place, or a token's fingerprint) to Meta, and
        /// does not, because it does not look like a Meta access token: the app secret, a password, a typo'd name.
        /// </summary>
        public static System.Management.Automation.ErrorRecord NotAToken(System.Management.Automation.PSCmdlet cmdlet, object what)
        {
            string message = Messages.Get("Error.NotAToken", cmdlet.MyInvocation.MyCommand.Name, what);
            return new System.Management.Automation.ErrorRecord(new ArgumentException(message), "NotAToken", System.Management.Automation.ErrorCategory.InvalidData, what)
            {
                ErrorDetails = new System.Management.Automation.ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.NotAToken") },
            };
        }

        /// <summary>The fingerprint this module wrote into the secret's metadata, or null when the metadata is not this module's.</summary>
        public static string? StoredFingerprint(IDictionary? metadata)
        {
            string? fingerprint = metadata == null ? null : TokenMetadata.FingerprintOf(metadata);
            return fingerprint != null && FingerprintText.IsMatch(fingerprint) ? fingerprint : null;
        }

        /// <summary>Whether SecretManagement's type for the secret can hold a token at all (unknown types are read and checked).</summary>
        public static bool MayBeText(string? type) =>
            string.IsNullOrEmpty(type) || type!.Equals("SecureString", StringComparison.OrdinalIgnoreCase) || type.Equals("String", StringComparison.OrdinalIgnoreCase)
            || type.Equals("Unknown", StringComparison.OrdinalIgnoreCase);
    }
}
