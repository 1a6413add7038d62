using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks tokens with Meta's Access Token Debugger and says what is wrong and what to do.</para>
    /// <para type="description">Business Settings step 4, for one token or many: given as a SecureString (or piped from New-WaToken, Save-WaToken, Get-WaToken), or read where it is stored with -Vault/-Name (a SecretManagement vault; Get-SecretInfo output can be piped in) or -EnvFile/-Variable. Each report says which stored token it is about (StoredIn). Asks debug_token (in batches of up to 50) with the app token, then judges each answer: valid, a system user's, never expiring (or how long is left), the three WhatsApp scopes present, which WhatsApp Business Accounts it reaches. Status is Healthy, Warning or Failed; each problem carries the remedy from Meta's troubleshooting. Reports come out in input order.</para>
    /// <para type="description">What is sent to Meta: only WhatsApp tokens. A secret piped in from Get-SecretInfo is read and checked only when its metadata says this module stored it (Save-WaToken writes the token's fingerprint there) and the value still has that fingerprint; any other secret (the app secret, an admin token, a password, a hashtable) gets a Skipped report saying why, and its value is not even read. A secret named explicitly (-Name, the default name, or -EnvFile/-Variable) is sent only if it looks like a Meta access token (EA followed by letters and digits). In a vault that keeps no metadata, name each token to audit: Test-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN.</para>
    /// <para type="description">A fleet audit: pipe in many tokens (every secret of a vault, for example) and they are checked 50 to a Graph batch request, -ThrottleLimit batches at once, with progress; a token a batch could not answer is asked on its own. Every input gets exactly one report, in input order: a token that could not be read gets a Failed report (problem NotRead), and a token Meta could not be asked about (unreachable, 5xx, throttled past the budget) an Unknown one (problem CheckFailed), never Failed: nothing is known of it, and it must not be rotated for that. -FailOn Warning, Failed or Unknown ends the command, after the reports, with a terminating error that sums the audit up, so a scheduled job shows as failed.</para>
    /// </summary>
    /// <example title="Check the stored token every day">
    ///   <code>
    /// Test-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>Reads the token from the SecretManagement vault and asks Meta's Access Token Debugger about it. A healthy production token is valid, a system user's, never expires and has the three WhatsApp scopes; anything else is a Warning or Failed, with the remedy.</para>
    /// </example>
    /// <example title="Fail an Azure Automation job when the token is not healthy">
    ///   <code>
    /// $ErrorActionPreference = 'Stop'
    /// Test-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN -FailOn Warning
    ///   </code>
    ///   <para>-FailOn Warning turns a report that is not Healthy into a terminating error (AuditFailed) that names the token; with $ErrorActionPreference = 'Stop' it ends the runbook, so Azure Automation marks the job Failed and alerts before the WhatsApp service stops. Write-Error would not: the job would end Completed. Each report's Reason says what is wrong and what to do, from Meta's troubleshooting: Token expired means a temporary token; a missing scope means Invalid permissions.</para>
    /// </example>
    /// <example title="Check every stored WhatsApp token, and a .env file">
    ///   <code>
    /// Get-SecretInfo -Name WHATSAPP_* | Test-WaToken
    /// Test-WaToken -EnvFile ./.env -Variable WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>Get-SecretInfo output is read by its VaultName and Name, so every matching secret of every registered vault is checked in one batch; each report's StoredIn names its secret. The second line checks the WHATSAPP_ACCESS_TOKEN of a .env file.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "WaToken", DefaultParameterSetName = VaultSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaTokenReport))]
    public sealed partial class TestWaTokenCommand : WaStoreCmdlet
    {
        private const string TokenSet = "Token";

        /// <summary><para type="description">The token to check, as a SecureString, typed on the command line. A piped token (a SecureString, or New-WaToken, Get-WaToken or Save-WaToken output) binds to -InputObject.</para></summary>
        // Not from the pipeline: everything piped goes to -InputObject, which sorts it (PipedInput), so the syntax has one
        // set for a token and nothing the pipeline alone binds.
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TokenSet)]
        public SecureString Token { get; set; } = new SecureString();

        /// <summary><para type="description">The token to check, usually piped: a SecureString; New-WaToken, Get-WaToken, Save-WaToken or Update-WaToken output; or Get-SecretInfo output, read only when its metadata says this module stored it. A token that is kept somewhere is reported with that place (StoredIn); -Vault, -Name, -EnvFile or -Variable that name another place are an error. Anything else (a system user, a WhatsApp Business Account, a string) is refused, with no report.</para></summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = VaultSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = EnvFileSet)]
        public override PSObject? InputObject { get; set; }

        /// <summary>Where this record's token is kept, when it is: the report names it (StoredIn).</summary>
        private WaTokenPlace? _place;

        /// <summary><para type="description">The connection to use; defaults to the one Connect-WaBusiness made in this session. Binds from the Connection property of objects this module wrote, so a pipeline keeps the connection it started with.</para></summary>
        [Parameter(ParameterSetName = TokenSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = VaultSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = EnvFileSet)]
        public override WaConnection? Connection { get; set; }

        /// <summary><para type="description">Scopes the token must have; default the three WhatsApp scopes.</para></summary>
        [Parameter]
        [ValidateScope]
        [ArgumentCompleter(typeof(Completion.ScopeCompleter))]
        [PSDefaultValue(Value = new[] { WhatsAppScopes.BusinessManagement, WhatsAppScopes.WhatsAppBusinessManagement, WhatsAppScopes.WhatsAppBusinessMessaging })]
        public string[] RequiredScope { get; set; } = WhatsAppScopes.Required.ToArray();

        /// <summary><para type="description">An expiring token with fewer days left than this is a Warning (default 15).</para></summary>
        [Parameter]
        [ValidateRange(0, 365)]
        [PSDefaultValue(Value = 15)]
        public int WarnWithinDays { get; set; } = 15;

        protected override void ProcessRecord()
        {
            var piped = ParameterSetName == TokenSet ? null : Piped();
            _place = null;
            if (piped == null)
            {
                CheckToken(Token);
            }
            else if (piped.Kind == PipedKind.Other || (piped.Kind == PipedKind.Token && piped.Place == null && NamesAPlace()))
            {
                // A system user, a WABA, a string; or a token kept nowhere with -Vault or -EnvFile beside it: one error, no report.
                WriteError(PipedInput.Refusal(this, piped));
            }
            else if (piped.Kind == PipedKind.Token)
            {
                // A token in hand (a SecureString, New-WaToken or Get-WaToken output) is checked as it is, where it is kept.
                _place = piped.Place == null ? null : Agreeing(piped.Place);
                if (piped.Place == null || _place != null) CheckToken(piped.Token!);
            }
            else if (piped.Kind == PipedKind.StoredSecret)
            {
                _place = Agreeing(piped.Place!);
                if (_place != null && ReadStored(_place, piped) is WaToken stored) Queue(stored.Token, RequireConnection());
            }
            else
            {
                // Nothing piped: the place the parameters name (the default vault without -Vault); without one, a Failed
                // report saying why, as for any token that could not be read.
                _place = GivenPlace(out var error);
                if (_place == null) NotChecked(error!);
                else if (ReadStored(_place, null) is WaToken stored) Queue(stored.Token, RequireConnection());
            }
            // Batches answer while tokens are still arriving: their reports go out now, in input order.
            Pump();
            WriteAnswered();
        }

        /// <summary>Whether -Vault, -Name, -EnvFile or -Variable was given on the command line.</summary>
        private bool NamesAPlace() => Given(nameof(Vault)) || Given(nameof(Name)) || Given(nameof(EnvFile)) || Given(nameof(Variable));

        /// <summary>A token in hand: sent to Meta only if it looks like a Meta token.</summary>
        private void CheckToken(SecureString token)
        {
            string what = _place?.ToString() ?? Messages.Get("Target.TokenFingerprint", TokenFingerprint.Of(token));
            if (SecretText.IsNullOrEmpty(token))
                NotChecked(new ErrorRecord(new ArgumentException(Messages.Get("Invalid.EmptyToken", nameof(Token))), "EmptyToken", ErrorCategory.InvalidArgument, _place?.ToString()));
            else if (!AuditGate.LooksLikeMetaToken(token))
                Skip("NotAToken", what);
            else
                Queue(token, RequireConnection());
        }

        protected override void EndProcessing()
        {
            _inputEnded = true;
            var audits = _audits.Values.ToArray();
            try
            {
                if (audits.Length > 0) Run(ct => Task.WhenAll(audits.Select(a => a.Audit.FinishAsync())));
                WriteAnswered();
            }
            finally
            {
                foreach (var audit in audits)
                {
                    audit.Progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(audit.Progress);
                    // Frees its gate once the last batch sent has ended, even when waiting for them failed.
                    audit.Audit.Dispose();
                }
            }
            if (MyInvocation.BoundParameters.ContainsKey(nameof(FailOn))) Judge(_written);
            base.EndProcessing();
        }

        /// <summary>A token into its connection's audit, which sends each batch of 50 as soon as it is full.</summary>
        private void Queue(SecureString token, WaConnection connection)
        {
            if (!_audits.TryGetValue(connection, out var audit))
            {
                var client = ClientFor(connection);
                client.AuditConcurrency = ThrottleLimit;
                audit = new ConnectionAudit(connection, new ProgressRecord(2 + _audits.Count, Messages.Get("Progress.Test.Activity", 0), Messages.Get("Progress.Test.Status", 0, 0)));
                // Told on the pipeline thread as each batch answers (also while EndProcessing waits for the last ones),
                // so its reports go out then, while later batches are still at Meta, not all after the last answer.
                audit.Audit = client.StartAudit(new PumpedProgress(this, done =>
                {
                    ShowProgress(audit, done);
                    WriteAnswered();
                }), CancelToken);
                _audits.Add(connection, audit);
            }
            _slots.Add(new Slot(token, _place, audit, audit.Audit.Add(token)));
        }

        private void ShowProgress(ConnectionAudit audit, int done)
        {
            int queued = audit.Audit.Count;
            audit.Progress.Activity = Messages.Get("Progress.Test.Activity", queued);
            audit.Progress.StatusDescription = Messages.Get("Progress.Test.Status", done, queued);
            // Until the input ends, nobody knows how many tokens there will be.
            audit.Progress.PercentComplete = _inputEnded ? done * 100 / Math.Max(1, queued) : -1;
            WriteProgress(audit.Progress);
        }

        /// <summary>Writes, in input order, every report whose token has been answered (or never needed asking).</summary>
        private void WriteAnswered()
        {
            for (; _next < _slots.Count; _next++)
            {
                var slot = _slots[_next];
                WaTokenReport report;
                if (slot.Ready != null)
                {
                    report = slot.Ready;
                }
                else
                {
                    var audit = slot.Audit!;
                    if (!audit.Audit.IsAnswered(slot.Index)) return;
                    var outcome = audit.Audit.Outcome(slot.Index);
                    if (outcome.BatchFailed && !audit.ErrorWritten)
                    {
                        // The batch itself failed (Graph down, the caller refused): one error says why, each token's report says so.
                        WriteGraphError(audit.Audit.Failure ?? outcome.Error!, audit.Connection);
                        audit.ErrorWritten = true;
                    }
                    report = outcome.Error != null ? CheckFailed(outcome.Error, slot.Token, outcome.Fingerprint) : Report(outcome.Facts!, outcome.Fingerprint, slot.Token, audit.Connection);
                    report.StoredIn = slot.Place;
                    KeptRevoked(report);
                }
                _slots[_next] = default;
                WriteObject(report);
                _written.Add(report);
            }
        }

        private WaTokenReport Report(TokenFacts facts, string? fingerprint, SecureString token, WaConnection connection)
        {
            var diagnosis = TokenDiagnostician.Diagnose(facts, new TokenDiagnosisOptions
            {
                RequiredScopes = WhatsAppScopes.Normalize(RequiredScope),
                WarnWithin = TimeSpan.FromDays(WarnWithinDays),
                ExpectedAppId = connection.AppId,
                Now = ClientFor(connection).ServerNow,
            });
            return new WaTokenReport
            {
                Fingerprint = fingerprint ?? TokenFingerprint.Of(token),
                Status = Map.Status(diagnosis.Health),
                IsValid = facts.IsValid,
                Type = facts.TypeName,
                AppId = facts.AppId,
                Application = facts.Application,
                SystemUserId = facts.UserId,
                IssuedAt = facts.IssuedAt,
                ExpiresAt = facts.ExpiresAt,
                Scopes = facts.Scopes.ToArray(),
                MissingScopes = diagnosis.MissingScopes.ToArray(),
                WhatsAppBusinessAccountIds = diagnosis.WhatsAppAccountIds.ToArray(),
                ReachesAllWhatsAppBusinessAccounts = diagnosis.ReachesAllWhatsAppAccounts,
                Problems = diagnosis.Findings.Select(Problem).ToArray(),
                CheckedAt = DateTimeOffset.Now,
            };
        }

        internal static WaTokenProblem Problem(TokenFinding finding)
        {
            object[] details = finding.Details.Cast<object>().ToArray();
            return new WaTokenProblem
            {
                Kind = finding.Kind.ToString(),
                Severity = Map.Status(finding.Severity),
                Message = Messages.Get("Problem." + finding.Kind + ".Message", details),
                Remedy = Messages.Get("Problem." + finding.Kind + ".Remedy", details),
            };
        }

        private sealed class PumpedProgress : IProgress<int>
        {
            private readonly WaCmdlet _cmdlet;
            private readonly Action<int> _show;

            public PumpedProgress(WaCmdlet cmdlet, Action<int> show)
            {
                _cmdlet = cmdlet;
                _show = show;
            }

            public void Report(int value) => _cmdlet.Post(() => _show(value));
        }
    }
}
