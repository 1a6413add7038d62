using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Graph
{
    public sealed partial class GraphClient
    {
        /// <summary>
        /// A read Meta documents as a GET whose parameters must not sit in a URL (a token under test, the app secret):
        /// sent as POST with method=GET in the body, which Graph serves as that GET. Where Graph goes by the HTTP method
        /// instead and answers "Unsupported post request", nothing was done on its side, so the documented GET is sent.
        /// </summary>
        private async Task<JsonDocument> SendReadAsync(string operation, string callerToken, GraphCall asPost, GraphCall asGet,
            CancellationToken ct, params string?[] alsoSecret)
        {
            try
            {
                return await SendAsync(operation, true, callerToken, asPost, ct, alsoSecret).ConfigureAwait(false);
            }
            catch (GraphApiException refused) when (IsUnsupportedPost(refused))
            {
                _log.Notice(new GraphNotice(GraphNoticeKind.PostFormRefused, operation) { Cause = refused });
                return await SendAsync(operation, true, callerToken, asGet, ct, alsoSecret).ConfigureAwait(false);
            }
        }

        /// <summary>Meta's answer to a method an endpoint does not have: code 100, "Unsupported post request. ..." (subcode 33 or none).</summary>
        internal static bool IsUnsupportedPost(GraphApiException ex) =>
            ex.Code == 100 && ex.Message.StartsWith("Unsupported post request", StringComparison.OrdinalIgnoreCase);
    }
}
