using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Base of every cmdlet: runs the engine's async work off the pipeline thread while writing its verbose,
    /// warning and progress messages on it, and cancels the work at once on Ctrl+C (StopProcessing).
    /// </summary>
    public abstract class WaCmdlet : GuardedCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly BlockingCollection<Action> _pending = new BlockingCollection<Action>();

        /// <summary>Cancelled by Ctrl+C; also what a store waits for its lock with, on this command's behalf.</summary>
        protected internal CancellationToken CancelToken => _stopping.Token;

        /// <summary>A log the engine may call from any thread; messages reach the pipeline through <see cref="Run{T}"/>.</summary>
        internal IGraphLog Log => new PumpedLog(this);

        protected override void StopProcessing() => _stopping.Cancel();

        // The commands override these, as they would PSCmdlet's; PowerShell's own calls come through GuardedCmdlet's guard.
        protected new virtual void BeginProcessing()
        {
        }

        protected new virtual void ProcessRecord()
        {
        }

        protected new virtual void EndProcessing()
        {
        }

        private protected sealed override void OnBegin() => BeginProcessing();

        private protected sealed override void OnRecord() => ProcessRecord();

        private protected sealed override void OnEnd() => EndProcessing();

        /// <summary>Runs <paramref name="work"/> and pumps its messages here until it ends; Ctrl+C stops the pipeline.</summary>
        protected internal T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            var task = Task.Run(() => work(CancelToken));
            // A last, empty message wakes the pump once the work is over; everything it posted comes before it.
            task.ContinueWith(_ => _pending.Add(() => { }), TaskScheduler.Default);
            try
            {
                do
                {
                    _pending.Take(CancelToken)();
                }
                while (!task.IsCompleted || _pending.Count > 0);
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected void Run(Func<CancellationToken, Task> work) =>
            Run<bool>(async ct =>
            {
                await work(ct).ConfigureAwait(false);
                return true;
            });

        protected virtual void ReleaseResources()
        {
        }

        /// <summary>On the pipeline thread, between records: writes what background work has posted so far, without waiting.</summary>
        internal void Pump()
        {
            while (_pending.TryTake(out var action)) action();
        }

        /// <summary>From any thread: runs on the pipeline thread at the next pump.</summary>
        internal void Post(Action action) => _pending.Add(action);

        /// <summary>PowerShell calls this when the pipeline ends, also after Ctrl+C, when EndProcessing never runs.</summary>
        public void Dispose()
        {
            ReleaseResources();
            _stopping.Dispose();
            _pending.Dispose();
            GC.SuppressFinalize(this);
        }

        private sealed class PumpedLog : IGraphLog
        {
            private readonly WaCmdlet _cmdlet;

            public PumpedLog(WaCmdlet cmdlet) => _cmdlet = cmdlet;

            public void Notice(GraphNotice notice) => _cmdlet.Post(() => _cmdlet.WriteVerbose(GraphWords.Notice(notice)));
        }
    }
}
