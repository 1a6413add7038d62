using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>What debug_token said of one token: its data, or why it could not be asked.</summary>
    public sealed class DebugTokenOutcome
    {
        public DebugTokenOutcome(DebugTokenData? data, GraphApiException? error)
        {
            Data = data;
            Error = error;
        }

        public DebugTokenData? Data { get; }

        /// <summary>The answer as typed facts (null with <see cref="Error"/>): what the cmdlets read.</summary>
        public TokenFacts? Facts => Data == null ? null : _facts ??= TokenFacts.From(Data);

        private TokenFacts? _facts;

        public GraphApiException? Error { get; }

        /// <summary>The token's fingerprint, computed when its text was revealed for the request; null where it was not asked.</summary>
        public string? Fingerprint { get; internal set; }

        /// <summary>Whether <see cref="Error"/> is the failure of the whole batch (or of the audit), not of this token.</summary>
        public bool BatchFailed { get; internal set; }
    }

    public sealed partial class GraphClient
    {
        public const int MaxBatchSize = 50;

        /// <summary>How many batch requests run at once in an audit.</summary>
        public int AuditConcurrency { get; set; } = 4;

        /// <summary>Requests made for debug_token so far (batches and single calls): what an audit costs.</summary>
        public int DebugTokenRequests => _debugTokenRequests;

        private int _debugTokenRequests;

        public async Task<DebugTokenData> DebugTokenAsync(SecureString token, CancellationToken ct)
        {
            var outcome = (await DebugTokensAsync(new[] { token }, null, ct).ConfigureAwait(false))[0];
            if (outcome.Error != null) throw outcome.Error;
            return outcome.Data!;
        }

        /// <summary>What debug_token says of one token, as typed facts; a failure to ask is thrown as a GraphApiException.</summary>
        public async Task<TokenFacts> InspectTokenAsync(SecureString token, CancellationToken ct) =>
            TokenFacts.From(await DebugTokenAsync(token, ct).ConfigureAwait(false));

        /// <summary>
        /// Inspects many tokens with batch requests of up to 50, a few at once; items that a batch could not answer
        /// (null, an error, or batching refused) are asked again one by one. Outcomes come back in input order.
        /// </summary>
        public async Task<IReadOnlyList<DebugTokenOutcome>> DebugTokensAsync(IReadOnlyList<SecureString> tokens, IProgress<int>? progress, CancellationToken ct)
        {
            using var audit = StartAudit(progress, ct);
            foreach (var token in tokens) audit.Add(token);
            await audit.FinishAsync().ConfigureAwait(false);
            if (audit.Failure != null) throw audit.Failure;
            return Enumerable.Range(0, audit.Count).Select(audit.Outcome).ToArray();
        }

        /// <summary>An audit fed one token at a time, that sends each batch as soon as it is full (see <see cref="DebugTokenAudit"/>).</summary>
        public DebugTokenAudit StartAudit(IProgress<int>? progress, CancellationToken ct) => new DebugTokenAudit(this, InspectorToken(), progress, ct);

        // debug_token wants an app token (app id|secret), or a user token of an administrator or developer of the app
        // (docs/graph-api.md section 4): without the secret the connection's token is tried, and refused for anyone else.
        private string InspectorToken() =>
            _connection.AppSecret != null
                ? _connection.AppId + "|" + SecretText.Reveal(_connection.AppSecret)
                : SecretText.Reveal(_connection.AccessToken);

        /// <summary>One batch: each token's text is revealed once, for the request and its fingerprint.</summary>
        internal async Task InspectChunkAsync(SecureString[] tokens, DebugTokenOutcome[] outcomes, string caller, CancellationToken ct)
        {
            var texts = new string[tokens.Length];
            var fingerprints = new string[tokens.Length];
            for (int k = 0; k < tokens.Length; k++)
            {
                texts[k] = SecretText.Reveal(tokens[k]);
                fingerprints[k] = TokenFingerprint.Of(texts[k]);
            }
            var retrySingly = new List<int>();
            DebugTokenData?[]? items = null;
            GraphApiException? refused = null;
            try
            {
                (items, refused) = await BatchDebugAsync(texts, caller, ct).ConfigureAwait(false);
            }
            catch (GraphApiException ex) when (BatchRefused(ex))
            {
                _log.Notice(new GraphNotice(GraphNoticeKind.BatchRefused, "BatchDebugToken") { Cause = ex });
            }
            // Meta refusing the caller (no app token, not an admin or developer of the app) refuses every token alike:
            // said once for all of them, never tried token by token.
            for (int k = 0; k < tokens.Length; k++)
            {
                var data = items != null && k < items.Length ? items[k] : null;
                if (data != null) outcomes[k] = new DebugTokenOutcome(data, null) { Fingerprint = fingerprints[k] };
                else if (refused != null) outcomes[k] = new DebugTokenOutcome(null, refused) { Fingerprint = fingerprints[k] };
                else retrySingly.Add(k);
            }
            foreach (int k in retrySingly)
            {
                if (refused != null)
                {
                    outcomes[k] = new DebugTokenOutcome(null, refused) { Fingerprint = fingerprints[k] };
                    continue;
                }
                try
                {
                    outcomes[k] = new DebugTokenOutcome(await SingleDebugAsync(texts[k], caller, ct).ConfigureAwait(false), null) { Fingerprint = fingerprints[k] };
                }
                catch (GraphApiException ex)
                {
                    if (ex.Kind == GraphErrorKind.AppTokenRequired) refused = ex;
                    outcomes[k] = new DebugTokenOutcome(null, ex) { Fingerprint = fingerprints[k] };
                }
            }
        }

        /// <summary>The error of a batch item that refused the caller of debug_token, or null.</summary>
        private static GraphApiException? CallerRefusal(JsonElement item, string[] secrets)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String) return null;
            try
            {
                using (var doc = JsonDocument.Parse(body.GetString()!, new JsonDocumentOptions { MaxDepth = 64 }))
                {
                    if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("error", out var error) ||
                        error.ValueKind != JsonValueKind.Object) return null;
                    int? status = item.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out int c) ? c : (int?)null;
                    var ex = GraphResponseReader.FromEnvelope(error, status, null, "DebugToken", secrets);
                    return ex.Kind == GraphErrorKind.AppTokenRequired ? ex : null;
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is ArgumentException)
            {
                return null;
            }
        }

        /// <summary>
        /// Whether asking token by token may work where the batch did not: Meta refused the batch itself, or answered it
        /// with something that is not a batch. Not when Graph is down, slow, unreachable or throttling (the retries are
        /// spent already), nor when the caller itself is refused: each single call would fail the same way, a thousand times.
        /// </summary>
        private static bool BatchRefused(GraphApiException ex) =>
            ex.Kind == GraphErrorKind.MalformedResponse || (ex.IsGraphAnswer && !ex.IsRetryable && !CallerProblem(ex));

        private static bool CallerProblem(GraphApiException ex) =>
            ex.Kind == GraphErrorKind.TokenExpired || ex.Kind == GraphErrorKind.TokenInvalid || ex.Kind == GraphErrorKind.PermissionMissing ||
            ex.Kind == GraphErrorKind.AppSecretProofInvalid || ex.Kind == GraphErrorKind.AppSecretProofMissing || ex.Kind == GraphErrorKind.RateLimited ||
            ex.Kind == GraphErrorKind.AppTokenRequired;

        /// <summary>
        /// Each item's data read straight from its body (one pass each), or null where the item must be asked again; and
        /// the first item that refused the caller, if any.
        /// </summary>
        private async Task<(DebugTokenData?[] Items, GraphApiException? Refused)> BatchDebugAsync(string[] texts, string caller, CancellationToken ct)
        {
            string batch = BatchOfDebugTokens(texts);
            Interlocked.Increment(ref _debugTokenRequests);
            using (var doc = await SendAsync("BatchDebugToken", true, caller,
                (token, proof, c) => _api.Batch(_version, Form(proof, ("batch", batch), ("include_headers", "false")), token, c), ct, texts).ConfigureAwait(false))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array)
                    throw Unexpected("BatchDebugToken", "something other than an array");
                var items = new DebugTokenData?[doc.RootElement.GetArrayLength()];
                GraphApiException? refused = null;
                int k = 0;
                byte[]? scratch = null;
                foreach (var item in doc.RootElement.EnumerateArray())
                {
                    var data = ParseBatchItem(item, ref scratch);
                    if (data == null && refused == null) refused = CallerRefusal(item, texts);
                    items[k++] = data;
                }
                return (items, refused);
            }
        }

        // [{"method":"GET","relative_url":"debug_token?input_token=..."}, ...], written directly rather than through a serializer.
        private static string BatchOfDebugTokens(string[] texts)
        {
            using (var buffer = new System.IO.MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartArray();
                    foreach (string text in texts)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("method", "GET");
                        writer.WriteString("relative_url", "debug_token?input_token=" + Uri.EscapeDataString(text));
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
                return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }

        /// <summary>
        /// A usable answer for one item, or null to ask again on its own (null item, error, odd body). The body (JSON in a
        /// JSON string) is unescaped as UTF-8 into <paramref name="scratch"/>, one buffer for the whole batch, and read from
        /// there: no string of it per item, and no second conversion of that string back to UTF-8 for the reader. Where
        /// System.Text.Json has no JsonMarshal (the net8.0 build: PowerShell 7.4 and 7.5), through the string as before.
        /// </summary>
        internal static DebugTokenData? ParseBatchItem(JsonElement item, ref byte[]? scratch)
        {
            if (item.ValueKind != JsonValueKind.Object) return null;
            if (!item.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String) return null;
            try
            {
#if NET9_0_OR_GREATER || NETFRAMEWORK
                // The raw value: the quoted string as Graph wrote it, escapes and all. Unescaped, it is never longer.
                var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(body));
                reader.Read();
                int most = reader.ValueSpan.Length;
                if (scratch == null || scratch.Length < most) scratch = new byte[Math.Max(most, 2048)];
                int length = reader.CopyString(scratch);
                return JsonSerializer.Deserialize<DebugTokenAnswer>(new ReadOnlySpan<byte>(scratch, 0, length), Json)?.Data;
#else
                return JsonSerializer.Deserialize<DebugTokenAnswer>(body.GetString()!, Json)?.Data;
#endif
            }
            catch (Exception ex) when (ex is JsonException || ex is ArgumentException || ex is NotSupportedException || ex is InvalidOperationException || ex is FormatException)
            {
                return null;
            }
        }

        /// <summary>
        /// debug_token on its own. Meta documents a GET; the token under test must not sit in a URL, and Graph does not
        /// read a GET's body, so it goes as POST with method=GET (Meta's form for such reads), and as the documented GET
        /// only where Graph answers that POST with "Unsupported post request".
        /// </summary>
        private async Task<DebugTokenData> SingleDebugAsync(string text, string caller, CancellationToken ct)
        {
            Interlocked.Increment(ref _debugTokenRequests);
            using (var doc = await SendReadAsync("DebugToken", caller,
                (token, proof, c) => _api.DebugTokenAsPost(_version, Form(proof, ("method", "GET"), ("input_token", text)), token, c),
                (token, proof, c) =>
                {
                    Interlocked.Increment(ref _debugTokenRequests);
                    return _api.DebugTokenInQuery(_version, text, proof, token, c);
                }, ct, text).ConfigureAwait(false))
            {
                return ReadDebugData(doc.RootElement) ?? throw Unexpected("DebugToken", "no token data");
            }
        }

        private static DebugTokenData? ReadDebugData(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return null;
            try
            {
                return Shape<DebugTokenData>(data, "DebugToken");
            }
            catch (GraphApiException)
            {
                return null;
            }
        }
    }
}
