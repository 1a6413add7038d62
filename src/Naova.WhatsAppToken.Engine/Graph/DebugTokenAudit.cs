using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// A fleet audit fed one token at a time, as a pipeline delivers them: each batch of 50 is sent as soon as it is
    /// full, while the next tokens are still arriving, at most <see cref="GraphClient.AuditConcurrency"/> at once;
    /// <see cref="FinishAsync"/> sends the rest and waits for all. The caller reads each outcome, in input order, as
    /// soon as its batch has answered. Once a batch fails as a whole (Graph down, the caller refused), no further
    /// batch is sent: the tokens not yet asked carry that failure. Add and the reads belong to one thread.
    /// Disposing it releases the gate its batches take turns at, once the last batch sent has ended.
    /// </summary>
    public sealed class DebugTokenAudit : IDisposable
    {
        private readonly GraphClient _client;
        private readonly string _caller;
        private readonly IProgress<int>? _progress;
        private readonly CancellationToken _ct;
        private readonly SemaphoreSlim _gate;
        private readonly List<Chunk> _chunks = new List<Chunk>();
        private readonly List<SecureString> _filling = new List<SecureString>(GraphClient.MaxBatchSize);
        private GraphApiException? _failure;
        private int _done;
        private bool _disposed;

        internal DebugTokenAudit(GraphClient client, string caller, IProgress<int>? progress, CancellationToken ct)
        {
            _client = client;
            _caller = caller;
            _progress = progress;
            _ct = ct;
            _gate = new SemaphoreSlim(Math.Max(1, client.AuditConcurrency));
        }

        /// <summary>Tokens added so far.</summary>
        public int Count { get; private set; }

        /// <summary>The first failure of a whole batch, if any: the one error to show for the audit.</summary>
        public GraphApiException? Failure => Volatile.Read(ref _failure);

        /// <summary>Queues a token; answers its index. A full batch leaves at once.</summary>
        public int Add(SecureString token)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(DebugTokenAudit));
            _filling.Add(token ?? throw new ArgumentNullException(nameof(token)));
            if (_filling.Count == GraphClient.MaxBatchSize) Send();
            return Count++;
        }

        /// <summary>Whether the outcome of token <paramref name="index"/> is known now.</summary>
        public bool IsAnswered(int index)
        {
            int chunk = index / GraphClient.MaxBatchSize;
            return chunk < _chunks.Count && (_chunks[chunk].Answered || _chunks[chunk].Done.IsCompleted);
        }

        /// <summary>The outcome of token <paramref name="index"/>, once answered: its data, its own error, or the batch's failure.</summary>
        public DebugTokenOutcome Outcome(int index)
        {
            if (!IsAnswered(index)) throw new InvalidOperationException("That token's batch has not answered yet.");
            var chunk = _chunks[index / GraphClient.MaxBatchSize];
            int k = index % GraphClient.MaxBatchSize;
            // A batch ended by the caller's cancellation has no outcomes: the audit is over.
            return chunk.Failure != null ? new DebugTokenOutcome(null, chunk.Failure) { BatchFailed = true } : chunk.Outcomes[k] ?? throw new OperationCanceledException(_ct);
        }

        /// <summary>Sends what is left and waits for every batch. Only the caller's cancellation escapes.</summary>
        public async Task FinishAsync()
        {
            if (_filling.Count > 0) Send();
            foreach (var chunk in _chunks) await chunk.Done.ConfigureAwait(false);
            _ct.ThrowIfCancellationRequested();
        }

        /// <summary>
        /// Releases the gate. A batch still at Meta (the caller stopped waiting) takes and releases it until it ends, so
        /// the gate goes after the last batch sent; tokens queued and not yet sent are dropped.
        /// </summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _filling.Clear();
            var running = _chunks.Select(c => c.Done).Where(t => !t.IsCompleted).ToArray();
            if (running.Length == 0) _gate.Dispose();
            else Task.WhenAll(running).ContinueWith(_ => _gate.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void Send()
        {
            var chunk = new Chunk(_filling.ToArray());
            _filling.Clear();
            chunk.Done = RunAsync(chunk);
            _chunks.Add(chunk);
        }

        // Never faults: a batch's failure is kept on it, and the caller's cancellation ends it quietly.
        private async Task RunAsync(Chunk chunk)
        {
            try
            {
                await _gate.WaitAsync(_ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                // The gate was asked on the caller's thread, so batches take it in input order (its async waiters queue
                // first come, first served); the batch's work (revealing, hashing, serialising) then leaves that thread.
                await Task.Yield();
                var failure = Failure;
                if (failure != null) chunk.Failure = failure;
                else await _client.InspectChunkAsync(chunk.Tokens, chunk.Outcomes, _caller, _ct).ConfigureAwait(false);
            }
            catch (GraphApiException ex)
            {
                Interlocked.CompareExchange(ref _failure, ex, null);
                chunk.Failure = ex;
            }
            catch (OperationCanceledException) when (_ct.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                _gate.Release();
            }
            // Answered before progress is told, so the caller, told, can read this batch's outcomes at once.
            chunk.Answered = true;
            _progress?.Report(Interlocked.Add(ref _done, chunk.Tokens.Length));
        }

        private sealed class Chunk
        {
            public Chunk(SecureString[] tokens)
            {
                Tokens = tokens;
                Outcomes = new DebugTokenOutcome[tokens.Length];
            }

            public SecureString[] Tokens { get; }

            public DebugTokenOutcome[] Outcomes { get; }

            public GraphApiException? Failure { get; set; }

            public Task Done { get; set; } = Task.CompletedTask;

            /// <summary>Every outcome (or the failure) is written: set after them, read before them (volatile).</summary>
            public bool Answered
            {
                get => Volatile.Read(ref _answered);
                set => Volatile.Write(ref _answered, value);
            }

            private bool _answered;
        }
    }
}
