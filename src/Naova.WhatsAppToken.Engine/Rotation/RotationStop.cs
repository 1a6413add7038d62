namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>Why a rotation stopped, and so where it stands; the facts say the rest.</summary>
    public enum RotationStop
    {
        /// <summary>The stored token (or the kept copy, Name) could not be read (Failure).</summary>
        ReadFailed,

        /// <summary>The secret under Name does not look like a Meta token: nothing was sent.</summary>
        NotAToken,

        /// <summary>Meta did not answer what the stored tokens are (GraphError).</summary>
        InspectUnanswered,

        SystemUserUnknown,

        /// <summary>The token is another app's (Detail) than the connection's.</summary>
        AppMismatch,

        /// <summary>The kept copy is a working token of another system user (Detail).</summary>
        PreviousIsAnotherToken,

        /// <summary>The WhatsApp Business Account to verify with (Detail) can not be read by the stored token (GraphError), or the business has none of that id.</summary>
        WabaNotReadable,

        /// <summary>Another process is rotating this secret (Detail: who) and did not end in time.</summary>
        InProgress,

        /// <summary>Keeping the current token under the previous name failed (Failure): nothing changed.</summary>
        NothingChanged,

        /// <summary>Meta did not make the token (GraphError): the stored one is untouched.</summary>
        NotCreated,

        /// <summary>
        /// Meta's answer to the request that makes the token was lost (GraphError): it may hold a new token that nothing
        /// holds yet. Path is the journal that lets the next run find it (empty when there is none).
        /// </summary>
        AnswerLost,

        /// <summary>Meta's answer named a token this secret already holds: no new token was made.</summary>
        NoNewToken,

        /// <summary>The new token could not be stored (Failure): it is handed back in Keep.</summary>
        NewNotStored,

        /// <summary>Meta did not answer whether the stored token works (GraphError): both tokens work.</summary>
        NotVerified,

        /// <summary>The new token proved wrong (Flaw) and the old one could not be put back (Failure).</summary>
        PutBackFailed,

        /// <summary>The new token proved wrong (Flaw): the old one is back, the new one revoked (Revoked).</summary>
        PutBack,

        /// <summary>The old token could not be revoked (GraphError): it still works and is kept.</summary>
        NotRevoked,

        /// <summary>
        /// Read back after the old token was revoked, the store no longer holds the new one (OtherFingerprint: what it
        /// holds; Failure: why it could not be read): another writer changed it meanwhile. The new token is handed back in Keep.
        /// </summary>
        NotHeldAtEnd,
    }
}
