using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    // The fleet side of Test-WaToken: one report per token in input order, a Failed report (not silence) for a token
    // that could not be read or checked, bounded concurrency, and -FailOn to fail a scheduled job with a summary.
    // (The cmdlet's help is on the other part of this class: a doc comment here would replace it.)
    public sealed partial class TestWaTokenCommand
    {
        /// <summary>Reports for inputs that never reached Meta, and how many tokens were queued before each.</summary>
        private readonly List<(int After, WaTokenReport Report)> _notChecked = new List<(int, WaTokenReport)>();

        /// <summary><para type="description">End with a terminating error when any token is at or above this status (Warning or Failed), after every report is written: the error sums the audit up (counts by status, and the fingerprints at fault), so a scheduled job shows as failed.</para></summary>
        [Parameter]
        [ValidateSet(nameof(WaTokenStatus.Warning), nameof(WaTokenStatus.Failed))]
        [PSDefaultValue(Value = WaTokenStatus.Failed)]
        public WaTokenStatus FailOn { get; set; } = WaTokenStatus.Failed;

        /// <summary><para type="description">How many batch requests (of up to 50 tokens each) run at once (default 4).</para></summary>
        [Parameter]
        [ValidateRange(1, 16)]
        [PSDefaultValue(Value = 4)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>An input that gave no token to check: its error, and a Failed report in its place.</summary>
        private void NotChecked(ErrorRecord error, string? source)
        {
            WriteError(error);
            _notChecked.Add((_tokens.Count, new WaTokenReport
            {
                Status = WaTokenStatus.Failed,
                Source = source,
                CheckedAt = DateTimeOffset.Now,
                Problems = new[] { Failure("NotRead", error.ErrorDetails?.Message ?? error.Exception.Message, error.ErrorDetails?.RecommendedAction) },
            }));
        }

        /// <summary>The report of a token Meta could not be asked about, saying why.</summary>
        private static WaTokenReport CheckFailed(GraphApiException ex, SecureString token, string? source)
        {
            var record = GraphErrors.ToErrorRecord(ex, null);
            return new WaTokenReport
            {
                Fingerprint = TokenFingerprint.Of(token),
                Status = WaTokenStatus.Failed,
                Source = source,
                CheckedAt = DateTimeOffset.Now,
                Problems = new[] { Failure("CheckFailed", record.ErrorDetails.Message, record.ErrorDetails.RecommendedAction) },
            };
        }

        private static WaTokenProblem Failure(string kind, string why, string? remedy) => new WaTokenProblem
        {
            Kind = kind,
            Severity = WaTokenStatus.Failed,
            Message = Messages.Get("Problem." + kind + ".Message", why),
            Remedy = string.IsNullOrEmpty(remedy) ? Messages.Get("Problem." + kind + ".Remedy") : remedy!,
        };

        /// <summary>Checked and unchecked reports merged back into input order, written, then judged against -FailOn.</summary>
        private void Conclude(WaTokenReport?[] checkedReports)
        {
            var all = new List<WaTokenReport>(checkedReports.Length + _notChecked.Count);
            int next = 0;
            foreach (var (after, report) in _notChecked)
            {
                for (; next < after; next++) if (checkedReports[next] != null) all.Add(checkedReports[next]!);
                all.Add(report);
            }
            for (; next < checkedReports.Length; next++) if (checkedReports[next] != null) all.Add(checkedReports[next]!);
            foreach (var report in all) WriteObject(report);
            if (MyInvocation.BoundParameters.ContainsKey(nameof(FailOn))) Judge(all);
        }

        private void Judge(List<WaTokenReport> reports)
        {
            var atFault = reports.Where(r => r.Status >= FailOn).ToArray();
            if (atFault.Length == 0) return;
            int Count(WaTokenStatus status) => reports.Count(r => r.Status == status);
            const int Named = 20;
            var names = atFault.Take(Named).Select(r => string.IsNullOrEmpty(r.Fingerprint) ? r.Source ?? "?" : r.Fingerprint).ToList();
            if (atFault.Length > Named) names.Add(Messages.Get("Audit.More", atFault.Length - Named));
            string message = Messages.Get("Error.AuditFailed", reports.Count, Count(WaTokenStatus.Healthy), Count(WaTokenStatus.Warning), Count(WaTokenStatus.Failed),
                FailOn, atFault.Length.ToString(CultureInfo.CurrentCulture), string.Join(", ", names));
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "AuditFailed", ErrorCategory.InvalidResult, atFault)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.AuditFailed") },
            });
        }
    }
}
