using System;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>The table of graph-api.md section 5, as code.</summary>
    public static class GraphErrorClassifier
    {
        public static GraphErrorKind Classify(int? httpStatus, int? code, int? subcode, string? message, bool isTransient)
        {
            if (code.HasValue)
            {
                var byCode = ByCode(code.Value, subcode, message ?? string.Empty);
                if (byCode != GraphErrorKind.Unknown) return byCode;
            }
            if (isTransient) return GraphErrorKind.Transient;
            if (httpStatus == 429) return GraphErrorKind.RateLimited;
            if (httpStatus >= 500) return GraphErrorKind.Transient;
            return GraphErrorKind.Unknown;
        }

        private static GraphErrorKind ByCode(int code, int? subcode, string message)
        {
            switch (code)
            {
                case 1:
                case 2:
                case 131000:
                case 131016:
                case 131056:
                    return GraphErrorKind.Transient;
                case 4:
                case 17:
                case 32:
                case 341:
                case 613:
                case 130429:
                    return GraphErrorKind.RateLimited;
                case 10:
                    return GraphErrorKind.PermissionMissing;
                case 100:
                    return ClassifyInvalidParameter(subcode, message);
                case 102:
                    return GraphErrorKind.Session;
                case 190:
                    return subcode == 463 ? GraphErrorKind.TokenExpired : GraphErrorKind.TokenInvalid;
                case 131005:
                    return GraphErrorKind.WhatsAppAccessDenied;
                case 131031:
                    return GraphErrorKind.WhatsAppAccountLocked;
                case 133010:
                    return GraphErrorKind.PhoneNumberNotRegistered;
                case 368:
                    return GraphErrorKind.PolicyBlocked;
            }
            if (code >= 80000 && code <= 80014) return GraphErrorKind.RateLimited;
            if (code >= 200 && code <= 299) return GraphErrorKind.PermissionMissing;
            return GraphErrorKind.Unknown;
        }

        // Code 100 covers many things; Meta's words are the only way to tell some of them apart.
        private static GraphErrorKind ClassifyInvalidParameter(int? subcode, string message)
        {
            if (subcode == 33) return GraphErrorKind.ObjectNotFound;
            if (Has(message, "require an appsecret_proof")) return GraphErrorKind.AppSecretProofMissing;
            if (Has(message, "Invalid appsecret_proof")) return GraphErrorKind.AppSecretProofInvalid;
            if (Has(message, "set_token_expires_in_60_days") || Has(message, "expiring")) return GraphErrorKind.MustUseExpiringTokens;
            if (Has(message, "system user limit") || Has(message, "maximum number of system users") || (Has(message, "system user") && Has(message, "the most it can have")))
                return GraphErrorKind.SystemUserLimitReached;
            if (Has(message, "does not exist")) return GraphErrorKind.ObjectNotFound;
            if (Has(message, "not installed") || Has(message, "install the app")) return GraphErrorKind.AppNotInstalled;
            return GraphErrorKind.InvalidParameter;
        }

        private static bool Has(string message, string part) => message.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
