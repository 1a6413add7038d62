using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>A token fb_exchange_token gave for an older one; the older one keeps working until its own expiry.</summary>
    public sealed class ExchangedToken
    {
        public ExchangedToken(SecureString token, TimeSpan? expiresIn)
        {
            Token = token;
            ExpiresIn = expiresIn;
        }

        public SecureString Token { get; }

        /// <summary>What Meta said is left of the new token; null when it did not say.</summary>
        public TimeSpan? ExpiresIn { get; }
    }

    /// <summary>
    /// The calls made with the app's own credentials (client_id and client_secret): renewing a 60-day token and
    /// revoking one token; and reads made with a token other than the connection's, to prove that token works.
    /// </summary>
    public sealed partial class GraphClient
    {
        /// <summary>Whether the connection holds the app secret, which renewing and revoking one token need.</summary>
        public bool HasAppSecret => _connection.AppSecret != null;

        /// <summary>
        /// Renews a still-valid 60-day token (fb_exchange_token). Creates a token, so it is never repeated without an
        /// answer from Meta: a repeat after a lost answer would mint a second one.
        /// </summary>
        public async Task<ExchangedToken> ExchangeTokenAsync(SecureString token, CancellationToken ct)
        {
            string secret = RequireAppSecret("ExchangeToken");
            string text = SecretText.Reveal(token);
            var query = Form(null,
                ("grant_type", "fb_exchange_token"),
                ("client_id", _connection.AppId),
                ("client_secret", secret),
                ("set_token_expires_in_60_days", "true"),
                ("fb_exchange_token", text));
            var form = Form(null, ("method", "GET"));
            foreach (var pair in query) form[pair.Key] = pair.Value;
            // No caller token goes with this call: the app's id and secret say who asks. Meta documents a GET: it is sent
            // as POST with method=GET so the secret stays out of the URL, and as the GET only where Graph refuses that
            // ("Unsupported post request": nothing was made, so sending it again mints no second token).
            using (var doc = await SendExchangeAsync(secret, text, form, query, ct).ConfigureAwait(false))
            {
                var root = doc.RootElement;
                string? renewed = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (string.IsNullOrEmpty(renewed)) throw Unexpected("ExchangeToken", "no access_token");
                TimeSpan? expiresIn = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds)
                    : (TimeSpan?)null;
                return new ExchangedToken(SecretText.ToSecureString(renewed!), expiresIn);
            }
        }

        /// <summary>Revokes one token at once (/oauth/revoke). Revoking a revoked token again changes nothing, so it may be retried.</summary>
        public async Task RevokeTokenAsync(SecureString token, CancellationToken ct)
        {
            string secret = RequireAppSecret("RevokeToken");
            string text = SecretText.Reveal(token);
            string caller = SecretText.Reveal(_connection.AccessToken);
            using (var doc = await SendReadAsync("RevokeToken", caller,
                (bearer, proof, c) => _api.RevokeToken(_version, Form(proof, ("method", "GET"), ("client_id", _connection.AppId), ("client_secret", secret), ("revoke_token", text)), bearer, c),
                (bearer, proof, c) => _api.RevokeTokenInQuery(_version, Form(proof, ("client_id", _connection.AppId), ("client_secret", secret), ("revoke_token", text)), bearer, c),
                ct, text).ConfigureAwait(false))
            {
                if (!Succeeded(doc.RootElement)) throw Unexpected("RevokeToken", "no success");
            }
        }

        /// <summary>
        /// Reads the first phone numbers of a WABA with <paramref name="token"/> as the caller: the WhatsApp read a
        /// working token must be able to make. Answers how many numbers the first page held.
        /// </summary>
        public async Task<int> ReadPhoneNumbersWithAsync(SecureString token, string wabaId, CancellationToken ct)
        {
            string text = SecretText.Reveal(token);
            using (var doc = await SendAsync("ReadPhoneNumbersWithToken", true, text,
                (bearer, proof, c) => _api.PhoneNumbersPage(_version, wabaId, "id,display_phone_number", 10, proof, bearer, c), ct).ConfigureAwait(false))
            {
                var page = Shape<GraphPage<PhoneNumberInfo>>(doc.RootElement, "ReadPhoneNumbersWithToken");
                return page.Data?.Count(n => n != null) ?? 0;
            }
        }

        // Not SendReadAsync: making a token is not repeated after a lost answer (idempotent: false).
        private async Task<JsonDocument> SendExchangeAsync(string secret, string text, Dictionary<string, string> form, Dictionary<string, string> query, CancellationToken ct)
        {
            string app = _connection.AppId + "|" + secret;
            try
            {
                return await SendAsync("ExchangeToken", false, app, (caller, proof, c) => _api.ExchangeToken(_version, form, c), ct, text).ConfigureAwait(false);
            }
            catch (GraphApiException refused) when (IsUnsupportedPost(refused))
            {
                _log.Notice(new GraphNotice(GraphNoticeKind.PostFormRefused, "ExchangeToken") { Cause = refused });
                return await SendAsync("ExchangeToken", false, app, (caller, proof, c) => _api.ExchangeTokenInQuery(_version, query, c), ct, text).ConfigureAwait(false);
            }
        }

        private string RequireAppSecret(string operation) =>
            _connection.AppSecret != null
                ? SecretText.Reveal(_connection.AppSecret)
                : throw new InvalidOperationException($"{operation} needs the app secret (client_secret); the connection was made without it.");

        // {"success":true}, {"success":"true"} or a bare true: Meta answers revocations in each of these shapes.
        private static bool Succeeded(JsonElement root)
        {
            if (root.ValueKind == JsonValueKind.True) return true;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("success", out var s)) return false;
            return s.ValueKind == JsonValueKind.True || (s.ValueKind == JsonValueKind.String && string.Equals(s.GetString(), "true", StringComparison.OrdinalIgnoreCase));
        }
    }
}
