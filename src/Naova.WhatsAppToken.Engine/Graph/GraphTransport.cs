using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// What a connection keeps for all of its commands: one HttpClient over a pooled handler, the Refit proxy and the
    /// Polly pipelines, each built once. A session's commands then reuse one TCP (and, against Meta, TLS) connection
    /// instead of paying a handshake each, and pay for building the proxy and the pipelines once. Thread-safe: many
    /// <see cref="GraphClient"/>s (one per command, each with its own log) share it. Cancelling a call cancels that
    /// request only; the transport stays usable until it is disposed.
    /// </summary>
    public sealed class GraphTransport : IDisposable
    {
        /// <summary>A pooled connection is replaced after this long, so a change of Graph's addresses (DNS) is seen.</summary>
        public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

        private readonly HttpClient _http;
        private volatile bool _disposed;

        public GraphTransport(GraphSettings settings, HttpMessageHandler? handler = null)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            // Timeouts belong to the policy (per attempt and in all), not to HttpClient.
            _http = new HttpClient(handler ?? PooledHandler(settings.GraphUri), disposeHandler: handler == null)
            {
                BaseAddress = settings.GraphUri,
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            Api = Refit.Implementation.GeneratedNaova_WhatsAppToken_Engine.GraphApi(_http);
            Policy = new GraphCallPolicy(settings);
        }

        public GraphSettings Settings { get; }

        public bool IsDisposed => _disposed;

        internal HttpClient Http => _http;

        internal IGraphApi Api { get; }

        internal GraphCallPolicy Policy { get; }

        public void Dispose()
        {
            _disposed = true;
            _http.Dispose();
        }

        // Graph never redirects an API call: a redirect is a proxy or a portal, and following it would carry the
        // proof (and, across schemes, more) somewhere else. It comes back as an odd answer instead.
        [SuppressMessage("Performance", "CA1859:Use concrete types when possible for improved performance",
            Justification = "The handler is HttpClientHandler on net472 and SocketsHttpHandler on .NET: one signature for both; called once per client.")]
        private static HttpMessageHandler PooledHandler(Uri graphUri)
        {
#if NETFRAMEWORK
            // .NET Framework pools per ServicePoint: give it a lease (as PooledConnectionLifetime does on .NET) and
            // room for an audit's concurrent batches (its default is 2 connections per host).
            var point = System.Net.ServicePointManager.FindServicePoint(graphUri);
            point.ConnectionLeaseTimeout = (int)PooledConnectionLifetime.TotalMilliseconds;
            point.ConnectionLimit = Math.Max(point.ConnectionLimit, 16);
            return new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
#else
            _ = graphUri;
            return new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = PooledConnectionLifetime,
            };
#endif
        }
    }
}
