using System;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>The particulars of one thing that happened in a rotation; what does not apply is empty.</summary>
    public sealed class RotationFacts
    {
        public RotationFacts(RotationState state) => State = state;

        /// <summary>The rotation as it stands.</summary>
        public RotationState State { get; }

        /// <summary>The token it is about.</summary>
        public string? Fingerprint { get; set; }

        /// <summary>The other token of the step: the one replaced, or kept.</summary>
        public string? OtherFingerprint { get; set; }

        /// <summary>The name in the store it is about, when that is not the stored token's own.</summary>
        public string? Name { get; set; }

        /// <summary>A word from elsewhere: Meta's message, who holds the lock, a path, an id.</summary>
        public string? Detail { get; set; }

        /// <summary>A file or folder of the state folder it is about.</summary>
        public string? Path { get; set; }

        public DateTimeOffset? AskedAt { get; set; }

        public GraphApiException? GraphError { get; set; }

        public StoreFailure? Failure { get; set; }

        /// <summary>Why the new token proved wrong, with <see cref="FlawArgs"/>.</summary>
        public RotationFlaw? Flaw { get; set; }

        public string[] FlawArgs { get; set; } = Array.Empty<string>();

        /// <summary>Whether the wrong token was revoked once the old one was put back.</summary>
        public bool Revoked { get; set; }

        /// <summary>A token Meta made that is stored nowhere: the caller keeps it, or it is lost.</summary>
        public StoredToken? Keep { get; set; }
    }
}
