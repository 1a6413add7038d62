using System;
using System.Security;

namespace Naova.WhatsAppToken
{
    public enum WaTokenExpiration
    {
        Never,
        SixtyDays,
    }

    /// <summary>
    /// A WhatsApp access token and what is known of it. The text is only in <see cref="Token"/>, a SecureString;
    /// everything that can be shown names the token by its <see cref="Fingerprint"/>.
    /// </summary>
    public sealed class WaToken
    {
        public SecureString Token { get; internal set; } = new SecureString();

        /// <summary>The first 12 hex digits of the SHA-256 of the token: enough to tell tokens apart, useless to an attacker.</summary>
        public string Fingerprint { get; internal set; } = string.Empty;

        public string? SystemUserId { get; internal set; }

        public string? SystemUserName { get; internal set; }

        public string? BusinessId { get; internal set; }

        public string? AppId { get; internal set; }

        public string[] Scopes { get; internal set; } = Array.Empty<string>();

        public WaTokenExpiration? Expiration { get; internal set; }

        public DateTimeOffset? IssuedAt { get; internal set; }

        /// <summary>Empty when the token never expires.</summary>
        public DateTimeOffset? ExpiresAt { get; internal set; }

        public string Expires => ExpiresAt.HasValue ? ExpiresAt.Value.ToString("u") : (Expiration == WaTokenExpiration.Never ? "Never" : "Unknown");

        /// <summary>Where the token is kept, e.g. "vault Production, secret WHATSAPP_ACCESS_TOKEN"; empty until saved.</summary>
        public WaTokenPlace? StoredIn { get; internal set; }

        public WaConnection? Connection { get; internal set; }

        /// <summary>For a token kept in $WaUnsavedToken: the secret or variable name it was being saved under.</summary>
        internal string? MeantFor { get; set; }

        /// <summary>A copy without the token's text, for an error's TargetObject: the fingerprint and the names only.</summary>
        internal WaToken WithoutSecret()
        {
            var copy = (WaToken)MemberwiseClone();
            copy.Token = new SecureString();
            return copy;
        }

        /// <summary>A copy that says where it is now kept; the object that came in stays as it was.</summary>
        internal WaToken StoredAt(WaTokenPlace? place)
        {
            var copy = (WaToken)MemberwiseClone();
            copy.StoredIn = place;
            return copy;
        }

        public override string ToString() => $"WhatsApp token {Fingerprint} (system user {SystemUserName ?? SystemUserId ?? "unknown"}, expires {Expires})";
    }
}
