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
