namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>What proved a new token wrong; FlawArgs carry its particulars.</summary>
    public enum RotationFlaw
    {
        /// <summary>debug_token says it is not valid (Meta's words, redacted).</summary>
        Invalid,

        /// <summary>Another system user's or app's (its user, its app, the expected user, the expected app).</summary>
        OtherOwner,

        /// <summary>Scopes it lacks (comma-separated).</summary>
        ScopeMissing,

        /// <summary>Meta refused it the WhatsApp read (the account, Meta's words).</summary>
        WhatsAppReadRefused,
    }
}
