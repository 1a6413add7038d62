using System;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// Retries with exponential backoff and jitter (Polly), honouring the waits Meta asks for, within a total bound.
    /// Calls that create something are retried only when Meta answered with an error, since then nothing was made;
    /// a timeout on them might hide a success, and repeating it could make a second token.
    /// </summary>
    internal sealed class GraphCallPolicy
    {
        private readonly ResiliencePipeline _idempotent;
        private readonly ResiliencePipeline _creating;
        private readonly GraphSettings _settings;

        public GraphCallPolicy(GraphSettings settings, IGraphLog log)
        {
            _settings = settings;
            _idempotent = Build(settings, log, retryWithoutAnswer: true);
            _creating = Build(settings, log, retryWithoutAnswer: false);
        }

        public async Task<T> ExecuteAsync<T>(string operation, bool idempotent, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
        {
            var pipeline = idempotent ? _idempotent : _creating;
            try
            {
                return await pipeline.ExecuteAsync(async token => await attempt(token).ConfigureAwait(false), ct).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex) when (!ct.IsCancellationRequested)
            {
                throw new GraphApiException(GraphErrorKind.Timeout,
                    $"Graph did not answer {operation} within {Describe(ex.Timeout)}.", ex) { Operation = operation };
            }
        }

        private static ResiliencePipeline Build(GraphSettings settings, IGraphLog log, bool retryWithoutAnswer)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.MaxTotalWait,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Exception, settings, retryWithoutAnswer)),
                DelayGenerator = args => new ValueTask<TimeSpan?>((args.Outcome.Exception as GraphApiException)?.RetryAfter),
                OnRetry = args =>
                {
                    log.Verbose($"Retry {args.AttemptNumber + 1} of {settings.MaxRetries} in {Describe(args.RetryDelay)}: {Why(args.Outcome.Exception)}");
                    return default;
                },
            };
            if (settings.MaxRetries <= 0) retry.ShouldHandle = _ => new ValueTask<bool>(false);
            return new ResiliencePipelineBuilder()
                .AddTimeout(settings.MaxTotalWait)
                .AddRetry(retry)
                .AddTimeout(settings.RequestTimeout)
                .Build();
        }

        private static bool ShouldRetry(Exception? ex, GraphSettings settings, bool retryWithoutAnswer)
        {
            if (ex is TimeoutRejectedException) return retryWithoutAnswer;
            if (!(ex is GraphApiException graph) || !graph.IsRetryable) return false;
            if (!retryWithoutAnswer && !graph.IsGraphAnswer) return false;
            // A wait longer than the whole budget is not worth starting: fail now and say how long Meta wants.
            return !(graph.RetryAfter > settings.MaxTotalWait);
        }

        private static string Why(Exception? ex) => ex switch
        {
            GraphApiException g when g.Code.HasValue => $"Graph error {g.Code}{(g.Subcode.HasValue ? "/" + g.Subcode : string.Empty)} ({g.Kind}) on {g.Operation}" +
                (g.RetryAfter.HasValue ? $"; Meta asked to wait {Describe(g.RetryAfter.Value)}" : string.Empty),
            GraphApiException g => $"{g.Kind} on {g.Operation}",
            TimeoutRejectedException t => $"no answer within {Describe(t.Timeout)}",
            _ => ex?.GetType().Name ?? "unknown",
        };

        internal static string Describe(TimeSpan span) =>
            span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0} ms";
    }
}
