namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>What a Graph failure means for the caller; the cmdlets turn each into a category and a remedy.</summary>
    public enum GraphErrorKind
    {
        Unknown,
        Transient,
        RateLimited,
        PermissionMissing,
        InvalidParameter,
        ObjectNotFound,
        AppSecretProofMissing,
        AppSecretProofInvalid,
        MustUseExpiringTokens,
        SystemUserLimitReached,
        AppNotInstalled,
        /// <summary>debug_token refused the caller: it takes an app token, or a token of an admin or developer of the app.</summary>
        AppTokenRequired,
        TokenExpired,
        TokenInvalid,
        Session,
        WhatsAppAccessDenied,
        WhatsAppAccountLocked,
        PhoneNumberNotRegistered,
        PolicyBlocked,
        MalformedResponse,
        Timeout,
        ConnectionFailed,
    }
}
