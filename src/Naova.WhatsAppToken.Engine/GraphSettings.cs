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

        private static readonly Regex VersionPattern = new Regex(@"^v\d{1,3}\.\d{1,2}$", RegexOptions.CultureInvariant);

        public GraphSettings(Uri? graphUri = null, string? apiVersion = null)
        {
            GraphUri = graphUri ?? DefaultGraphUri;
            ApiVersion = apiVersion ?? DefaultApiVersion;
        }

        public Uri GraphUri { get; }

        public string ApiVersion { get; }

        /// <summary>How long one HTTP request may take before it is abandoned.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>The most the client waits in all, across retries and throttling, for one operation.</summary>
        public TimeSpan MaxTotalWait { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How many times a transient failure is retried.</summary>
        public int MaxRetries { get; set; } = 4;

        /// <summary>The first backoff delay; later ones grow exponentially, with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public static bool IsValidApiVersion(string? version) => version != null && VersionPattern.IsMatch(version);

        /// <summary>Plain http is only for the loopback emulator; anything on the network must be https.</summary>
        public static bool IsAcceptableGraphUri(Uri uri) =>
            uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
    }
}
