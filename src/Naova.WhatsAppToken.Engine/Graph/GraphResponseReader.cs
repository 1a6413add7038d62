using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// Turns whatever came back into a JSON document or a <see cref="GraphApiException"/>: error envelopes (also
    /// on a 200), HTML from proxies, empty, truncated or oversized bodies. Nothing else escapes it, and no body is
    /// ever quoted: Meta's own error strings are kept, cleaned, clipped and redacted.
    /// </summary>
    internal static class GraphResponseReader
    {
        public const int MaxBodyBytes = 4 * 1024 * 1024;

        /// <summary>Meta's messages are a sentence or two; anything longer is clipped, so an error stays readable.</summary>
        public const int MaxTextLength = 1000;

        private const int MaxJsonDepth = 64;

        /// <summary>The most a SecureString holds; tokens are opaque and of varying length, but never this long.</summary>
        public const int MaxTokenLength = 65536;

        public static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, GraphUsage usage, string operation, IEnumerable<string?> secrets, CancellationToken ct)
        {
            int status = (int)response.StatusCode;
            byte[] body = await ReadBoundedAsync(response, operation, usage, ct).ConfigureAwait(false);

            JsonDocument? doc = TryParse(body);
            if (doc == null)
            {
                throw Unparsable(response, body, operation, status, usage);
            }
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && IsEnvelope(error))
            {
                using (doc) throw FromEnvelope(error, status, usage, operation, secrets);
            }
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("access_token", out var token) &&
                token.ValueKind == JsonValueKind.String && token.GetString()!.Length > MaxTokenLength)
            {
                // Every answer that carries a token is read into a SecureString, which holds at most 65,536 characters:
                // a longer "token" is not one, and must fail here as an odd answer rather than deep in a conversion.
                doc.Dispose();
                throw Stamp(new GraphApiException(GraphErrorKind.MalformedResponse, GraphProblem.UnexpectedShape,
                    $"Graph answered {operation} with an access_token longer than any token ({MaxTokenLength} characters at most)."), operation, status, usage);
            }
            if (status < 200 || status > 299)
            {
                doc.Dispose();
                var kind = GraphErrorClassifier.Classify(status, null, null, null, false);
                throw Stamp(new GraphApiException(kind == GraphErrorKind.Unknown ? GraphErrorKind.MalformedResponse : kind, GraphProblem.NoErrorDescription,
                    $"Graph answered HTTP {status} without an error description."), operation, status, usage);
            }
            return doc;
        }

        // Meta's envelope is an object; some OAuth answers use a bare string. false, 0 or [] say there is no error.
        private static bool IsEnvelope(JsonElement error) =>
            error.ValueKind == JsonValueKind.Object || (error.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(error.GetString()));

        internal static GraphApiException FromEnvelope(JsonElement error, int? status, GraphUsage? usage, string operation, IEnumerable<string?> secrets)
        {
            int? code = Int(error, "code");
            int? subcode = Int(error, "error_subcode");
            string? said = error.ValueKind == JsonValueKind.String ? error.GetString() : Str(error, "message");
            string message = Text(said, secrets) ?? "Graph returned an error without a message.";
            string? userTitle = Text(Str(error, "error_user_title"), secrets);
            bool transient = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("is_transient", out var t) &&
                (t.ValueKind == JsonValueKind.True || (t.ValueKind == JsonValueKind.String && string.Equals(t.GetString(), "true", StringComparison.OrdinalIgnoreCase)));
            // Meta's words sit in the message or in the user title; code 100 can only be told apart by them.
            var kind = GraphErrorClassifier.Classify(status, code, subcode, message + " " + userTitle, transient);
            var ex = new GraphApiException(kind, message)
            {
                Code = code,
                Subcode = subcode,
                ErrorType = Text(Str(error, "type"), secrets, 100),
                UserTitle = userTitle,
                UserMessage = Text(Str(error, "error_user_msg"), secrets),
                FbTraceId = Text(Str(error, "fbtrace_id"), secrets, 100),
                IsTransientFlag = transient,
            };
            return Stamp(ex, operation, status, usage);
        }

        private static GraphApiException Stamp(GraphApiException ex, string operation, int? status, GraphUsage? usage)
        {
            ex.Operation = operation;
            ex.HttpStatus = status;
            ex.RetryAfter = usage?.Wait;
            return ex;
        }

        private static GraphApiException Unparsable(HttpResponseMessage response, byte[] body, string operation, int status, GraphUsage usage)
        {
            string type = Clean(response.Content?.Headers.ContentType?.MediaType, 100) ?? "no content type";
            GraphProblem problem;
            string what;
            if (body.Length == 0)
            {
                problem = GraphProblem.EmptyBody;
                what = "an empty body";
            }
            else if (LooksLikeMarkup(body))
            {
                problem = GraphProblem.HtmlPage;
                what = $"an HTML or XML page ({type}, {body.Length} bytes; often a proxy or gateway)";
            }
            else
            {
                problem = GraphProblem.NotJson;
                what = $"a body that is not valid JSON ({type}, {body.Length} bytes)";
            }
            var ex = new GraphApiException(OddAnswerKind(status), problem, $"Graph answered HTTP {status} with {what}, not the JSON it should send.")
            {
                ContentType = type,
                BodyLength = body.Length,
            };
            return Stamp(ex, operation, status, usage);
        }

        // A 5xx or 429 with a junk body (a proxy's error page) is still worth a retry; a 2xx with one is not.
        private static GraphErrorKind OddAnswerKind(int status) =>
            status >= 500 || status == 429 ? GraphErrorClassifier.Classify(status, null, null, null, false) : GraphErrorKind.MalformedResponse;

        private static bool LooksLikeMarkup(byte[] body)
        {
            string start = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 64)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            return start.StartsWith("<", StringComparison.Ordinal);
        }

        // The body into one array, never past MaxBodyBytes. Where Graph declares its length the array is made that size
        // once and handed over as it is, not grown by doubling and copied at the end (byte arrays were the largest part
        // of what an audit allocated); the chunk it is read through is pooled, and cleared on its way back, since an
        // answer can carry a token.
        private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string operation, GraphUsage usage, CancellationToken ct)
        {
            int status = (int)response.StatusCode;
            if (response.Content == null) return Array.Empty<byte>();
            long? declared = response.Content.Headers.ContentLength;
            if (declared > MaxBodyBytes) throw TooLarge(response, operation, status, usage, declared.Value);
#if NETFRAMEWORK
            // No cancellable overload on .NET Framework; the reads below take the token.
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
#else
            var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
#endif
            using (var stream = body)
            using (var buffer = new MemoryStream(declared is long length && length > 0 ? (int)length : 0))
            {
                byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
                try
                {
                    int read;
                    while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false)) > 0)
                    {
                        buffer.Write(chunk, 0, read);
                        if (buffer.Length > MaxBodyBytes) throw TooLarge(response, operation, status, usage, null);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk, clearArray: true);
                }
                // Exactly as long as declared: the buffer is the body. Shorter or longer (no length, or a wrong one): a copy.
                return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
            }
        }

        private static GraphApiException TooLarge(HttpResponseMessage response, string operation, int status, GraphUsage usage, long? length)
        {
            var ex = new GraphApiException(OddAnswerKind(status), GraphProblem.BodyTooLarge,
                $"Graph answered HTTP {status} with a body over {MaxBodyBytes / (1024 * 1024)} MB; refused without reading it all.")
            {
                ContentType = Clean(response.Content?.Headers.ContentType?.MediaType, 100),
                BodyLength = length,
            };
            return Stamp(ex, operation, status, usage);
        }

        private static JsonDocument? TryParse(byte[] body)
        {
            if (body.Length == 0) return null;
            try
            {
                return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            }
            catch (Exception ex) when (ex is JsonException || ex is ArgumentException)
            {
                return null;
            }
        }

        internal static int? Int(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
            if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out i)) return i;
            return null;
        }

        internal static string? Str(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
        }

        /// <summary>A string from Meta as it may be shown: redacted, without control characters, clipped.</summary>
        internal static string? Text(string? text, IEnumerable<string?> secrets, int max = MaxTextLength) =>
            text == null ? null : Clean(Redactor.Redact(text, secrets), max);

        /// <summary>
        /// Drops control and format characters (a hostile answer could move a terminal's cursor, reorder text or forge log lines) and clips to
        /// <paramref name="max"/> characters. Clipping comes after redaction, so a clipped token can not slip past it.
        /// </summary>
        internal static string? Clean(string? text, int max = MaxTextLength)
        {
            if (text == null) return null;
            var sb = new StringBuilder(Math.Min(text.Length, max + 1));
            foreach (char c in text)
            {
                if (sb.Length >= max)
                {
                    sb.Append('\u2026');
                    break;
                }
                if (char.IsControl(c)) sb.Append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '\uFFFD');
                else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format) sb.Append('\uFFFD');
                else sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
