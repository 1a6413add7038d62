using System;

namespace Naova.WhatsAppToken
{
    /// <summary>What Revoke-WaToken revoked: one token (by fingerprint), or every token of a system user.</summary>
    public sealed class WaTokenRevocation
    {
        /// <summary>The revoked token's fingerprint; empty when every token of the system user was revoked.</summary>
        public string? Fingerprint { get; internal set; }

        /// <summary>
        /// Where the revoked token was stored when it was piped from Get-WaToken or Save-WaToken: that secret or variable
        /// still holds it, revoked, until it is written over. Empty otherwise.
        /// </summary>
        public string? StoredIn { get; internal set; }

        /// <summary>The system user whose tokens were all revoked; empty for a single token.</summary>
        public string? SystemUserId { get; internal set; }

        /// <summary>True when every token of <see cref="SystemUserId"/> was revoked.</summary>
        public bool AllTokens { get; internal set; }

        public DateTimeOffset RevokedAt { get; internal set; }

        public WaConnection? Connection { get; internal set; }

        public override string ToString() => AllTokens ? $"every token of system user {SystemUserId} revoked"
            : StoredIn == null ? $"token {Fingerprint} revoked" : $"token {Fingerprint} revoked ({StoredIn})";
    }
}
