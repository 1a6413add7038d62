using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Refit;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>A token Meta answered with; Recovered when its first answer was lost and it was fetched instead.</summary>
    public sealed class CreatedToken
    {
        public CreatedToken(SecureString token, bool recovered)
        {
            Token = token;
            Recovered = recovered;
        }

        public SecureString Token { get; }

        public bool Recovered { get; }
    }

    /// <summary>The business-level token edge, used to fetch a token whose answer was lost.</summary>
    internal interface IGraphTokenApi
    {
        [Post("/{version}/{businessId}/system_user_access_tokens")]
        Task<HttpResponseMessage> SystemUserAccessTokens(string version, string businessId,
            [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, [Authorize("Bearer")] string token, CancellationToken ct);
    }

    public sealed partial class GraphClient
    {
        private IGraphTokenApi? _tokenApi;

        private IGraphTokenApi TokenApi => _tokenApi ??= RestService.For<IGraphTokenApi>(_http);

        /// <summary>
        /// Makes a system-user token. Meta gives it in one answer only, so the call is never blindly repeated (a
        /// repeat after a lost answer would mint a second token). When the request may have reached Meta but no
        /// answer came back (timeout, dropped connection, a mangled body), the token is fetched with
        /// fetch_only instead of being lost.
        /// </summary>
        public async Task<CreatedToken> CreateSystemUserTokenAsync(string systemUserId, string appId, IReadOnlyList<string> scopes, bool sixtyDays, CancellationToken ct)
        {
            var fields = new List<(string, string)> { ("business_app", appId), ("scope", string.Join(",", scopes)) };
            if (sixtyDays) fields.Add(("set_token_expires_in_60_days", "true"));
            try
            {
                return new CreatedToken(await TokenFromAsync("CreateAccessToken", false,
                    (token, proof, c) => _api.CreateAccessToken(_version, systemUserId, Form(proof, fields.ToArray()), token, c), ct).ConfigureAwait(false), false);
            }
            catch (GraphApiException lost) when (!lost.IsGraphAnswer && !ct.IsCancellationRequested && appId == _connection.AppId)
            {
                _log.Notice(new GraphNotice(GraphNoticeKind.AnswerLost, "CreateAccessToken") { Cause = lost });
                try
                {
                    return new CreatedToken(await FetchLatestTokenAsync(systemUserId, appId, scopes, ct).ConfigureAwait(false), true);
                }
                catch (GraphApiException fetch)
                {
                    _log.Notice(new GraphNotice(GraphNoticeKind.FetchFailed, "FetchAccessToken") { Cause = fetch });
                    throw lost;
                }
            }
        }

        /// <summary>
        /// The system user's latest valid token for the connection's app (system_user_access_tokens with fetch_only). The
        /// edge takes system_user_id, scope, asset, fetch_only and set_token_expires_in_60_days (Business.json), no
        /// business_app: the app is the one the caller's token belongs to, which is why appId must be the connection's.
        /// </summary>
        public Task<SecureString> FetchLatestTokenAsync(string systemUserId, string appId, IReadOnlyList<string> scopes, CancellationToken ct)
        {
            if (!string.Equals(appId, _connection.AppId, StringComparison.Ordinal))
                throw new ArgumentException("system_user_access_tokens makes or fetches a token for the caller's own app only.", nameof(appId));
            return TokenFromAsync("FetchAccessToken", true, (token, proof, c) => TokenApi.SystemUserAccessTokens(_version, _connection.BusinessId,
                Form(proof, ("system_user_id", systemUserId), ("scope", string.Join(",", scopes)), ("fetch_only", "true")), token, c), ct);
        }

        private async Task<SecureString> TokenFromAsync(string operation, bool idempotent, GraphCall call, CancellationToken ct)
        {
            using (var doc = await SendAsync(operation, idempotent, call, ct).ConfigureAwait(false))
            {
                var root = doc.RootElement;
                string? text = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (string.IsNullOrEmpty(text))
                    throw new GraphApiException(GraphErrorKind.MalformedResponse, "Graph answered the token request without an access_token.") { Operation = operation };
                return SecretText.ToSecureString(text!);
            }
        }
    }
}
