using System;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Rotation;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Replaces a stored token with a new one for the same system user, app and scopes, without an outage.</para>
    /// <para type="description">Reads the token where the application reads it (-Vault/-Name, or -EnvFile/-Variable) with what the store kept about it (system user, app, scopes; debug_token fills in what a .env does not keep), then: keeps it also under the same name with _PREVIOUS appended, in the same store; makes the new token; stores it where the application reads it; verifies it (debug_token: valid, same system user and app, every scope; and reading the phone numbers of a WhatsApp Business Account it reaches); revokes the old token (/oauth/revoke); removes the _PREVIOUS copy, now revoked, so no stale token is left for an audit to flag (a .env keeps the variable, emptied; Azure Key Vault, whose delete is soft, keeps the revoked copy, which the next rotation writes over and Test-WaToken reports Healthy by its name); reads the store back (a store that no longer holds the new token, written meanwhile by something that takes no lock, stops with RotationNotHeld and the new token kept in $WaUnsavedToken); and only then writes the rotation, with Completed true. A 60-day token is renewed (fb_exchange_token) once fewer than -RenewWithin days are left, and made anew when it can no longer be renewed; before that nothing is done, unless -Force. A permanent token is replaced at every run.</para>
    /// <para type="description">No step leaves the application without a working token, and no token is lost. If storing the new token fails, the stored token is untouched and the new one is kept in $WaUnsavedToken. If the new token is stored but can not be verified or the old one revoked, the old token keeps working and stays under the _PREVIOUS name. If the new token proves wrong, the old one is put back. The error's TargetObject is the rotation, whose Step says how far it got. Run the same command again to finish: it finds the unfinished rotation (a _PREVIOUS token that differs from the stored one and still works, or a new token in $WaUnsavedToken) and completes it rather than starting another. -WhatIf shows the plan, including an unfinished rotation it would complete. Needs a connection with the app secret (Connect-WaBusiness -AppSecret).</para>
    /// <para type="description">One writer of a store at a time, across processes: while a rotation runs, another Update-WaToken or Save-WaToken of the same store (any secret of the same vault or .env, which is written as a whole; every SecretStore vault of a user is one store file) from another runbook or shell waits up to -LockTimeoutSeconds for it to end, then stops having done nothing (RotationInProgress here). At the end the rotation reads the store back, so a writer that takes no lock is caught. Before the new token is asked for, the rotation writes a journal for the secret (what was asked of Meta, for which secret and system user, when, and the new token's fingerprint once known; never token text) in the state folder: $env:NAOVA_WHATSAPPTOKEN_STATE, else ~/.local/state/naova-whatsapptoken ($XDG_STATE_HOME) or %LOCALAPPDATA%\Naova.WhatsAppToken. If the process dies (killed, the job ended) after Meta made the token and before it was stored, the next run reads the journal, fetches that very token from Meta and stores it instead of making another (with no fingerprint written yet, only a token issued after the question that no secret of the store holds: another secret's newer token is never taken); the journal is removed when the rotation completes. A state folder that can not be written is said in a warning, and the rotation then runs without lock and journal.</para>
    /// </summary>
    /// <example title="Rotate the production token without downtime">
    ///   <code>Update-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN</code>
    ///   <para>Rotates the production token: the application reads the new token from the vault as soon as it is stored, the old one keeps working until the new one is verified, and is then revoked.</para>
    /// </example>
    /// <example title="See what a daily runbook would do with a 60-day token">
    ///   <code>Update-WaToken -EnvFile /srv/naova-whatsapp/.env -RenewWithin 20 -WhatIf</code>
    ///   <para>Shows what a daily runbook would do with the 60-day token in the .env file: nothing while more than 20 days are left, then renew it and revoke the old one.</para>
    /// </example>
    [Cmdlet(VerbsData.Update, "WaToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = VaultSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaTokenRotation))]
    public sealed partial class UpdateWaTokenCommand : WaStoreCmdlet
    {

        /// <summary><para type="description">Renew a 60-day token once fewer than this many days are left (default 15).</para></summary>
        [Parameter]
        [ValidateRange(0, 59)]
        [PSDefaultValue(Value = 15)]
        public int RenewWithin { get; set; } = 15;

        /// <summary><para type="description">Rotate a 60-day token now, even with more than -RenewWithin days left (a leaked token, for example).</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary><para type="description">The system user the token belongs to, when neither the store nor Meta can say (a .env token that stopped working).</para></summary>
        [Parameter]
        [Alias("Id")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.SystemUserIdCompleter))]
        public string? SystemUserId { get; set; }

        /// <summary><para type="description">The WhatsApp Business Account whose phone numbers the new token must be able to read; by default, one the token reaches.</para></summary>
        [Parameter]
        [Alias("WhatsAppBusinessAccount", "WabaId", "Waba")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.WhatsAppAccountCompleter))]
        public string? WhatsAppBusinessAccountId { get; set; }

        /// <summary><para type="description">How long to wait for another rotation or save in the same store (another process) to end before stopping with RotationInProgress (default 60 seconds; 0 stops at once).</para></summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        [PSDefaultValue(Value = 60)]
        public int LockTimeoutSeconds { get; set; } = 60;

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            // A piped token or secret is rotated where it is kept; else where the parameters say.
            var place = PlaceOfRecord();
            if (place == null) return;
            string name = place.Key;
            if (TokenStore.IsPreviousName(name))
            {
                string current = name.Substring(0, name.Length - "_PREVIOUS".Length);
                Refuse("IsPreviousToken", ErrorCategory.InvalidArgument, Messages.Get("Error.RotationOfPrevious", name, current),
                    Messages.Get("Remedy.RotationOfPrevious", name, current), name);
                return;
            }
            if (!connection.HasAppSecret)
            {
                Refuse("AppSecretRequired", ErrorCategory.InvalidOperation, Messages.Get("Error.AppSecretRequired", Messages.Get("Operation.RotateToken")),
                    Messages.Get("Remedy.AppSecretRequired"), name);
                return;
            }
            ErrorRecord? storeError = null;
            var store = place.IsEnvFile ? TokenStore.ForEnvFile(this, place.EnvFile!, out storeError) : TokenStore.ForVault(this, place.Vault!);
            // The destination can take the new token (the vault registered and unlocked, the .env's folder writable): asked before Meta is.
            if (store != null)
            {
                // Checking a SecretStore vault writes to it (Test-SecretVault), under the store's lock: waited for as the rotation's is.
                store.LockWait = TimeSpan.FromSeconds(LockTimeoutSeconds);
                store.BusyReason = "RotationInProgress";
            }
            storeError ??= store?.CheckDestination();
            if (store == null || storeError != null)
            {
                WriteError(storeError!);
                return;
            }

            // The rotation itself is the engine's; here it is bound, confirmed and told in PowerShell's streams.
            var report = new RotationReporter(this, store, connection, name, LockTimeoutSeconds);
            var options = new RotationOptions
            {
                AppId = connection.AppId, BusinessId = connection.BusinessId, GraphEndpoint = connection.GraphUri.ToString(),
                RenewWithin = RenewWithin, Force = Force, SystemUserId = SystemUserId, WhatsAppBusinessAccountId = WhatsAppBusinessAccountId,
                LockTimeout = TimeSpan.FromSeconds(LockTimeoutSeconds), MaySend = AuditGate.LooksLikeMetaToken,
                // A token kept for another secret (a failed save of it) is that secret's to store, never this one's.
                Unsaved = UnsavedTokens.Current(this).Where(t => t.MeantFor == null || t.MeantFor == name).Select(RotationStoreAdapter.ToStored).ToArray(),
            };
            using var rotation = new TokenRotation(new RotationStoreAdapter(store, connection), name, ClientFor(connection), report, options);
            // One rotation of a secret at a time, across processes: a second run waits for the first to end.
            // -WhatIf:$false (a runbook's -WhatIf:$DryRun) is a real rotation, and takes the lock as one without -WhatIf.
            if (!Confirmation.IsWhatIf(this) && !rotation.Lock(CancelToken)) return;
            if (!rotation.Inspect()) return;
            var state = rotation.State;
            if (state.Action == RotationAction.NotDue)
            {
                WriteVerbose(Messages.Get("Verbose.RotationNotDue", state.Fingerprint, store.Place(name), state.DaysLeft ?? int.MaxValue, RenewWithin));
                WriteObject(report.Result(state));
                return;
            }
            if (!Confirmation.ShouldProcess(this, store.Place(name).ToString(), Messages.Get("Action.RotateToken"), Plan(state, store))) return;
            try
            {
                if (rotation.Run()) WriteObject(report.Result(state));
            }
            finally
            {
                report.Complete();
            }
        }

        private void Refuse(string reason, ErrorCategory category, string message, string remedy, object? target) =>
            WriteError(new ErrorRecord(new InvalidOperationException(message), reason, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = remedy },
            });

        /// <summary>The plan, in the words -WhatIf and -Confirm show.</summary>
        private string Plan(RotationState r, TokenStore store)
        {
            var storedIn = store.Place(r.Name);
            var previousStoredIn = store.Place(r.PreviousName);
            var lines = new System.Collections.Generic.List<string>();
            if (r.Action == RotationAction.Resumed)
            {
                lines.Add(Messages.Get("Plan.Resume", storedIn, r.CurrentFingerprint, r.KeptFingerprint, previousStoredIn));
            }
            else
            {
                lines.Add(Messages.Get("Plan.Rotate", storedIn, r.CurrentFingerprint, r.SystemUserId, r.AppId));
                if (r.KeepsCurrent) lines.Add(Messages.Get("Plan.KeepPrevious", previousStoredIn));
                lines.Add(r.AdoptedFingerprint != null ? Messages.Get("Plan.Adopt", r.AdoptedFingerprint, UnsavedTokens.VariableName)
                    : r.Action == RotationAction.Renewed ? Messages.Get("Plan.Renew")
                    : Messages.Get("Plan.Remake", Messages.Get(r.SixtyDays ? "Lifetime.SixtyDays" : "Lifetime.Never"), string.Join(", ", r.Scopes)));
                lines.Add(Messages.Get("Plan.Store", storedIn));
            }
            lines.Add(WhatsAppBusinessAccountId == null ? Messages.Get("Plan.VerifyAny") : Messages.Get("Plan.Verify", WhatsAppBusinessAccountId));
            var oldFingerprint = r.Action == RotationAction.Resumed ? r.KeptFingerprint : r.CurrentFingerprint;
            lines.Add(Messages.Get(r.RevokesOld ? "Plan.Revoke" : "Plan.RevokeNotNeeded", oldFingerprint));
            lines.Add(Messages.Get("Plan.RemovePrevious", previousStoredIn));
            return string.Join(Environment.NewLine, lines.Select((l, i) => i == 0 ? l : "  " + i + ". " + l));
        }
    }
}
