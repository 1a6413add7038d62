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

        internal GraphApiException(GraphErrorKind kind, GraphProblem problem, string message, Exception? inner = null)
            : this(kind, message, inner)
        {
            Problem = problem;
        }

        public GraphErrorKind Kind { get; }

        /// <summary>What went wrong on the wire when Meta did not answer with an error envelope; None when it did.</summary>
        public GraphProblem Problem { get; internal set; }

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

        /// <summary>The content type and size of an answer that could not be read (HTML, not JSON, too large).</summary>
        public string? ContentType { get; internal set; }

        public long? BodyLength { get; internal set; }

        /// <summary>For a timeout: how long one request was given.</summary>
        public TimeSpan? Timeout { get; internal set; }

        /// <summary>How many requests the operation made before it gave up (1 when it was not retried).</summary>
        public int Attempts { get; internal set; } = 1;

        /// <summary>
        /// Whether repeating the same call may succeed. is_transient counts only where the code does not say otherwise
        /// (the classifier makes such errors Transient): a permanent code (190, 10, 200-299, 100, ...) is never retried.
        /// </summary>
        public bool IsRetryable =>
            Kind == GraphErrorKind.Transient || Kind == GraphErrorKind.RateLimited ||
            Kind == GraphErrorKind.Timeout || Kind == GraphErrorKind.ConnectionFailed;

        /// <summary>True when Meta answered with an error, so nothing was changed on its side.</summary>
        public bool IsGraphAnswer => Code.HasValue;
    }
}
