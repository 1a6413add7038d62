namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>A fact of a rotation worth a verbose line; the caller words it.</summary>
    public enum RotationNote
    {
        /// <summary>Another process holds the secret's lock (Detail: who); the rotation waits for it.</summary>
        LockWait,

        PreviousKept,

        /// <summary>A token the session kept unsaved is stored instead of making another.</summary>
        AdoptedUnsaved,

        TokenCreated,

        TokenRenewed,

        /// <summary>Meta would not renew the 60-day token (Detail: its words); a new one is made.</summary>
        RenewRefused,

        NewStored,

        NewVerified,

        TokenRevoked,

        PreviousAlreadyInvalid,

        PreviousRemoved,
    }
}
