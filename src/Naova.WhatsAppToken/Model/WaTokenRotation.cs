using System;
using System.Security;

namespace Naova.WhatsAppToken
{
    /// <summary>What Update-WaToken did, or is about to do, to a stored token.</summary>
    public enum WaRotationAction
    {
        /// <summary>A 60-day token with more than -RenewWithin days left: nothing was changed.</summary>
        NotDue,

        /// <summary>A 60-day token exchanged for a new one (fb_exchange_token).</summary>
        Renewed,

        /// <summary>A new token made for the same system user, app and scopes.</summary>
        Remade,

        /// <summary>An unfinished rotation finished: the stored token verified, the previous one revoked.</summary>
        Resumed,
    }

    /// <summary>How far a rotation got. Each step leaves a working token where the application reads it.</summary>
    public enum WaRotationStep
    {
        /// <summary>Nothing changed yet.</summary>
        Planned,

        /// <summary>The current token is also kept under the previous-token name.</summary>
        PreviousKept,

        /// <summary>Meta made the new token; it is not stored yet (it is kept in $WaUnsavedToken if storing fails).</summary>
        Created,

        /// <summary>The new token is where the application reads it; the previous one still works and is kept.</summary>
        Stored,

        /// <summary>The new token passed debug_token and a WhatsApp read.</summary>
        Verified,

        /// <summary>The previous token is revoked: the rotation is complete.</summary>
        Completed,
    }

    /// <summary>
    /// One rotation of a stored token. The new token is in <see cref="Token"/> (a SecureString) and named by
    /// <see cref="Fingerprint"/>; the token it replaced by <see cref="PreviousFingerprint"/>, kept in
    /// <see cref="PreviousStoredIn"/> until the rotation completes. Pipe it to Test-WaToken to check the new token.
    /// </summary>
    public sealed class WaTokenRotation
    {
        public WaRotationAction Action { get; internal set; }

        public WaRotationStep Step { get; internal set; }

        /// <summary>True once the new token is stored, verified and the previous one revoked (or when nothing was due).</summary>
        public bool Completed => Step == WaRotationStep.Completed || Action == WaRotationAction.NotDue;

        /// <summary>Where the application reads the token.</summary>
        public WaTokenPlace? StoredIn { get; internal set; }

        /// <summary>Where the replaced token is kept until the rotation completes (the name with _PREVIOUS appended).</summary>
        public WaTokenPlace? PreviousStoredIn { get; internal set; }

        /// <summary>The token now stored (the new one once stored; the current one when nothing was due).</summary>
        public SecureString Token { get; internal set; } = new SecureString();

        public string Fingerprint { get; internal set; } = string.Empty;

        public string? PreviousFingerprint { get; internal set; }

        /// <summary>Whether the replaced token was revoked by this rotation (false when it had stopped working already).</summary>
        public bool PreviousRevoked { get; internal set; }

        public string? SystemUserId { get; internal set; }

        public string? AppId { get; internal set; }

        public string[] Scopes { get; internal set; } = Array.Empty<string>();

        /// <summary>Empty when the token never expires.</summary>
        public DateTimeOffset? ExpiresAt { get; internal set; }

        public string Expires => ExpiresAt.HasValue ? ExpiresAt.Value.ToString("u") : "Never";

        /// <summary>The WhatsApp Business Account whose phone numbers the new token read to prove it works.</summary>
        public string? VerifiedWhatsAppBusinessAccountId { get; internal set; }

        public DateTimeOffset At { get; internal set; } = DateTimeOffset.Now;

        public WaConnection? Connection { get; internal set; }

        /// <summary>A copy without the new token's text, for an error's TargetObject.</summary>
        internal WaTokenRotation WithoutSecret()
        {
            var copy = (WaTokenRotation)MemberwiseClone();
            copy.Token = new System.Security.SecureString();
            return copy;
        }

        public override string ToString() => $"{Action} {StoredIn}: token {Fingerprint} (previous {PreviousFingerprint ?? "none"}), step {Step}";
    }
}
