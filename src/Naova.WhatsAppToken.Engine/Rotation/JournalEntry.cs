using System;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>What an earlier run asked of Meta for a secret, and how far it got; never the token's text.</summary>
    public sealed class JournalEntry
    {
        public string Place { get; set; } = string.Empty;

        public string Step { get; set; } = string.Empty;

        public string SystemUserId { get; set; } = string.Empty;

        public string AppId { get; set; } = string.Empty;

        public string[] Scopes { get; set; } = Array.Empty<string>();

        /// <summary>When the token was asked for, in Meta's clock (Unix seconds).</summary>
        public long AskedAt { get; set; }

        /// <summary>The fingerprint of the new token, once Meta answered.</summary>
        public string? Fingerprint { get; set; }

        /// <summary>The token being replaced.</summary>
        public string? Replacing { get; set; }
    }
}
