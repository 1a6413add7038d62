using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// One Graph operation's resilience, through Polly: a timeout per request, retries with exponential backoff and
    /// jitter, the waits Meta asks for (Retry-After, estimated_time_to_regain_access) in place of the backoff, and a
    /// bound on the whole operation (<see cref="GraphSettings.MaxTotalWait"/>). Permanent errors are never retried.
    /// Calls that create something are retried only when Meta answered with an error, since then nothing was made:
    /// a timeout or a lost answer might hide a success, and repeating it could make a second token.
    /// Every way out is a <see cref="GraphApiException"/>, or the caller's own cancellation.
    /// </summary>
    internal sealed class GraphCallPolicy
    {
        // Polly refuses timeouts under 10 ms; anything shorter is a test's way of saying "at once".
        private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
        private static readonly ResiliencePropertyKey<CallState> StateKey = new ResiliencePropertyKey<CallState>("Naova.WhatsAppToken.GraphCall");

        private readonly ResiliencePipeline _idempotent;
        private readonly ResiliencePipeline _creating;
        private readonly GraphSettings _settings;

        // Built once per connection (see GraphTransport); each call brings its own log, in its state.
        public GraphCallPolicy(GraphSettings settings)
        {
            _settings = settings;
            _idempotent = Build(retryWithoutAnswer: true);
            _creating = Build(retryWithoutAnswer: false);
        }

        public async Task<T> ExecuteAsync<T>(string operation, bool idempotent, IGraphLog log, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
        {
            var state = new CallState(operation, _settings.MaxTotalWait, log);
            var context = ResilienceContextPool.Shared.Get(operation, ct);
            context.Properties.Set(StateKey, state);
            try
            {
                return await (idempotent ? _idempotent : _creating).ExecuteAsync(async (ctx, s) =>
                {
                    Interlocked.Increment(ref s.Attempts);
                    return await attempt(ctx.CancellationToken).ConfigureAwait(false);
                }, context, state).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException ex) when (!ct.IsCancellationRequested)
            {
                var failure = state.LastFailure ?? TimedOut(operation, state.BudgetSpent ? _settings.MaxTotalWait : _settings.RequestTimeout, ex);
                if (state.BudgetSpent)
                    log.Notice(new GraphNotice(GraphNoticeKind.BudgetSpent, operation) { Budget = _settings.MaxTotalWait, Attempt = state.Attempts, Cause = failure });
                failure.Attempts = state.Attempts;
                throw failure;
            }
            catch (GraphApiException ex)
            {
                ex.Attempts = state.Attempts;
                throw;
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private ResiliencePipeline Build(bool retryWithoutAnswer)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, _settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _settings.RetryBaseDelay,
                MaxDelay = _settings.MaxBackoff,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Context, args.Outcome.Exception, args.AttemptNumber, retryWithoutAnswer)),
                // Meta's own wait replaces the backoff; the budget check in ShouldRetry has already said it fits.
                DelayGenerator = args => new ValueTask<TimeSpan?>(StateOf(args.Context).LastFailure?.RetryAfter is TimeSpan wait && wait > TimeSpan.Zero ? wait : (TimeSpan?)null),
                OnRetry = args =>
                {
                    var state = StateOf(args.Context);
                    var cause = state.LastFailure;
                    state.Log.Notice(new GraphNotice(GraphNoticeKind.Retrying, state.Operation)
                    {
                        Delay = args.RetryDelay,
                        Attempt = args.AttemptNumber + 2,
                        MaxAttempts = _settings.MaxRetries + 1,
                        WaitSetByMeta = cause?.RetryAfter > TimeSpan.Zero,
                        Budget = _settings.MaxTotalWait,
                        BudgetLeft = state.BudgetLeft,
                        Cause = cause,
                    });
                    return default;
                },
            };
            return new ResiliencePipelineBuilder()
                .AddTimeout(new TimeoutStrategyOptions
                {
                    Timeout = Longest(_settings.MaxTotalWait),
                    OnTimeout = args =>
                    {
                        StateOf(args.Context).BudgetSpent = true;
                        return default;
                    },
                })
                .AddRetry(retry)
                .AddTimeout(Longest(_settings.RequestTimeout))
                .Build();
        }

        private bool ShouldRetry(ResilienceContext context, Exception? outcome, int attemptNumber, bool retryWithoutAnswer)
        {
            var state = StateOf(context);
            var failure = outcome switch
            {
                GraphApiException graph => graph,
                TimeoutRejectedException timeout => TimedOut(state.Operation, _settings.RequestTimeout, timeout),
                _ => null, // the caller's cancellation, or the budget's: never retried
            };
            if (failure == null) return false;
            state.LastFailure = failure;
            if (attemptNumber >= _settings.MaxRetries || !failure.IsRetryable) return false;
            if (!retryWithoutAnswer && !failure.IsGraphAnswer) return false;
            // A token request is repeated only when Meta refused it (a rate limit): after a 5xx Meta may have made the
            // token already, and a token made twice is one stored nowhere. GraphClient recovers it instead.
            if (MintsToken(state.Operation) && failure.Kind != GraphErrorKind.RateLimited) return false;
            var left = state.BudgetLeft;
            if (failure.RetryAfter > left)
            {
                // Waiting would outlast the budget and fail anyway: say so now, with Meta's wait in the error.
                state.Log.Notice(new GraphNotice(GraphNoticeKind.WaitTooLong, state.Operation)
                {
                    Delay = failure.RetryAfter!.Value,
                    Budget = _settings.MaxTotalWait,
                    BudgetLeft = left,
                    Cause = failure,
                });
                return false;
            }
            return true;
        }

        // A renewal (fb_exchange_token) mints a token too: a 5xx after Meta made it, sent again, makes a second one.
        internal static bool MintsToken(string operation) => operation == "CreateAccessToken" || operation == "ExchangeToken";

        private static GraphApiException TimedOut(string operation, TimeSpan timeout, Exception inner) =>
            new GraphApiException(GraphErrorKind.Timeout, GraphProblem.NoAnswerInTime, $"Graph did not answer {operation} within {Describe(timeout)}.", inner)
            {
                Operation = operation,
                Timeout = timeout,
            };

        private static CallState StateOf(ResilienceContext context) =>
            context.Properties.TryGetValue(StateKey, out var state) ? state : throw new InvalidOperationException("A Graph call ran without its state.");

        private static TimeSpan Longest(TimeSpan span) => span < ShortestTimeout ? ShortestTimeout : span;

        internal static string Describe(TimeSpan span) =>
            span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0} ms";

        /// <summary>What one operation has seen so far: its attempts, its last failure, and its clock.</summary>
        private sealed class CallState
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private readonly TimeSpan _budget;

            public CallState(string operation, TimeSpan budget, IGraphLog log)
            {
                Operation = operation;
                _budget = budget;
                Log = log;
            }

            public string Operation { get; }

            public IGraphLog Log { get; }

            public int Attempts;

            public volatile bool BudgetSpent;

            public GraphApiException? LastFailure { get; set; }

            public TimeSpan BudgetLeft => _budget > _clock.Elapsed ? _budget - _clock.Elapsed : TimeSpan.Zero;
        }
    }
}
