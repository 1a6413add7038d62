using System;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>What the client is about to do or wait for; the host turns each kind into its own words.</summary>
    public enum GraphNoticeKind
    {
        /// <summary>A request is being sent.</summary>
        Calling,

        /// <summary>A call failed in a way worth repeating: the client waits <see cref="GraphNotice.Delay"/>, then tries again.</summary>
        Retrying,

        /// <summary>Usage is near Meta's limit: the client pauses <see cref="GraphNotice.Delay"/> before the next call.</summary>
        SlowingDown,

        /// <summary>Meta asks for a wait longer than what is left of the budget: the client gives up now.</summary>
        WaitTooLong,

        /// <summary>The budget for one operation ran out while waiting or calling: the client gives up.</summary>
        BudgetSpent,

        /// <summary>A batch of debug_token requests was refused: each token is asked on its own.</summary>
        BatchRefused,

        /// <summary>A create call may have reached Meta but its answer was lost: the client fetches what was made instead of repeating it.</summary>
        AnswerLost,

        /// <summary>Fetching what a lost answer made failed too: the first failure stands.</summary>
        FetchFailed,

        /// <summary>Graph answered a documented GET sent as POST with method=GET with "Unsupported post request": the GET is sent.</summary>
        PostFormRefused,

        /// <summary>After a lost answer, Meta holds no token newer than the question: it made none, and the call is made once more.</summary>
        AskingAgain,
    }

    /// <summary>One thing the client tells its host, as data: no sentence, so the host can say it in the user's language.</summary>
    public sealed class GraphNotice
    {
        internal GraphNotice(GraphNoticeKind kind, string operation)
        {
            Kind = kind;
            Operation = operation;
        }

        public GraphNoticeKind Kind { get; }

        /// <summary>What the client was doing, e.g. "ListSystemUsers".</summary>
        public string Operation { get; }

        /// <summary>The wait this notice announces (Retrying, SlowingDown), or the wait Meta asked for (WaitTooLong).</summary>
        public TimeSpan Delay { get; internal set; }

        /// <summary>For Retrying: the attempt that comes after the wait (2 for the first retry) and how many there may be in all.</summary>
        public int Attempt { get; internal set; }

        public int MaxAttempts { get; internal set; }

        /// <summary>True when Meta set the wait (Retry-After, estimated_time_to_regain_access) rather than the backoff.</summary>
        public bool WaitSetByMeta { get; internal set; }

        /// <summary>The most one operation may take in all (Connect-WaBusiness -MaxTotalWaitSeconds), and what was left of it.</summary>
        public TimeSpan Budget { get; internal set; }

        public TimeSpan BudgetLeft { get; internal set; }

        /// <summary>For SlowingDown: the highest usage percentage in Meta's usage headers, and the threshold above which the client slows down.</summary>
        public int UsagePercent { get; internal set; }

        public int UsageThreshold { get; internal set; }

        /// <summary>The failure that led to this notice (Retrying, WaitTooLong, BudgetSpent, BatchRefused).</summary>
        public GraphApiException? Cause { get; internal set; }
    }
}
