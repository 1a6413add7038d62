using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>Graph failures as ErrorRecords: a stable ErrorId, the right category, the target, Meta's codes and a remedy.</summary>
    internal static class GraphErrors
    {
        public static ErrorRecord ToErrorRecord(GraphApiException ex, object? target)
        {
            string reason = Reason(ex);
            var record = new ErrorRecord(ex, reason, Category(ex.Kind), target);
            string remedy = Messages.Get("Remedy." + reason);
            string codes = ex.Code.HasValue
                ? Messages.Get("Error.GraphCodes", ex.Code, ex.Subcode.HasValue ? "/" + ex.Subcode : string.Empty, ex.FbTraceId ?? "-")
                : string.Empty;
            string meta = string.IsNullOrEmpty(ex.UserMessage) ? ex.Message : ex.Message + " " + ex.UserMessage;
            record.ErrorDetails = new ErrorDetails(Messages.Get("Error.GraphFailed", Messages.Get("Operation." + (ex.Operation ?? "Unknown")), meta, codes, remedy))
            {
                RecommendedAction = remedy,
            };
            return record;
        }

        /// <summary>The ErrorId: the kind of failure, sharpened by what was being done where Meta's code is too broad.</summary>
        public static string Reason(GraphApiException ex)
        {
            if (ex.Kind == GraphErrorKind.PermissionMissing && ex.Operation == "CreateSystemUser") return "NotBusinessAdmin";
            return ex.Kind.ToString();
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
