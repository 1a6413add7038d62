using System;
using System.Collections.Concurrent;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Token requests whose answer nobody waited for: New-WaToken stopped (Ctrl+C) after its request left, when Meta may
    /// have made a never-expiring token that only its answer would have named. Kept for the process, not the runspace
    /// (a stopped ForEach-Object -Parallel block's runspace ends), and without any token text: only who was asked for and
    /// when, so the next New-WaToken for that system user and app looks for that token first and takes it instead of
    /// making a second one. A process that ends forgets them; the warning given at the stop says what to do then.
    /// </summary>
    internal static class UnansweredTokenRequests
    {
        private static readonly ConcurrentDictionary<string, Request> Requests = new ConcurrentDictionary<string, Request>(StringComparer.Ordinal);

        public sealed class Request
        {
            public Request(DateTimeOffset askedAt, DateTimeOffset stoppedAt)
            {
                AskedAt = askedAt;
                StoppedAt = stoppedAt;
            }

            /// <summary>By this machine's clock, in UTC.</summary>
            public DateTimeOffset AskedAt { get; }

            public DateTimeOffset StoppedAt { get; }
        }

        /// <summary>Ids only, joined with a character no id holds: culture-free, the same in every language.</summary>
        public static string Key(WaConnection connection, string systemUserId, string appId) =>
            connection.GraphUri.AbsoluteUri + "\n" + connection.BusinessId + "\n" + appId + "\n" + systemUserId;

        public static void Remember(string key, DateTimeOffset askedAt) => Requests[key] = new Request(askedAt, DateTimeOffset.UtcNow);

        /// <summary>The request stopped for <paramref name="key"/>, taken off the list: it is looked for once.</summary>
        public static Request? Take(string key) => Requests.TryRemove(key, out var request) ? request : null;

        /// <summary>Puts back a request that could not be looked for (Meta unreachable, another stop).</summary>
        public static void Restore(string key, Request request) => Requests.TryAdd(key, request);
    }
}
