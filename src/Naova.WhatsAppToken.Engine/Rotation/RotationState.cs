using System;
using System.Security;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>One rotation of a stored token: what it plans, and how far it got.</summary>
    public sealed class RotationState
    {
        /// <summary>The name the application reads the token under, and where the replaced one is kept.</summary>
        public string Name { get; internal set; } = string.Empty;

        public string PreviousName { get; internal set; } = string.Empty;

        public RotationAction Action { get; internal set; }

        public RotationStep Step { get; internal set; }

        /// <summary>The token now stored (the new one once stored), and its fingerprint.</summary>
        public SecureString Token { get; internal set; } = new SecureString();

        public string Fingerprint { get; internal set; } = string.Empty;

        /// <summary>The token being replaced.</summary>
        public string? PreviousFingerprint { get; internal set; }

        public bool PreviousRevoked { get; internal set; }

        public string SystemUserId { get; internal set; } = string.Empty;

        public string AppId { get; internal set; } = string.Empty;

        public string[] Scopes { get; internal set; } = Array.Empty<string>();

        /// <summary>Empty when the token never expires.</summary>
        public DateTimeOffset? ExpiresAt { get; internal set; }

        public string? VerifiedWhatsAppBusinessAccountId { get; internal set; }

        /// <summary>Meta's clock when the stored tokens were inspected.</summary>
        public DateTimeOffset Now { get; internal set; }

        // The plan, as -WhatIf tells it.

        /// <summary>The stored token's fingerprint when the rotation began.</summary>
        public string CurrentFingerprint { get; internal set; } = string.Empty;

        /// <summary>The kept copy's fingerprint when the rotation began (none when there was none).</summary>
        public string? KeptFingerprint { get; internal set; }

        /// <summary>Whether the stored token is first kept under the previous name.</summary>
        public bool KeepsCurrent { get; internal set; }

        /// <summary>The token an earlier run left (unsaved, or at Meta per the journal) that is stored instead of making one.</summary>
        public string? AdoptedFingerprint { get; internal set; }

        public bool SixtyDays { get; internal set; }

        /// <summary>Whether the token replaced still works, and so is revoked at the end.</summary>
        public bool RevokesOld { get; internal set; }

        /// <summary>Whole days left to the stored token (none when it never expires).</summary>
        public int? DaysLeft => ExpiresAt is DateTimeOffset at ? Math.Max(0, (int)Math.Floor((at - Now).TotalDays)) : (int?)null;

        /// <summary>A copy without the token's text, for an error.</summary>
        public RotationState WithoutSecret()
        {
            var copy = (RotationState)MemberwiseClone();
            copy.Token = new SecureString();
            return copy;
        }
    }
}
