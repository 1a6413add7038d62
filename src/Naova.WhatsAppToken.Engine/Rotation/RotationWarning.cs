namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>What a rotation carries on past, but the user should know.</summary>
    public enum RotationWarning
    {
        /// <summary>The state folder can not be written (Detail: why): no lock and no journal for this rotation.</summary>
        LockNotTaken,

        /// <summary>The journal (Detail: its path; Reason: why) could not be written: none for the rest of this rotation.</summary>
        JournalNotWritten,

        /// <summary>The kept copy, revoked, could not be removed (Failure).</summary>
        PreviousNotRemoved,

        /// <summary>The business makes only expiring tokens: a 60-day one is made.</summary>
        MustExpire,

        /// <summary>Meta's answer was lost and the token it made was fetched back.</summary>
        TokenRecovered,

        /// <summary>The new token names no WhatsApp Business Account to read: verified by debug_token alone.</summary>
        NoWabaToRead,

        /// <summary>A journal names a token an earlier run left at Meta that can not be fetched any more.</summary>
        JournalOrphan,

        /// <summary>
        /// A journal with no fingerprint, and Meta's latest token for the system user (Fingerprint) is held by another
        /// secret of the store (Name), or the store could not be read through to tell (Failure): it is not adopted, and a
        /// token the earlier run may have made can not be found.
        /// </summary>
        JournalUnproven,

        /// <summary>The token an earlier, interrupted run left at Meta is fetched back from its journal.</summary>
        JournalRecovered,
    }
}
