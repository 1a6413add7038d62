using System;

namespace Naova.WhatsAppToken
{
    public enum WaTokenStatus
    {
        Healthy,
        Warning,
        Failed,

        /// <summary>Meta could not be asked (unreachable, 5xx, throttled past the budget): nothing is known of the token.</summary>
        Unknown,

        /// <summary>Not sent to Meta: not a token this module stored, or not a Meta token (the problem says which).</summary>
        Skipped,
    }

    /// <summary>One thing wrong with a token, with what to do about it.</summary>
    public sealed class WaTokenProblem
    {
        public string Kind { get; internal set; } = string.Empty;

        /// <summary>Healthy (a note), Warning, Failed; Unknown or Skipped for a token that was not judged.</summary>
        public WaTokenStatus Severity { get; internal set; }

        public string Message { get; internal set; } = string.Empty;

        public string Remedy { get; internal set; } = string.Empty;

        /// <summary>The one line the report's Reason gives instead of the message and remedy (a Skipped secret's), if any.</summary>
        internal string? Summary { get; set; }

        public override string ToString() => $"{Severity}: {Message} {Remedy}";
    }

    /// <summary>What Test-WaToken found: the Access Token Debugger's answer, judged against what a WhatsApp service needs.</summary>
    public sealed class WaTokenReport
    {
        public string Fingerprint { get; internal set; } = string.Empty;

        public WaTokenStatus Status { get; internal set; }

        public bool IsValid { get; internal set; }

        /// <summary>SYSTEM_USER, USER, PAGE or APP, as Meta says.</summary>
        public string? Type { get; internal set; }

        public string? AppId { get; internal set; }

        public string? Application { get; internal set; }

        public string? SystemUserId { get; internal set; }

        public DateTimeOffset? IssuedAt { get; internal set; }

        /// <summary>Empty when the token never expires.</summary>
        public DateTimeOffset? ExpiresAt { get; internal set; }

        public string Expires => ExpiresAt.HasValue ? ExpiresAt.Value.ToString("u") : IsValid ? "Never" : Status == WaTokenStatus.Skipped ? string.Empty : "Unknown";

        public string[] Scopes { get; internal set; } = Array.Empty<string>();

        public string[] MissingScopes { get; internal set; } = Array.Empty<string>();

        /// <summary>The WABA ids the token reaches; empty with <see cref="ReachesAllWhatsAppBusinessAccounts"/> when it reaches every one.</summary>
        public string[] WhatsAppBusinessAccountIds { get; internal set; } = Array.Empty<string>();

        public bool ReachesAllWhatsAppBusinessAccounts { get; internal set; }

        public WaTokenProblem[] Problems { get; internal set; } = Array.Empty<WaTokenProblem>();

        /// <summary>The first thing to do, if anything.</summary>
        public string? Remedy => Problems.Length > 0 ? Problems[0].Remedy : null;

        /// <summary>
        /// Why the status is not Healthy, in words, and what to do: the first problem that is more than a note (the first
        /// note when there is none). The table shows it, so a report that is not Healthy always says why.
        /// </summary>
        public string? Reason
        {
            get
            {
                var first = Array.Find(Problems, p => p.Severity != WaTokenStatus.Healthy) ?? (Problems.Length > 0 ? Problems[0] : null);
                return first == null ? null : first.Summary ?? (first.Message + " " + first.Remedy).Trim();
            }
        }

        /// <summary>Where the token is kept, when it is (a vault's secret, a .env's variable): the secret the report is about.</summary>
        public WaTokenPlace? StoredIn { get; internal set; }

        public DateTimeOffset CheckedAt { get; internal set; }

        public override string ToString() => $"{Fingerprint}: {Status}";
    }
}
