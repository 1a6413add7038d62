using System;
using System.Collections.Generic;
using System.Linq;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    public enum TokenHealth
    {
        Healthy,
        Warning,
        Failed,
    }

    /// <summary>The doc's troubleshooting list, as kinds; the cmdlets give each its words and remedy.</summary>
    public enum TokenProblemKind
    {
        Invalid,
        Expired,
        Temporary,
        NotSystemUser,
        ScopeMissing,
        NotPermanent,
        ExpiresSoon,
        NoWhatsAppAccount,
        OtherApp,

        /// <summary>A lapsed 60-day system user token: its business uses expiring tokens, so the remedy is another 60-day one.</summary>
        ExpiredSixtyDay,

        /// <summary>
        /// Meta knows nothing of it as a token of this app (no type, app or user in debug_token's answer): cut short,
        /// mistyped, another app's, or never a token. Not "revoked": nothing says it ever worked.
        /// </summary>
        Unrecognized,
    }

    public sealed class TokenFinding
    {
        public TokenFinding(TokenProblemKind kind, TokenHealth severity, params string[] details)
        {
            Kind = kind;
            Severity = severity;
            Details = details;
        }

        public TokenProblemKind Kind { get; }

        /// <summary>Healthy means a note: worth knowing, nothing to do yet.</summary>
        public TokenHealth Severity { get; }

        public IReadOnlyList<string> Details { get; }
    }

    public sealed class TokenDiagnosisOptions
    {
        public IReadOnlyList<string> RequiredScopes { get; set; } = WhatsAppScopes.Required;

        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>An expiring token with less than this left is a warning.</summary>
        public TimeSpan WarnWithin { get; set; } = TimeSpan.FromDays(15);

        public string? ExpectedAppId { get; set; }
    }

    public sealed class TokenDiagnosis
    {
        internal TokenDiagnosis(IReadOnlyList<TokenFinding> findings, IReadOnlyList<string> missingScopes, IReadOnlyList<string> accountIds, bool reachesAll)
        {
            Findings = findings;
            MissingScopes = missingScopes;
            WhatsAppAccountIds = accountIds;
            ReachesAllWhatsAppAccounts = reachesAll;
            Health = findings.Count == 0 ? TokenHealth.Healthy : findings.Max(f => f.Severity);
        }

        public TokenHealth Health { get; }

        /// <summary>Worst first.</summary>
        public IReadOnlyList<TokenFinding> Findings { get; }

        public IReadOnlyList<string> MissingScopes { get; }

        public IReadOnlyList<string> WhatsAppAccountIds { get; }

        public bool ReachesAllWhatsAppAccounts { get; }
    }

    /// <summary>Judges a debug_token answer against what a production WhatsApp service needs.</summary>
    public static class TokenDiagnostician
    {
        public const string SystemUserType = "SYSTEM_USER";

        public static TokenDiagnosis Diagnose(TokenFacts facts, TokenDiagnosisOptions options)
        {
            if (facts == null) throw new ArgumentNullException(nameof(facts));
            var findings = new List<TokenFinding>();
            var scopes = facts.Scopes;
            var missing = options.RequiredScopes.Where(s => !scopes.Contains(s, StringComparer.OrdinalIgnoreCase)).ToArray();
            var (accounts, reachesAll) = WhatsAppReach(facts);
            var expiresAt = facts.ExpiresAt;
            bool systemUser = facts.Type == TokenType.SystemUser;

            if (!facts.IsValid)
            {
                bool sixtyDay = expiresAt.HasValue && systemUser;
                findings.Add(IsExpiry(facts, options.Now)
                    ? new TokenFinding(sixtyDay ? TokenProblemKind.ExpiredSixtyDay : TokenProblemKind.Expired, TokenHealth.Failed, expiresAt?.ToString("u") ?? string.Empty)
                    : new TokenFinding(IsUnknownToMeta(facts) ? TokenProblemKind.Unrecognized : TokenProblemKind.Invalid, TokenHealth.Failed,
                        Redactor.Redact(facts.ErrorMessage ?? string.Empty)));
                return new TokenDiagnosis(findings, missing, accounts, reachesAll);
            }

            if (!systemUser && expiresAt.HasValue)
                findings.Add(new TokenFinding(TokenProblemKind.Temporary, TokenHealth.Failed, facts.TypeName ?? string.Empty, expiresAt.Value.ToString("u")));
            else if (!systemUser)
                findings.Add(new TokenFinding(TokenProblemKind.NotSystemUser, TokenHealth.Warning, facts.TypeName ?? string.Empty));

            if (missing.Length > 0)
                findings.Add(new TokenFinding(TokenProblemKind.ScopeMissing, TokenHealth.Failed, string.Join(", ", missing)));

            if (systemUser && expiresAt.HasValue)
            {
                var left = expiresAt.Value - options.Now;
                string days = Math.Max(0, (int)Math.Floor(left.TotalDays)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                findings.Add(left <= options.WarnWithin
                    ? new TokenFinding(TokenProblemKind.ExpiresSoon, TokenHealth.Warning, expiresAt.Value.ToString("u"), days)
                    : new TokenFinding(TokenProblemKind.NotPermanent, TokenHealth.Healthy, expiresAt.Value.ToString("u"), days));
            }

            if (!reachesAll && accounts.Count == 0 && scopes.Any(IsWhatsAppScope))
                findings.Add(new TokenFinding(TokenProblemKind.NoWhatsAppAccount, TokenHealth.Warning));

            if (options.ExpectedAppId != null && facts.AppId != null && facts.AppId != options.ExpectedAppId)
                findings.Add(new TokenFinding(TokenProblemKind.OtherApp, TokenHealth.Warning, facts.AppId, options.ExpectedAppId));

            return new TokenDiagnosis(findings.OrderByDescending(f => f.Severity).ToArray(), missing, accounts, reachesAll);
        }

        private static bool IsExpiry(TokenFacts facts, DateTimeOffset now) =>
            (facts.ErrorCode == 190 && facts.ErrorSubcode == 463) || (facts.ExpiresAt.HasValue && facts.ExpiresAt.Value <= now);

        /// <summary>
        /// An answer that names no app, type, user or issue date describes no token Meta issued to this app: a revoked or
        /// invalidated token still comes back with them (and a subcode saying why).
        /// </summary>
        private static bool IsUnknownToMeta(TokenFacts facts) =>
            facts.ErrorSubcode == null && string.IsNullOrEmpty(facts.AppId) && string.IsNullOrEmpty(facts.TypeName) && string.IsNullOrEmpty(facts.UserId) && facts.IssuedAt == null;

        private static bool IsWhatsAppScope(string scope) =>
            scope == WhatsAppScopes.WhatsAppBusinessManagement || scope == WhatsAppScopes.WhatsAppBusinessMessaging;

        // target_ids is left out when the scope covers every asset; otherwise it lists the WABAs.
        private static (IReadOnlyList<string> Accounts, bool ReachesAll) WhatsAppReach(TokenFacts facts)
        {
            var granular = facts.GranularScopes.Where(g => IsWhatsAppScope(g.Scope)).ToArray();
            if (granular.Length == 0) return (Array.Empty<string>(), facts.Scopes.Any(IsWhatsAppScope));
            if (granular.Any(g => g.CoversEveryAsset)) return (Array.Empty<string>(), true);
            return (granular.SelectMany(g => g.TargetIds).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray(), false);
        }
    }
}
