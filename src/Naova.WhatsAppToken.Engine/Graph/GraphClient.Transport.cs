using System;
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
                try
                {
                    if (typeof(T) == typeof(JsonElement)) return (T)(object)doc.RootElement.Clone();
                    var value = doc.RootElement.Deserialize<T>(Json);
                    if (value == null) throw new JsonException("null where an object was expected");
                    return value;
                }
                catch (JsonException ex)
                {
                    throw new GraphApiException(GraphErrorKind.MalformedResponse,
                        $"Graph answered {operation} with JSON of an unexpected shape ({Redactor.Redact(ex.Message)}).") { Operation = operation };
                }
            }
        }

        /// <summary>One Graph operation: proof, caller token in the header, policy, reading. Only GraphApiException escapes (or cancellation).</summary>
        private Task<JsonDocument> SendAsync(string operation, bool idempotent, GraphCall call, CancellationToken ct) =>
            SendAsync(operation, idempotent, SecretText.Reveal(_connection.AccessToken), call, ct);

        private Task<JsonDocument> SendAsync(string operation, bool idempotent, string callerToken, GraphCall call, CancellationToken ct)
        {
            string? proof = ProofFor(callerToken);
            var secrets = new[] { callerToken, proof };
            return _policy.ExecuteAsync(operation, idempotent, async attemptCt =>
            {
                await SlowDownNearLimitAsync(attemptCt).ConfigureAwait(false);
                _log.Verbose($"Graph {operation}");
                HttpResponseMessage response;
                try
                {
                    response = await call(callerToken, proof, attemptCt).ConfigureAwait(false);
                }
                catch (HttpRequestException ex)
                {
                    throw new GraphApiException(GraphErrorKind.ConnectionFailed,
                        $"The connection to Graph failed during {operation}: {Redactor.Redact(ex.Message, secrets)}") { Operation = operation };
                }
                catch (Refit.ApiException ex)
                {
                    throw new GraphApiException(GraphErrorKind.MalformedResponse,
                        $"Graph answered {operation} unexpectedly: {Redactor.Redact(ex.Message, secrets)}") { Operation = operation };
                }
                catch (OperationCanceledException) when (!attemptCt.IsCancellationRequested)
                {
                    // HttpClient reports a reset or a dropped connection as a cancellation of its own.
                    throw new GraphApiException(GraphErrorKind.ConnectionFailed, $"The connection to Graph was dropped during {operation}.") { Operation = operation };
                }
                using (response)
                {
                    if (response.Headers.Date is DateTimeOffset serverDate)
                        Interlocked.Exchange(ref _serverOffsetTicks, (serverDate - DateTimeOffset.UtcNow).Ticks);
                    var usage = GraphUsage.Read(response);
                    _lastUsagePercent = usage.MaxPercent;
                    return await GraphResponseReader.ReadAsync(response, usage, operation, secrets, attemptCt).ConfigureAwait(false);
                }
            }, ct);
        }

        /// <summary>App tokens carry the secret already; user and system-user tokens get a proof when the secret is known.</summary>
        private string? ProofFor(string callerToken)
        {
            if (_connection.AppSecret == null || callerToken.IndexOf('|') >= 0) return null;
            return AppSecretProof.Compute(SecretText.Reveal(_connection.AppSecret), callerToken);
        }

        // Above 90% of a limit, Meta is about to throttle: slow down now rather than be blocked for an hour.
        private async Task SlowDownNearLimitAsync(CancellationToken ct)
        {
            int percent = _lastUsagePercent;
            if (percent < 90) return;
            var pause = TimeSpan.FromMilliseconds(Math.Min(10, percent - 89) * 500);
            _log.Verbose($"Graph usage is at {percent}% of the app's limit; pausing {GraphCallPolicy.Describe(pause)} before the next call.");
            await Task.Delay(pause, ct).ConfigureAwait(false);
        }
    }
}
