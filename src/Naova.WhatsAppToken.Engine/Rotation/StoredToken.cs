using System;
using System.Security;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// A token as a store holds it, with what the store kept about it (empty where it kept nothing: a .env keeps only
    /// the text). The rotation's own type: the module's token object is adapted to it where the store is.
    /// </summary>
    public sealed class StoredToken
    {
        public SecureString Token { get; set; } = new SecureString();

        public string Fingerprint { get; set; } = string.Empty;

        public string? SystemUserId { get; set; }

        public string? SystemUserName { get; set; }

        public string? BusinessId { get; set; }

        public string? AppId { get; set; }

        public string[] Scopes { get; set; } = Array.Empty<string>();

        /// <summary>True for a 60-day token, false for one that never expires, null when the store does not know.</summary>
        public bool? SixtyDays { get; set; }

        public DateTimeOffset? IssuedAt { get; set; }

        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>The object this was adapted from (a token the session kept), handed back as it was when it is stored.</summary>
        public object? Origin { get; set; }
    }
}
