using System;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>The table of docs/graph-api.md section 5, as code.</summary>
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
                    return Undocumented(message) ?? GraphErrorKind.PermissionMissing;
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
            if (code >= 200 && code <= 299) return Undocumented(message) ?? GraphErrorKind.PermissionMissing;
            return GraphErrorKind.Unknown;
        }

        // Code 100 covers many things; Meta's words are the only way to tell some of them apart.
        private static GraphErrorKind ClassifyInvalidParameter(int? subcode, string message)
        {
            if (subcode == 33) return GraphErrorKind.ObjectNotFound;
            if (Has(message, "require an appsecret_proof")) return GraphErrorKind.AppSecretProofMissing;
            if (Has(message, "Invalid appsecret_proof")) return GraphErrorKind.AppSecretProofInvalid;
            if (Has(message, "must provide an app access token") || (Has(message, "app access token") && Has(message, "developer of the app")))
                return GraphErrorKind.AppTokenRequired;
            if (Undocumented(message) is GraphErrorKind undocumented) return undocumented;
            if (Has(message, "does not exist")) return GraphErrorKind.ObjectNotFound;
            if (Has(message, "not installed") || Has(message, "install the app")) return GraphErrorKind.AppNotInstalled;
            return GraphErrorKind.InvalidParameter;
        }

        /// <summary>
        /// "This business must use expiring tokens" and "too many system users": Meta documents neither code nor text
        /// (docs/graph-api.md sections 1 and 3), so they are read from Meta's words, under the codes such a refusal can carry
        /// (100, invalid parameter; 10 and 200-299, not permitted), by tolerant patterns rather than one sentence.
        /// </summary>
        private static GraphErrorKind? Undocumented(string message)
        {
            if (Has(message, "set_token_expires_in_60_days") || ExpiringPattern.IsMatch(message)) return GraphErrorKind.MustUseExpiringTokens;
            if (SystemUserLimitPattern.IsMatch(message)) return GraphErrorKind.SystemUserLimitReached;
            return null;
        }

        // expir* about a token, or a 60-day limit; "Session has expired" is code 190 and never reaches here.
        private static readonly Regex ExpiringPattern = new Regex(
            @"(\bexpir\w*\b.*\btokens?\b|\btokens?\b.*\bexpir\w*|\b60[- ]days?\b|\bsixty days\b|\bnon-?expiring\b)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

        // "system user(s)" with a limit, a maximum, too many, reached or exceeded, or "the most it can have".
        private static readonly Regex SystemUserLimitPattern = new Regex(
            @"\bsystem[ _-]?users?\b.*\b(limit\w*|maximum|max|too many|reached|exceed\w*|most it can have)\b|\b(limit|maximum|max|too many)\b.*\bsystem[ _-]?users?\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

        private static bool Has(string message, string part) => message.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
