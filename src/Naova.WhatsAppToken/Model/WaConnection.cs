using System;
using System.Security;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// A connection to one business and app. Cmdlets take it with -Connection (also from the pipeline, since every
    /// object this module writes carries the connection it came from), so jobs sharing a process never share state.
    /// It shows no secret: the token is named by its fingerprint.
    /// </summary>
    public sealed class WaConnection
    {
        internal WaConnection(string businessId, string appId, SecureString accessToken, SecureString? appSecret, Uri graphUri, string apiVersion, string fingerprint)
        {
            BusinessId = businessId;
            AppId = appId;
            AccessToken = accessToken;
            AppSecret = appSecret;
            GraphUri = graphUri;
            ApiVersion = apiVersion;
            AccessTokenFingerprint = fingerprint;
            ConnectedAt = DateTimeOffset.Now;
        }

        public string BusinessId { get; }

        public string? BusinessName { get; internal set; }

        public string AppId { get; }

        /// <summary>The app's name, as Meta gave it when the connection was checked.</summary>
        public string? AppName { get; internal set; }

        /// <summary>The admin token's type (USER, SYSTEM_USER), as debug_token said when the connection was checked.</summary>
        public string? AccessTokenType { get; internal set; }

        /// <summary>When the admin token expires; empty when it never does, or when it was not asked.</summary>
        public DateTimeOffset? AccessTokenExpiresAt { get; internal set; }

        /// <summary>Whether Connect-WaBusiness made this the session's default connection.</summary>
        public bool IsDefault => ReferenceEquals(WaSession.Current, this);

        public Uri GraphUri { get; }

        public string ApiVersion { get; }

        public string AccessTokenFingerprint { get; }

        public bool HasAppSecret => AppSecret != null;

        public DateTimeOffset ConnectedAt { get; }

        internal SecureString AccessToken { get; }

        internal SecureString? AppSecret { get; }

        /// <summary>How long one request may take.</summary>
        public TimeSpan RequestTimeout { get; internal set; } = TimeSpan.FromSeconds(100);

        /// <summary>How many times a transient failure is retried.</summary>
        public int MaxRetries { get; internal set; } = 4;

        /// <summary>The most a cmdlet waits in all (retries, throttling) for one Graph operation.</summary>
        public TimeSpan MaxTotalWait { get; internal set; } = TimeSpan.FromMinutes(5);

        /// <summary>The first retry delay; later ones double, with jitter. Meta's own waits (Retry-After) replace it.</summary>
        public TimeSpan RetryBaseDelay { get; internal set; } = TimeSpan.FromSeconds(1);

        public override string ToString() => $"Business {BusinessId}, app {AppId} at {GraphUri}{ApiVersion}";

        private ConnectionTransport? _transport;

        /// <summary>The connection's one HTTP client, shared by every command that uses this connection (see ConnectionTransport).</summary>
        internal ConnectionTransport Transport => System.Threading.LazyInitializer.EnsureInitialized(ref _transport, () => new ConnectionTransport(this))!;

        internal Engine.Graph.GraphConnectionInfo ToGraphInfo() =>
            new Engine.Graph.GraphConnectionInfo(BusinessId, AppId, AccessToken, AppSecret, new Engine.GraphSettings(GraphUri, ApiVersion)
            {
                RequestTimeout = RequestTimeout,
                MaxRetries = MaxRetries,
                MaxTotalWait = MaxTotalWait,
                RetryBaseDelay = RetryBaseDelay,
            });
    }
}
