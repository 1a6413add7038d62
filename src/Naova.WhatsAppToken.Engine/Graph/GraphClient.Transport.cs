using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Graph
{
    public sealed partial class GraphClient
    {
        private delegate Task<HttpResponseMessage> GraphCall(string token, string? proof, CancellationToken ct);

        private int _lastUsagePercent;
        private long _serverOffsetTicks;

        /// <summary>
        /// Meta's time, as its last answer's Date header put it. Expiry is judged by this clock, not the local one:
        /// a worker with a wrong clock must not call a token healthy (or expired) that Meta sees otherwise.
        /// </summary>
        public DateTimeOffset ServerNow => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _serverOffsetTicks));

        private async Task<T> CallAsync<T>(string operation, bool idempotent, GraphCall call, CancellationToken ct)
        {
            using (var doc = await SendAsync(operation, idempotent, call, ct).ConfigureAwait(false))
            {
                if (typeof(T) == typeof(JsonElement)) return (T)(object)doc.RootElement.Clone();
                return Shape<T>(doc.RootElement, operation);
            }
        }

        /// <summary>Reads an answer as <typeparamref name="T"/>; any mismatch (wrong types, null, odd numbers) is a typed error.</summary>
        internal static T Shape<T>(JsonElement element, string operation)
        {
            try
            {
                var value = element.Deserialize<T>(Json);
                if (value != null) return value;
            }
            catch (Exception ex) when (ex is JsonException || ex is NotSupportedException || ex is InvalidOperationException || ex is FormatException || ex is ArgumentException)
            {
                throw Unexpected(operation, ex.Message);
            }
            throw Unexpected(operation, "null where an object was expected");
        }

        internal static GraphApiException Unexpected(string operation, string what) =>
            new GraphApiException(GraphErrorKind.MalformedResponse, GraphProblem.UnexpectedShape,
                $"Graph answered {operation} with JSON of an unexpected shape ({GraphResponseReader.Clean(Redactor.Redact(what))}).") { Operation = operation };

        /// <summary>One Graph operation: proof, caller token in the header, policy, reading. Only GraphApiException escapes (or cancellation).</summary>
        private Task<JsonDocument> SendAsync(string operation, bool idempotent, GraphCall call, CancellationToken ct) =>
            SendAsync(operation, idempotent, SecretText.Reveal(_connection.AccessToken), call, ct);

        // alsoSecret: token text the call carries as data (input_token, fb_exchange_token...), redacted too from anything said about it.
        private async Task<JsonDocument> SendAsync(string operation, bool idempotent, string callerToken, GraphCall call, CancellationToken ct, params string?[] alsoSecret)
        {
            string? proof = ProofFor(callerToken);
            var secrets = new[] { callerToken, proof, _connection.AppSecret == null ? null : SecretText.Reveal(_connection.AppSecret) }.Concat(alsoSecret).ToArray();
            await SlowDownNearLimitAsync(operation, ct).ConfigureAwait(false);
            return await _policy.ExecuteAsync(operation, idempotent, _log, attemptCt => AttemptAsync(operation, callerToken, proof, call, secrets, attemptCt), ct).ConfigureAwait(false);
        }

        private async Task<JsonDocument> AttemptAsync(string operation, string callerToken, string? proof, GraphCall call, string?[] secrets, CancellationToken ct)
        {
            _log.Notice(new GraphNotice(GraphNoticeKind.Calling, operation));
            HttpResponseMessage response;
            try
            {
                response = await call(callerToken, proof, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw NotSent(operation, ex, secrets, ct);
            }
            using (response)
            {
                if (response.Headers.Date is DateTimeOffset serverDate)
                    Interlocked.Exchange(ref _serverOffsetTicks, (serverDate - DateTimeOffset.UtcNow).Ticks);
                var usage = GraphUsage.Read(response);
                _lastUsagePercent = usage.MaxPercent;
                try
                {
                    return await GraphResponseReader.ReadAsync(response, usage, operation, secrets, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsBrokenConnection(ex, ct))
                {
                    throw ConnectionFailed(operation, ex, secrets);
                }
            }
        }

        /// <summary>
        /// Why no response came: Refit wraps what HttpClient threw (ApiRequestException), so the cause is looked at.
        /// The caller's cancellation goes on as it is; everything else becomes a GraphApiException.
        /// </summary>
        private static Exception NotSent(string operation, Exception ex, IEnumerable<string?> secrets, CancellationToken ct)
        {
            var cause = ex is Refit.ApiRequestException && ex.InnerException != null ? ex.InnerException : ex;
            if (cause is OperationCanceledException && ct.IsCancellationRequested)
                return cause == ex ? ex : new OperationCanceledException(cause.Message, cause, ct);
            if (IsBrokenConnection(cause, ct)) return ConnectionFailed(operation, cause, secrets);
            if (ex is Refit.ApiException api)
                return new GraphApiException(GraphErrorKind.MalformedResponse, GraphProblem.UnexpectedShape,
                    $"Graph answered {operation} unexpectedly: {GraphResponseReader.Clean(Redactor.Redact(api.Message, secrets))}") { Operation = operation };
            // Anything else kept the request from being built or sent: HttpClient refusing a header (a token with a
            // line break, say) is the usual one. Its message quotes the header, token and all, so none of it is kept.
            return new GraphApiException(GraphErrorKind.InvalidParameter, GraphProblem.RequestNotSent,
                $"The request for {operation} could not be sent: the token or a value holds characters HTTP does not allow ({cause.GetType().Name}).") { Operation = operation };
        }

        // HttpClient reports a reset or a dropped connection as an HttpRequestException, an IOException, or as a
        // cancellation of its own that the caller did not ask for.
        private static bool IsBrokenConnection(Exception ex, CancellationToken ct) =>
            ex is HttpRequestException || ex is IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested);

        // The inner exception is left out on purpose: on some platforms its message quotes the request URL.
        private static GraphApiException ConnectionFailed(string operation, Exception ex, IEnumerable<string?> secrets) =>
            new GraphApiException(GraphErrorKind.ConnectionFailed, GraphProblem.ConnectionFailed,
                $"The connection to Graph failed during {operation}: {GraphResponseReader.Clean(Redactor.Redact(ex.Message, secrets))}") { Operation = operation };

        /// <summary>App tokens carry the secret already; user and system-user tokens get a proof when the secret is known.</summary>
        private string? ProofFor(string callerToken)
        {
            if (_connection.AppSecret == null || callerToken.IndexOf('|') >= 0) return null;
            return AppSecretProof.Compute(SecretText.Reveal(_connection.AppSecret), callerToken);
        }

        // Above the threshold (90%) of a limit, Meta is about to throttle: slow down now rather than be blocked for an hour.
        private async Task SlowDownNearLimitAsync(string operation, CancellationToken ct)
        {
            int percent = _lastUsagePercent;
            var settings = _connection.Settings;
            if (percent <= settings.NearLimitPercent) return;
            long steps = Math.Min(10, percent - settings.NearLimitPercent);
            var pause = TimeSpan.FromTicks(settings.RetryBaseDelay.Ticks * steps / 2);
            if (pause <= TimeSpan.Zero) return;
            _log.Notice(new GraphNotice(GraphNoticeKind.SlowingDown, operation) { Delay = pause, UsagePercent = percent, UsageThreshold = settings.NearLimitPercent });
            await Task.Delay(pause, ct).ConfigureAwait(false);
        }
    }
}
