using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    // The fleet side of Test-WaToken: one report per input in input order (Failed for a token that could not be read,
    // Unknown for one Meta could not be asked about, Skipped for a secret that is not this module's to send), bounded
    // concurrency, and -FailOn to fail a scheduled job with a summary.
    // (The cmdlet's help is on the other part of this class: a doc comment here would replace it.)
    public sealed partial class TestWaTokenCommand
    {
        /// <summary>Every input in order: a report made already (an input not sent to Meta) or a token in its connection's audit.</summary>
        private readonly List<Slot> _slots = new List<Slot>();

        private readonly Dictionary<WaConnection, ConnectionAudit> _audits = new Dictionary<WaConnection, ConnectionAudit>();

        /// <summary>The reports written so far, for -FailOn; and the first input whose report is not written yet.</summary>
        private readonly List<WaTokenReport> _written = new List<WaTokenReport>();
        private int _next;
        private bool _inputEnded;

        /// <summary>Skipped reports of secrets the audit was asked to check and could not: -FailOn fails on them.</summary>
        private readonly HashSet<WaTokenReport> _askedNotChecked = new HashSet<WaTokenReport>();

        /// <summary>Whether each vault keeps metadata, asked once per vault in this audit.</summary>
        private readonly Dictionary<string, bool> _keepsMetadata = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        /// <summary><para type="description">End with a terminating error, after every report is written, when any token has one of these statuses: Warning (Warning or Failed), Failed, and, as its own case, Unknown (Meta could not be asked, so nothing is known). The error sums the audit up (counts by status, and the fingerprints at fault), so a scheduled job shows as failed. A Skipped secret fails it too when the audit was asked to check it and could not: a secret named explicitly (-Vault/-Name, -EnvFile, an object with only a vault and a name) that is not a Meta token, or one piped from Get-SecretInfo out of a vault that keeps no metadata (Azure Key Vault), where nothing says whether it is a token; its report's one-line reason says how to have it checked. Other Skipped secrets (not tokens this module stored) never fail an audit.</para></summary>
        [Parameter]
        [ValidateSet(nameof(WaTokenStatus.Warning), nameof(WaTokenStatus.Failed), nameof(WaTokenStatus.Unknown))]
        [PSDefaultValue(Value = WaTokenStatus.Failed)]
        public WaTokenStatus[] FailOn { get; set; } = { WaTokenStatus.Failed };

        /// <summary><para type="description">How many batch requests (of up to 50 tokens each) run at once (default 4).</para></summary>
        [Parameter]
        [ValidateRange(1, 16)]
        [PSDefaultValue(Value = 4)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>
        /// The stored token to check, or null when there is none to send to Meta (its error, or its Skipped report, is
        /// recorded). A secret a vault listed (Get-SecretInfo | Test-WaToken) is read only when its metadata says this
        /// module stored it; any other (named with -Name, the default name, -EnvFile, or piped as a place) is sent only if
        /// it looks like a Meta token.
        /// </summary>
        private WaToken? ReadStored(WaTokenPlace place, PipedInput? piped)
        {
            string where = place.ToString();
            bool listed = piped?.Listed == true;
            string? described = listed ? AuditGate.StoredFingerprint(piped!.Metadata) : null;
            if (listed && (described == null || !AuditGate.MayBeText(piped!.SecretType)))
            {
                // In a vault that keeps no metadata nothing can say this is not a token: asked, and not checked.
                bool bare = AuditGate.MayBeText(piped!.SecretType) && !KeepsMetadata(place.Vault!);
                Skip(bare, bare ? "NoMetadata" : "NotStoredByModule", where, UnsavedTokens.Quote(place.Vault!), UnsavedTokens.Quote(place.Name!));
                return null;
            }
            var stored = TokenStore.Holding(this, place).Read(place.Key, piped?.Metadata, out var error);
            if (stored == null)
            {
                NotChecked(error!);
                return null;
            }
            if (listed && !string.Equals(described, stored.Fingerprint, StringComparison.OrdinalIgnoreCase))
            {
                Skip("MetadataOfAnotherToken", where, stored.Fingerprint, described, UnsavedTokens.Quote(place.Vault!), UnsavedTokens.Quote(place.Name!));
                return null;
            }
            if (!listed && !AuditGate.LooksLikeMetaToken(stored.Token))
            {
                // Named explicitly: the audit was asked to check this secret, and can not.
                Skip(true, "NotAToken", where);
                return null;
            }
            return stored;
        }

        private bool KeepsMetadata(string vault)
        {
            if (!_keepsMetadata.TryGetValue(vault, out bool keeps)) _keepsMetadata[vault] = keeps = VaultTraits.Of(vault).KeepsMetadata;
            return keeps;
        }

        /// <summary>
        /// A token kept by a rotation (a -PREVIOUS or _PREVIOUS name) that Meta says no longer works was revoked on
        /// purpose: Update-WaToken revokes it once the new token is verified, and where a delete is soft (Key Vault) keeps
        /// it rather than take its name away. Known by its name, as no vault's metadata is needed: Healthy, with a note.
        /// </summary>
        private static void KeptRevoked(WaTokenReport report)
        {
            if (report.IsValid || report.Status == WaTokenStatus.Unknown || report.StoredIn == null || !TokenStore.IsPreviousName(report.StoredIn.Key)) return;
            var note = new WaTokenProblem
            {
                Kind = "PreviousRevoked",
                Severity = WaTokenStatus.Healthy,
                Message = Messages.Get("Problem.PreviousRevoked.Message", report.StoredIn),
                Remedy = Messages.Get("Problem.PreviousRevoked.Remedy"),
            };
            foreach (var problem in report.Problems) problem.Severity = WaTokenStatus.Healthy;
            report.Problems = new[] { note }.Concat(report.Problems).ToArray();
            report.Status = WaTokenStatus.Healthy;
        }

        /// <summary>A secret not sent to Meta: a Skipped report saying why and how to have it checked, and no error (nothing is wrong with it).</summary>
        private void Skip(string kind, params object?[] details) => Skip(false, kind, details);

        /// <summary>As <see cref="Skip(string, object[])"/>; <paramref name="asked"/>: the audit was asked to check it, so -FailOn fails on it.</summary>
        private void Skip(bool asked, string kind, params object?[] details)
        {
            var problem = new WaTokenProblem
            {
                Kind = kind,
                Severity = WaTokenStatus.Skipped,
                Message = Messages.Get("Problem." + kind + ".Message", details),
                Remedy = Messages.Get("Problem." + kind + ".Remedy", details),
            };
            // The report's reason is one line; the whole explanation, and how to have the secret checked, is said here.
            WriteVerbose(problem.Message + " " + problem.Remedy);
            problem.Summary = Messages.Get("Skipped." + kind, details);
            var report = new WaTokenReport
            {
                Status = WaTokenStatus.Skipped,
                StoredIn = _place,
                CheckedAt = DateTimeOffset.Now,
                Problems = new[] { problem },
            };
            if (asked) _askedNotChecked.Add(report);
            _slots.Add(new Slot(report));
        }

        /// <summary>An input that gave no token to check: its error, and a Failed report in its place.</summary>
        private void NotChecked(ErrorRecord error)
        {
            WriteError(error);
            _slots.Add(new Slot(new WaTokenReport
            {
                Status = WaTokenStatus.Failed,
                StoredIn = _place,
                CheckedAt = DateTimeOffset.Now,
                Problems = new[] { Failure("NotRead", error.ErrorDetails?.Message ?? error.Exception.Message, error.ErrorDetails?.RecommendedAction) },
            }));
        }

        /// <summary>
        /// The report of a token Meta could not be asked about (unreachable, 5xx, throttled past the budget, the caller
        /// refused): Unknown, saying why. Not Failed: nothing is known of the token, and a runbook must not rotate it.
        /// </summary>
        private static WaTokenReport CheckFailed(GraphApiException ex, SecureString token, string? fingerprint)
        {
            var record = GraphErrors.ToErrorRecord(ex, null);
            return new WaTokenReport
            {
                Fingerprint = fingerprint ?? TokenFingerprint.Of(token),
                Status = WaTokenStatus.Unknown,
                CheckedAt = DateTimeOffset.Now,
                Problems = new[] { Failure("CheckFailed", record.ErrorDetails.Message, record.ErrorDetails.RecommendedAction, WaTokenStatus.Unknown) },
            };
        }

        private static WaTokenProblem Failure(string kind, string why, string? remedy, WaTokenStatus severity = WaTokenStatus.Failed) => new WaTokenProblem
        {
            Kind = kind,
            Severity = severity,
            Message = Messages.Get("Problem." + kind + ".Message", why),
            Remedy = string.IsNullOrEmpty(remedy) ? Messages.Get("Problem." + kind + ".Remedy") : remedy!,
        };

        /// <summary>One input: its report, if it needed no asking, or its token and place in its connection's audit.</summary>
        private readonly struct Slot
        {
            public Slot(WaTokenReport ready)
            {
                Ready = ready;
                Token = null!;
                Place = null;
                Audit = null;
                Index = -1;
            }

            public Slot(SecureString token, WaTokenPlace? place, ConnectionAudit audit, int index)
            {
                Ready = null;
                Token = token;
                Place = place;
                Audit = audit;
                Index = index;
            }

            public WaTokenReport? Ready { get; }

            public SecureString Token { get; }

            public WaTokenPlace? Place { get; }

            public ConnectionAudit? Audit { get; }

            public int Index { get; }
        }

        /// <summary>The audit of one connection's tokens, its progress bar, and whether its one error was written.</summary>
        private sealed class ConnectionAudit
        {
            public ConnectionAudit(WaConnection connection, ProgressRecord progress)
            {
                Connection = connection;
                Progress = progress;
            }

            public WaConnection Connection { get; }

            public DebugTokenAudit Audit { get; set; } = null!;

            public ProgressRecord Progress { get; }

            public bool ErrorWritten { get; set; }
        }

        /// <summary>Whether -FailOn fails the audit on this status: Warning takes Failed with it; Unknown is its own case; Skipped never.</summary>
        private bool FailsOn(WaTokenStatus status) =>
            FailOn.Contains(status) || (status == WaTokenStatus.Failed && FailOn.Contains(WaTokenStatus.Warning));

        private static string AtFaultName(WaTokenReport report)
        {
            string? where = report.StoredIn?.ToString();
            if (report.Status == WaTokenStatus.Skipped) return Messages.Get("Audit.Skipped", where ?? "?", report.Reason);
            if (string.IsNullOrEmpty(report.Fingerprint)) return where ?? "?";
            return where == null ? report.Fingerprint : where + " (" + report.Fingerprint + ")";
        }

        private void Judge(List<WaTokenReport> reports)
        {
            int Count(WaTokenStatus status) => reports.Count(r => r.Status == status);
            if (Count(WaTokenStatus.Unknown) > 0 && !FailsOn(WaTokenStatus.Unknown))
                WriteWarning(Messages.Get("Warning.AuditUnknown", Count(WaTokenStatus.Unknown), reports.Count));
            var atFault = reports.Where(r => FailsOn(r.Status) || _askedNotChecked.Contains(r)).ToArray();
            if (atFault.Length == 0) return;
            const int Named = 20;
            // Each by the secret it is kept in (what a runbook's reader can go and fix), with its fingerprint when known.
            var names = atFault.Take(Named).Select(AtFaultName).ToList();
            if (atFault.Length > Named) names.Add(Messages.Get("Audit.More", atFault.Length - Named));
            string message = Messages.Get("Error.AuditFailed", reports.Count, Count(WaTokenStatus.Healthy), Count(WaTokenStatus.Warning), Count(WaTokenStatus.Failed),
                string.Join(", ", FailOn), atFault.Length.ToString(CultureInfo.CurrentCulture), string.Join(", ", names), Count(WaTokenStatus.Unknown), Count(WaTokenStatus.Skipped));
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "AuditFailed", ErrorCategory.InvalidResult, atFault)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.AuditFailed") },
            });
        }
    }
}
