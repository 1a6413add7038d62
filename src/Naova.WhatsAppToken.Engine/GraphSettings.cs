using System;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Engine
{
    /// <summary>Where and how the Graph API is called. One place for the version, never scattered.</summary>
    public sealed class GraphSettings
    {
        /// <summary>The Graph API version used when none is given: current in late 2026.</summary>
        public const string DefaultApiVersion = "v26.0";

        public static readonly Uri DefaultGraphUri = new Uri("https://graph.facebook.com/");

        public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

        public static readonly TimeSpan DefaultMaxTotalWait = TimeSpan.FromMinutes(5);

        public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);

        public const int DefaultMaxRetries = 4;

        /// <summary>Above this percentage of a limit in Meta's usage headers, the client slows down.</summary>
        public const int DefaultNearLimitPercent = 90;

        private static readonly Regex VersionPattern = new Regex(@"^v\d{1,3}\.\d{1,2}$", RegexOptions.CultureInvariant);

        private TimeSpan _requestTimeout = DefaultRequestTimeout;
        private TimeSpan _maxTotalWait = DefaultMaxTotalWait;
        private TimeSpan _retryBaseDelay = DefaultRetryBaseDelay;
        private int _maxRetries = DefaultMaxRetries;
        private int _nearLimitPercent = DefaultNearLimitPercent;

        public GraphSettings(Uri? graphUri = null, string? apiVersion = null)
        {
            GraphUri = graphUri ?? DefaultGraphUri;
            ApiVersion = apiVersion ?? DefaultApiVersion;
            if (!IsAcceptableGraphUri(GraphUri)) throw new ArgumentException("The Graph address must be https (http only on loopback), without user info, query or fragment.", nameof(graphUri));
            if (!IsValidApiVersion(ApiVersion)) throw new ArgumentException("The Graph API version must look like v26.0.", nameof(apiVersion));
        }

        public Uri GraphUri { get; }

        public string ApiVersion { get; }

        /// <summary>How long one HTTP request may take before it is abandoned (and, for reads, retried).</summary>
        public TimeSpan RequestTimeout
        {
            get => _requestTimeout;
            set => _requestTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromDays(1) ? value : throw new ArgumentOutOfRangeException(nameof(value), "The request timeout must be more than zero and at most a day.");
        }

        /// <summary>
        /// The most one operation may take in all: its requests, the backoff between them and the waits Meta asks for.
        /// A wait Meta asks for that does not fit in what is left is not started: the operation fails at once and says so.
        /// </summary>
        public TimeSpan MaxTotalWait
        {
            get => _maxTotalWait;
            set => _maxTotalWait = value > TimeSpan.Zero && value <= TimeSpan.FromDays(1) ? value : throw new ArgumentOutOfRangeException(nameof(value), "The total wait must be more than zero and at most a day.");
        }

        /// <summary>How many times a transient failure is retried (0: never).</summary>
        public int MaxRetries
        {
            get => _maxRetries;
            set => _maxRetries = value >= 0 && value <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Retries must be between 0 and 100.");
        }

        /// <summary>
        /// The first backoff delay; later ones grow exponentially, with jitter (Polly). Also the unit of the pause
        /// taken near a usage limit: half of it for each percentage point above the threshold, at most five times it.
        /// </summary>
        public TimeSpan RetryBaseDelay
        {
            get => _retryBaseDelay;
            set => _retryBaseDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value : throw new ArgumentOutOfRangeException(nameof(value), "The base delay must be between zero and an hour.");
        }

        /// <summary>The longest single backoff delay (Meta's own waits are not capped by it, only by <see cref="MaxTotalWait"/>).</summary>
        public TimeSpan MaxBackoff => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(60).Ticks, Math.Max(RetryBaseDelay.Ticks * 32, 1)));

        /// <summary>Above this percentage in X-App-Usage or X-Business-Use-Case-Usage the client slows down (default 90).</summary>
        public int NearLimitPercent
        {
            get => _nearLimitPercent;
            set => _nearLimitPercent = value >= 1 && value <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The threshold must be a percentage from 1 to 100.");
        }

        public static bool IsValidApiVersion(string? version) => version != null && VersionPattern.IsMatch(version);

        /// <summary>
        /// Plain http is only for the loopback emulator; anything on the network must be https. No user info, query or
        /// fragment: those would ride along on every call, and could carry a credential into a URL.
        /// </summary>
        public static bool IsAcceptableGraphUri(Uri? uri) =>
            uri != null && uri.IsAbsoluteUri &&
            (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)) &&
            string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
    }
}
