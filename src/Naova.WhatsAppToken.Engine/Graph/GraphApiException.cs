using System;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// The one exception every Graph failure becomes: an error envelope, an odd answer, a timeout or a dropped
    /// connection. Its message never carries token text: the client redacts what it sent before building it.
    /// </summary>
    public sealed class GraphApiException : Exception
    {
        public GraphApiException(GraphErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
        }

        public GraphErrorKind Kind { get; }

        /// <summary>What the client was doing, e.g. "CreateSystemUser"; lets the caller pick the right remedy.</summary>
        public string? Operation { get; internal set; }

        public int? HttpStatus { get; internal set; }

        public int? Code { get; internal set; }

        public int? Subcode { get; internal set; }

        public string? ErrorType { get; internal set; }

        public string? UserTitle { get; internal set; }

        public string? UserMessage { get; internal set; }

        public string? FbTraceId { get; internal set; }

        public bool IsTransientFlag { get; internal set; }

        /// <summary>The wait Meta asked for (Retry-After, estimated_time_to_regain_access), if any.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        /// <summary>Whether repeating the same call may succeed.</summary>
        public bool IsRetryable =>
            IsTransientFlag || Kind == GraphErrorKind.Transient || Kind == GraphErrorKind.RateLimited ||
            Kind == GraphErrorKind.Timeout || Kind == GraphErrorKind.ConnectionFailed;

        /// <summary>True when Meta answered with an error, so nothing was changed on its side.</summary>
        public bool IsGraphAnswer => Code.HasValue;
    }
}
