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

        private IGraphTokenApi TokenApi => _tokenApi ??= Refit.Implementation.GeneratedNaova_WhatsAppToken_Engine.GraphTokenApi(_http);

        /// <summary>
        /// Makes a system-user token. Meta gives it in one answer only, so the call is never repeated once Meta may
        /// have handled it (a repeat would mint a second token, stored nowhere). When no answer came back, or a 5xx
        /// did (Meta may have made the token and then failed), the system user's latest token is fetched (fetch_only)
        /// and adopted only if this call made it: a token of <paramref name="known"/> (the caller's own tokens) or
        /// one issued before this call was asked is another's (a second secret of the same system user), never
        /// adopted. Then Meta made none, and it is asked once more.
        /// </summary>
        public async Task<CreatedToken> CreateSystemUserTokenAsync(string systemUserId, string appId, IReadOnlyList<string> scopes, bool sixtyDays, CancellationToken ct,
            IReadOnlyCollection<string>? known = null)
        {
            var fields = new List<(string, string)> { ("business_app", appId), ("scope", string.Join(",", scopes)) };
            if (sixtyDays) fields.Add(("set_token_expires_in_60_days", "true"));
            for (int attempt = 1; ; attempt++)
            {
                var asking = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    return new CreatedToken(await TokenFromAsync("CreateAccessToken", false,
                        (token, proof, c) => _api.CreateAccessToken(_version, systemUserId, Form(proof, fields.ToArray()), token, c), ct).ConfigureAwait(false), false);
                }
                catch (GraphApiException lost) when (MayHaveBeenHandled(lost) && !ct.IsCancellationRequested && appId == _connection.AppId)
                {
                    _log.Notice(new GraphNotice(GraphNoticeKind.AnswerLost, "CreateAccessToken") { Cause = lost });
                    var made = await MadeByThisCallAsync(systemUserId, appId, scopes, asking, known, lost, ct).ConfigureAwait(false);
                    if (made != null) return new CreatedToken(made, true);
                    // Meta holds no token newer than the question: it made none, so asking again mints exactly one.
                    if (attempt >= 2) throw;
                    _log.Notice(new GraphNotice(GraphNoticeKind.AskingAgain, "CreateAccessToken") { Cause = lost });
                }
            }
        }

        /// <summary>No answer, or a 5xx: Meta may have made the token. An error of Meta's (4xx, a rate limit) means it did not.</summary>
        private static bool MayHaveBeenHandled(GraphApiException ex) => !ex.IsGraphAnswer || ex.Kind == GraphErrorKind.Transient;

        /// <summary>The latest token, when it is one this call made; null when Meta proves it made none; throws <paramref name="lost"/> when it can not tell.</summary>
        private async Task<SecureString?> MadeByThisCallAsync(string systemUserId, string appId, IReadOnlyList<string> scopes, System.Diagnostics.Stopwatch asking,
            IReadOnlyCollection<string>? known, GraphApiException lost, CancellationToken ct)
        {
            SecureString latest;
            try
            {
                latest = await FetchLatestTokenAsync(systemUserId, appId, scopes, ct).ConfigureAwait(false);
            }
            catch (GraphApiException none) when (none.IsGraphAnswer && none.Code == 100)
            {
                return null; // no valid token at all: none was made
            }
            catch (GraphApiException fetch)
            {
                _log.Notice(new GraphNotice(GraphNoticeKind.FetchFailed, "FetchAccessToken") { Cause = fetch });
                throw lost;
            }
            if (known != null && System.Linq.Enumerable.Contains(known, Tokens.TokenFingerprint.Of(latest))) return null;
            // Meta's clock, as the fetch's answer set it, less the time since the question was sent (and the second
            // the Date header and issued_at round off): a token issued before that is not this call's.
            long askedAt = (ServerNow - asking.Elapsed).ToUnixTimeSeconds() - 1;
            DebugTokenData data;
            try
            {
                data = await DebugTokenAsync(latest, ct).ConfigureAwait(false);
            }
            catch (GraphApiException check)
            {
                _log.Notice(new GraphNotice(GraphNoticeKind.FetchFailed, "DebugToken") { Cause = check });
                throw lost;
            }
            if (data.IssuedAt is long issued && issued >= askedAt) return latest;
            if (data.IssuedAt == null) throw lost; // can not tell whose it is: neither adopt it nor make another
            return null;
        }

        /// <summary>
        /// The token Meta made for a token request whose answer nobody waited for (Ctrl+C after it was sent): the system
        /// user's latest valid token, when Meta issued it between <paramref name="askedAt"/> and a few seconds after
        /// <paramref name="stoppedAt"/> (both by this machine's clock, turned into Meta's by the fetch's Date header).
        /// Null when Meta holds none from then: it made none, or it was made later by someone else, and is not taken.
        /// </summary>
        public async Task<SecureString?> FindUnansweredTokenAsync(string systemUserId, string appId, IReadOnlyList<string> scopes,
            DateTimeOffset askedAt, DateTimeOffset stoppedAt, CancellationToken ct)
        {
            SecureString latest;
            try
            {
                latest = await FetchLatestTokenAsync(systemUserId, appId, scopes, ct).ConfigureAwait(false);
            }
            catch (GraphApiException none) when (none.IsGraphAnswer && none.Code == 100)
            {
                return null; // no valid token at all
            }
            var data = await DebugTokenAsync(latest, ct).ConfigureAwait(false);
            var offset = ServerNow - DateTimeOffset.UtcNow;
            // The second the Date header and issued_at round off, and a little for a request Meta handled after the stop.
            long from = (askedAt + offset).ToUnixTimeSeconds() - 1, to = (stoppedAt + offset).ToUnixTimeSeconds() + 5;
            return data.IsValid && data.IssuedAt is long issued && issued >= from && issued <= to ? latest : null;
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
