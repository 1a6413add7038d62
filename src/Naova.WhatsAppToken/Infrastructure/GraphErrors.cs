using System.Globalization;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Graph failures as ErrorRecords: a stable ErrorId (the reason; PowerShell appends the cmdlet), the right
    /// category, the target, Meta's codes, and a remedy in words as RecommendedAction.
    /// </summary>
    internal static class GraphErrors
    {
        public static ErrorRecord ToErrorRecord(GraphApiException ex, object? target)
        {
            string reason = Reason(ex);
            var record = new ErrorRecord(ex, reason, Category(ex.Kind), target);
            string remedy = Remedy(reason, ex.Operation);
            record.ErrorDetails = new ErrorDetails(Messages.Get("Error.GraphFailed", GraphWords.Operation(ex.Operation), GraphWords.Detail(ex), Facts(ex), HostShowsRemedy ? string.Empty : remedy).TrimEnd())
            {
                RecommendedAction = remedy,
            };
            return record;
        }

        /// <summary>
        /// Whether the host prints RecommendedAction under the message: PowerShell 7.5 and later do, in the default
        /// ConciseView ("Recommendation: ..."), so the message must not say the remedy a second time. Windows
        /// PowerShell 5.1 and PowerShell 7.2-7.4 never show it, so there the message carries it.
        /// </summary>
        internal static bool HostShowsRemedy { get; } = typeof(PSObject).Assembly.GetName().Version >= new System.Version(7, 5);

        /// <summary>The ErrorId: the kind of failure, sharpened by what was being done where Meta's code is too broad.</summary>
        public static string Reason(GraphApiException ex)
        {
            if (ex.Kind == GraphErrorKind.PermissionMissing && (ex.Operation == "CreateSystemUser" || SaysBusinessAdmin(ex))) return "NotBusinessAdmin";
            return ex.Kind.ToString();
        }

        // Meta's code 200 covers a missing scope and a caller that is not a business admin; only its words tell them apart
        // ("Only a business admin ... can generate a token", title "Not a business admin").
        private static bool SaysBusinessAdmin(GraphApiException ex) =>
            (ex.Message?.IndexOf("business admin", System.StringComparison.OrdinalIgnoreCase) ?? -1) >= 0
            || (ex.UserTitle?.IndexOf("business admin", System.StringComparison.OrdinalIgnoreCase) ?? -1) >= 0;

        /// <summary>Meta's codes, the HTTP status, the trace id, how many tries and the wait Meta asked for: what support needs.</summary>
        private static string Facts(GraphApiException ex)
        {
            string facts = ex.Code.HasValue
                ? Messages.Get("Error.GraphCodes", ex.Code, GraphWords.Subcode(ex), ex.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-", ex.FbTraceId ?? "-")
                : ex.HttpStatus.HasValue ? Messages.Get("Error.HttpStatus", ex.HttpStatus) : string.Empty;
            if (ex.Attempts > 1) facts += " " + Messages.Get("Error.Attempts", ex.Attempts);
            if (ex.RetryAfter.HasValue && ex.Kind == GraphErrorKind.RateLimited) facts += " " + Messages.Get("Error.MetaWait", GraphWords.Duration(ex.RetryAfter.Value));
            return facts.Trim();
        }

        /// <summary>The remedy for this reason when doing this operation, else for the reason alone.</summary>
        private static string Remedy(string reason, string? operation)
        {
            if (operation != null && Messages.Resources.GetString("Remedy." + reason + "." + operation, CultureInfo.CurrentUICulture) is string specific)
                return specific;
            return Messages.Resources.GetString("Remedy." + reason, CultureInfo.CurrentUICulture) ?? Messages.Get("Remedy.Unknown");
        }

        public static ErrorCategory Category(GraphErrorKind kind)
        {
            switch (kind)
            {
                case GraphErrorKind.TokenExpired:
                case GraphErrorKind.TokenInvalid:
                case GraphErrorKind.Session:
                case GraphErrorKind.AppSecretProofMissing:
                case GraphErrorKind.AppSecretProofInvalid:
                    return ErrorCategory.AuthenticationError;
                case GraphErrorKind.PermissionMissing:
                case GraphErrorKind.WhatsAppAccessDenied:
                    return ErrorCategory.PermissionDenied;
                case GraphErrorKind.InvalidParameter:
                    return ErrorCategory.InvalidArgument;
                case GraphErrorKind.ObjectNotFound:
                    return ErrorCategory.ObjectNotFound;
                case GraphErrorKind.RateLimited:
                    return ErrorCategory.LimitsExceeded;
                case GraphErrorKind.SystemUserLimitReached:
                    return ErrorCategory.QuotaExceeded;
                case GraphErrorKind.MustUseExpiringTokens:
                case GraphErrorKind.AppNotInstalled:
                    return ErrorCategory.InvalidOperation;
                case GraphErrorKind.AppTokenRequired:
                    return ErrorCategory.PermissionDenied;
                case GraphErrorKind.Transient:
                case GraphErrorKind.WhatsAppAccountLocked:
                case GraphErrorKind.PhoneNumberNotRegistered:
                    return ErrorCategory.ResourceUnavailable;
                case GraphErrorKind.PolicyBlocked:
                    return ErrorCategory.SecurityError;
                case GraphErrorKind.MalformedResponse:
                    return ErrorCategory.InvalidResult;
                case GraphErrorKind.Timeout:
                    return ErrorCategory.OperationTimeout;
                case GraphErrorKind.ConnectionFailed:
                    return ErrorCategory.ConnectionError;
                default:
                    return ErrorCategory.NotSpecified;
            }
        }
    }
}
