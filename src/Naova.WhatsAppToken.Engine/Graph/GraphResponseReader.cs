using System;
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
    /// on a 200), HTML from proxies, empty, truncated or oversized bodies. Nothing else escapes it.
    /// </summary>
    internal static class GraphResponseReader
    {
        public const int MaxBodyBytes = 4 * 1024 * 1024;

        public static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, GraphUsage usage, string operation, IEnumerable<string?> secrets, CancellationToken ct)
        {
            int status = (int)response.StatusCode;
            byte[] body = await ReadBoundedAsync(response, operation, ct).ConfigureAwait(false);

            JsonDocument? doc = TryParse(body);
            if (doc == null)
            {
                throw Malformed(operation, status, usage, DescribeUnparsable(response, body), secrets);
            }
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                using (doc) throw FromEnvelope(error, status, usage, operation, secrets);
            }
            if (status < 200 || status > 299)
            {
                doc.Dispose();
                var kind = GraphErrorClassifier.Classify(status, null, null, null, false);
                throw Stamp(new GraphApiException(kind == GraphErrorKind.Unknown ? GraphErrorKind.MalformedResponse : kind,
                    $"Graph answered HTTP {status} without an error description."), operation, status, usage);
            }
            return doc;
        }

        internal static GraphApiException FromEnvelope(JsonElement error, int? status, GraphUsage? usage, string operation, IEnumerable<string?> secrets)
        {
            int? code = Int(error, "code");
            int? subcode = Int(error, "error_subcode");
            string message = Redactor.Redact(Str(error, "message") ?? "Graph returned an error without a message.", secrets);
            bool transient = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("is_transient", out var t) && t.ValueKind == JsonValueKind.True;
            // Meta's words sit in the message or in the user title; code 100 can only be told apart by them.
            var kind = GraphErrorClassifier.Classify(status, code, subcode, message + " " + Str(error, "error_user_title"), transient);
            var ex = new GraphApiException(kind, message)
            {
                Code = code,
                Subcode = subcode,
                ErrorType = Str(error, "type"),
                UserTitle = Redactor.Redact(Str(error, "error_user_title"), secrets),
                UserMessage = Redactor.Redact(Str(error, "error_user_msg"), secrets),
                FbTraceId = Str(error, "fbtrace_id"),
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

        private static GraphApiException Malformed(string operation, int status, GraphUsage usage, string what, IEnumerable<string?> secrets)
        {
            // A 5xx with a junk body (a proxy's error page) is still worth a retry; a 2xx with one is not.
            var kind = status >= 500 || status == 429 ? GraphErrorClassifier.Classify(status, null, null, null, false) : GraphErrorKind.MalformedResponse;
            return Stamp(new GraphApiException(kind, Redactor.Redact($"Graph answered HTTP {status} with {what}, not the JSON it should send.", secrets)), operation, status, usage);
        }

        private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string operation, CancellationToken ct)
        {
            long? declared = response.Content?.Headers.ContentLength;
            if (declared > MaxBodyBytes) throw TooLarge(operation, (int)response.StatusCode);
            if (response.Content == null) return Array.Empty<byte>();
            using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > MaxBodyBytes) throw TooLarge(operation, (int)response.StatusCode);
                }
                return buffer.ToArray();
            }
        }

        private static GraphApiException TooLarge(string operation, int status) =>
            Stamp(new GraphApiException(GraphErrorKind.MalformedResponse, $"Graph answered HTTP {status} with a body over {MaxBodyBytes / (1024 * 1024)} MB; refused."), operation, status, null);

        private static JsonDocument? TryParse(byte[] body)
        {
            if (body.Length == 0) return null;
            try
            {
                return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string DescribeUnparsable(HttpResponseMessage response, byte[] body)
        {
            string type = response.Content?.Headers.ContentType?.MediaType ?? "no content type";
            if (body.Length == 0) return "an empty body";
            string start = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 64)).TrimStart();
            if (start.StartsWith("<", StringComparison.Ordinal)) return $"an HTML or XML page ({type}, {body.Length} bytes; often a proxy or gateway)";
            return $"a body that is not valid JSON ({type}, {body.Length} bytes)";
        }

        internal static int? Int(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
            if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), out i)) return i;
            return null;
        }

        internal static string? Str(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
        }
    }
}
