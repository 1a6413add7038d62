using System;
using System.Collections.Generic;
using System.Security;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>What the caller asked of a rotation, and what it brings: the connection's ids, the tokens it kept unsaved.</summary>
    public sealed class RotationOptions
    {
        /// <summary>The connection's app: a token of another app is not rotated.</summary>
        public string AppId { get; set; } = string.Empty;

        /// <summary>The connection's business, for a new token whose store kept none.</summary>
        public string? BusinessId { get; set; }

        /// <summary>The Graph endpoint: a journal belongs to one (its clock, its tokens).</summary>
        public string GraphEndpoint { get; set; } = string.Empty;

        /// <summary>Renew a 60-day token once fewer than this many days are left.</summary>
        public int RenewWithin { get; set; } = 15;

        /// <summary>Renew a 60-day token even when it is not due.</summary>
        public bool Force { get; set; }

        /// <summary>The system user, when neither the store nor Meta can say.</summary>
        public string? SystemUserId { get; set; }

        /// <summary>The WhatsApp Business Account the new token must read; by default one it reaches.</summary>
        public string? WhatsAppBusinessAccountId { get; set; }

        /// <summary>How long to wait for another process's rotation of the same secret.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Whether a secret may be sent to Meta (it looks like a Meta token): the name may hold a password or the app
        /// secret. Nothing is sent until the caller says what may be.
        /// </summary>
        public Func<SecureString, bool> MaySend { get; set; } = _ => false;

        /// <summary>Tokens an earlier run could not store: one that fits is stored instead of making another.</summary>
        public IReadOnlyList<StoredToken> Unsaved { get; set; } = Array.Empty<StoredToken>();
    }
}
