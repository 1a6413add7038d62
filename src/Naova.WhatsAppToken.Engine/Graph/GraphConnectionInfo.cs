using System;
using System.Security;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>Who calls Graph, for which business and app. Secrets stay in SecureStrings until the moment of a call.</summary>
    public sealed class GraphConnectionInfo
    {
        public GraphConnectionInfo(string businessId, string appId, SecureString accessToken, SecureString? appSecret, GraphSettings settings)
        {
            BusinessId = businessId ?? throw new ArgumentNullException(nameof(businessId));
            AppId = appId ?? throw new ArgumentNullException(nameof(appId));
            AccessToken = accessToken ?? throw new ArgumentNullException(nameof(accessToken));
            AppSecret = appSecret;
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        }

        public string BusinessId { get; }

        public string AppId { get; }

        public SecureString AccessToken { get; }

        public SecureString? AppSecret { get; }

        public GraphSettings Settings { get; }
    }

    /// <summary>Where the client says what it is doing and waiting for. Called from any thread.</summary>
    public interface IGraphLog
    {
        /// <summary>What the client does or waits for, as data: the host says it in its own words (retries, throttling, slowing down).</summary>
        void Notice(GraphNotice notice);
    }

    internal sealed class NullGraphLog : IGraphLog
    {
        public static readonly NullGraphLog Instance = new NullGraphLog();

        public void Notice(GraphNotice notice)
        {
        }
    }
}
