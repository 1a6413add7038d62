using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Rotation;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    // The steps of a rotation. The order is what keeps the application working: keep the current token under the
    // _PREVIOUS name, make the new one, store it, verify it, and only then revoke the old one. The state between
    // runs lives in the store itself (and in $WaUnsavedToken), so a later run can see where an earlier one stopped.
    // (The cmdlet's help is on the other part of this class: a doc comment here would replace it.)
    public sealed partial class UpdateWaTokenCommand
    {
        /// <summary>Everything one rotation knows: the two stored tokens, what Meta said of them, and the result so far.</summary>
        private sealed class Rotation
        {
            public Rotation(TokenStore store, string name, WaConnection connection, GraphClient client, WaToken current)
            {
                Store = store;
                Name = name;
                PreviousName = store.PreviousNameOf(name);
                Connection = connection;
                Client = client;
                Current = current;
                // One journal per secret and Graph endpoint: what it records (Meta's clock, its tokens) belongs to that endpoint.
                Journal = new RotationJournal(store.Place(name) + " @ " + connection.GraphUri);
            }

            public TokenStore Store { get; }

            public string Name { get; }

            public string PreviousName { get; }

            public WaConnection Connection { get; }

            public GraphClient Client { get; }

            public WaToken Current { get; }

            public DebugTokenData? CurrentData { get; set; }

            public WaToken? Previous { get; set; }

            public DebugTokenData? PreviousData { get; set; }

            public WaToken? Adoptable { get; set; }

            /// <summary>What this rotation asked of Meta, on disk, for a run that comes after a killed one.</summary>
            public RotationJournal Journal { get; }

            public bool KeepCurrent { get; set; }

            public string SystemUserId { get; set; } = string.Empty;

            public string AppId { get; set; } = string.Empty;

            public string[] Scopes { get; set; } = Array.Empty<string>();

            public bool SixtyDays { get; set; }

            public DateTimeOffset Now { get; set; }

            public WaTokenRotation Result { get; } = new WaTokenRotation();

            public ProgressRecord Progress { get; set; } = new ProgressRecord(3, " ", " ");
        }

        private enum Verdict
        {
            Verified,
            Unverified,
            Failed,
        }

        // ------------------------------------------------------------------ what is there, and what is to be done

        private Rotation? Inspect(WaConnection connection, TokenStore store, string name)
        {
            var current = store.Read(name, out _, out var error);
            if (current == null)
            {
                WriteError(error!);
                return null;
            }
            // Nothing is sent to Meta that does not look like a Meta token: the name may hold a password or the app secret.
            if (!AuditGate.LooksLikeMetaToken(current.Token))
            {
                WriteError(AuditGate.NotAToken(this, store.Place(name)));
                return null;
            }
            var client = ClientFor(connection);
            var r = new Rotation(store, name, connection, client, current);
            r.Progress = new ProgressRecord(3, Messages.Get("Progress.Rotate.Activity", store.Place(name)), Messages.Get("Progress.Rotate.Inspect"));
            WriteProgress(r.Progress);
            r.Previous = store.Read(r.PreviousName, out bool missing, out var previousError);
            if (r.Previous == null && !missing)
            {
                WriteError(previousError!);
                return null;
            }
            if (r.Previous != null && !AuditGate.LooksLikeMetaToken(r.Previous.Token))
            {
                WriteError(AuditGate.NotAToken(this, store.Place(r.PreviousName)));
                return null;
            }

            // One debug_token batch for the stored token, the kept one and any token a failed run left unsaved.
            var unsaved = Unsaved().Where(t => AuditGate.LooksLikeMetaToken(t.Token) && t.Fingerprint != current.Fingerprint && t.Fingerprint != r.Previous?.Fingerprint).ToArray();
            var asked = new List<SecureString> { current.Token };
            bool askPrevious = r.Previous != null && r.Previous.Fingerprint != current.Fingerprint;
            if (askPrevious) asked.Add(r.Previous!.Token);
            asked.AddRange(unsaved.Select(t => t.Token));
            IReadOnlyList<DebugTokenOutcome> outcomes;
            try
            {
                outcomes = Run(ct => client.DebugTokensAsync(asked, null, ct));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, store.Place(name));
                return null;
            }
            // The stored and the kept token must be judged; an unsaved token Meta could not judge is simply not adopted.
            if (outcomes.Take(askPrevious ? 2 : 1).FirstOrDefault(o => o.Error != null)?.Error is GraphApiException failed)
            {
                WriteGraphError(failed, store.Place(name));
                return null;
            }
            r.CurrentData = outcomes[0].Data;
            r.PreviousData = askPrevious ? outcomes[1].Data : r.Previous != null ? r.CurrentData : null;
            r.Now = client.ServerNow;

            if (!Identify(r)) return null;
            Describe(r);
            int first = askPrevious ? 2 : 1;
            r.Adoptable = unsaved.Select((t, i) => (Token: t, Data: outcomes[first + i].Data))
                .Where(c => c.Data != null && Fits(r, c.Data))
                .OrderByDescending(c => c.Data!.IssuedAt ?? 0)
                .Select(c => c.Token)
                .FirstOrDefault();
            r.Adoptable ??= FromJournal(r);

            if (askPrevious && r.PreviousData!.IsValid)
            {
                // A previous token that is not the stored one and still works: an earlier run stopped after storing.
                if (r.PreviousData.UserId != null && r.PreviousData.UserId != r.SystemUserId)
                {
                    Refuse("PreviousIsAnotherToken", ErrorCategory.ResourceExists, Messages.Get("Error.PreviousIsAnotherToken", r.Result.PreviousStoredIn, r.PreviousData.UserId),
                        Messages.Get("Remedy.PreviousIsAnotherToken", r.Result.PreviousStoredIn), r.Result);
                    return null;
                }
                r.Result.Action = WaRotationAction.Resumed;
                r.Result.PreviousFingerprint = r.Previous!.Fingerprint;
                r.Result.Step = WaRotationStep.Stored;
                return r;
            }

            r.KeepCurrent = r.Previous == null || r.Previous.Fingerprint != current.Fingerprint;
            var expiresAt = DebugTokenData.FromUnix(r.CurrentData!.ExpiresAt) ?? current.ExpiresAt;
            r.Result.ExpiresAt = expiresAt;
            r.Result.PreviousFingerprint = current.Fingerprint;
            if (r.CurrentData.IsValid && r.SixtyDays && r.Adoptable == null)
            {
                bool due = Force || !expiresAt.HasValue || expiresAt.Value - r.Now <= TimeSpan.FromDays(RenewWithin);
                r.Result.Action = due ? WaRotationAction.Renewed : WaRotationAction.NotDue;
            }
            else
            {
                r.Result.Action = WaRotationAction.Remade;
            }
            return r;
        }

        /// <summary>Whose token this is, for which app and scopes: the store's metadata first, then what Meta says.</summary>
        private bool Identify(Rotation r)
        {
            var data = r.CurrentData!;
            string? user = SystemUserId ?? r.Current.SystemUserId ?? data.UserId;
            if (string.IsNullOrEmpty(user))
            {
                Refuse("SystemUserUnknown", ErrorCategory.InvalidData, Messages.Get("Error.SystemUserUnknown", r.Store.Place(r.Name)), Messages.Get("Remedy.SystemUserUnknown"), r.Store.Place(r.Name));
                return false;
            }
            string app = r.Current.AppId ?? data.AppId ?? r.Connection.AppId;
            if (app != r.Connection.AppId)
            {
                Refuse("AppMismatch", ErrorCategory.InvalidOperation, Messages.Get("Error.RotationAppMismatch", r.Store.Place(r.Name), app, r.Connection.AppId),
                    Messages.Get("Remedy.RotationAppMismatch", app), r.Store.Place(r.Name));
                return false;
            }
            r.SystemUserId = user!;
            r.AppId = app;
            var scopes = r.Current.Scopes.Length > 0 ? r.Current.Scopes : data.Scopes?.ToArray() ?? Array.Empty<string>();
            r.Scopes = WhatsAppScopes.Normalize(scopes.Length > 0 ? scopes : WhatsAppScopes.Required).ToArray();
            r.SixtyDays = (data.ExpiresAt ?? 0) > 0 || r.Current.ExpiresAt.HasValue || r.Current.Expiration == WaTokenExpiration.SixtyDays;
            return true;
        }

        private void Describe(Rotation r)
        {
            var result = r.Result;
            result.StoredIn = r.Store.Place(r.Name);
            result.PreviousStoredIn = r.Store.Place(r.PreviousName);
            result.Token = r.Current.Token;
            result.Fingerprint = r.Current.Fingerprint;
            result.SystemUserId = r.SystemUserId;
            result.AppId = r.AppId;
            result.Scopes = r.Scopes;
            result.Connection = r.Connection;
        }

        /// <summary>A token left unsaved by an earlier run that can be stored instead of making another.</summary>
        private static bool Fits(Rotation r, DebugTokenData data) =>
            data.IsValid && data.UserId == r.SystemUserId && data.AppId == r.AppId &&
            r.Scopes.All(s => (data.Scopes ?? new List<string>()).Contains(s, StringComparer.OrdinalIgnoreCase));

        // ------------------------------------------------------------------ the steps

        private void Rotate(Rotation r)
        {
            var result = r.Result;
            if (r.KeepCurrent)
            {
                Step(r, Messages.Get("Progress.Rotate.KeepPrevious", result.PreviousStoredIn), 10);
                if (r.Store.Write(r.PreviousName, r.Current) is ErrorRecord keepError)
                {
                    Stopped(r, keepError, Messages.Get("State.NothingChanged", result.StoredIn, r.Current.Fingerprint));
                    return;
                }
                WriteVerbose(Messages.Get("Verbose.PreviousKept", r.Current.Fingerprint, result.PreviousStoredIn));
            }
            result.Step = WaRotationStep.PreviousKept;

            Step(r, Messages.Get("Progress.Rotate.Create"), 30);
            // Written (and flushed) before Meta is asked: if this process dies before the token is stored, the next
            // run finds what was asked and when, and stores the token Meta made rather than leaving it orphaned.
            if (r.Adoptable == null) Journal(r, RotationJournal.Asked, null);
            var made = r.Adoptable ?? Make(r);
            if (made == null) return;
            Journal(r, RotationJournal.Made, made.Fingerprint);
            if (r.Adoptable != null) WriteVerbose(Messages.Get("Verbose.AdoptedUnsaved", made.Fingerprint, UnsavedTokens.VariableName));
            result.Step = WaRotationStep.Created;
            result.Token = made.Token;
            result.Fingerprint = made.Fingerprint;
            result.ExpiresAt = made.ExpiresAt;

            Step(r, Messages.Get("Progress.Rotate.Store", result.StoredIn), 50);
            if (r.Store.Write(r.Name, made) is ErrorRecord storeError)
            {
                string again = UnsavedTokens.Keep(this, made, r.Store.Arguments(r.Name), r.Name);
                Stopped(r, storeError, Messages.Get("State.NewNotStored", result.StoredIn, r.Current.Fingerprint, made.Fingerprint, UnsavedTokens.VariableName, again));
                return;
            }
            UnsavedTokens.Forget(this, made);
            Journal(r, RotationJournal.Stored, made.Fingerprint);
            result.Step = WaRotationStep.Stored;
            WriteVerbose(Messages.Get("Verbose.NewStored", made.Fingerprint, result.StoredIn));
            Finish(r, made, r.Current, r.CurrentData!);
        }

        /// <summary>Verifies the stored token and revokes the one it replaced: the end of a rotation, and all of a resumed one.</summary>
        private void Finish(Rotation r, WaToken stored, WaToken old, DebugTokenData oldData)
        {
            var result = r.Result;
            Step(r, Messages.Get("Progress.Rotate.Verify", stored.Fingerprint), 70);
            var verdict = Verify(r, stored, out string? why, out var unanswered);
            if (verdict == Verdict.Unverified)
            {
                Stopped(r, GraphErrors.ToErrorRecord(unanswered!, result), Messages.Get("State.NotVerified", result.StoredIn, stored.Fingerprint, old.Fingerprint, result.PreviousStoredIn));
                return;
            }
            if (verdict == Verdict.Failed)
            {
                PutBack(r, stored, old, why!);
                return;
            }
            result.Step = WaRotationStep.Verified;
            WriteVerbose(Messages.Get("Verbose.NewVerified", stored.Fingerprint, result.VerifiedWhatsAppBusinessAccountId ?? "-"));

            if (oldData.IsValid)
            {
                Step(r, Messages.Get("Progress.Rotate.Revoke", old.Fingerprint), 90);
                try
                {
                    Run(ct => r.Client.RevokeTokenAsync(old.Token, ct));
                }
                catch (GraphApiException ex)
                {
                    Stopped(r, GraphErrors.ToErrorRecord(ex, result), Messages.Get("State.NotRevoked", result.StoredIn, stored.Fingerprint, old.Fingerprint, result.PreviousStoredIn));
                    return;
                }
                result.PreviousRevoked = true;
                WriteVerbose(Messages.Get("Verbose.TokenRevoked", old.Fingerprint));
            }
            else
            {
                WriteVerbose(Messages.Get("Verbose.PreviousAlreadyInvalid", old.Fingerprint));
            }
            // The kept copy was there to fall back on; revoked, it is only a stale secret that a daily audit would flag.
            if (r.Store.Remove(r.PreviousName) is ErrorRecord removeError)
                WriteWarning(Messages.Get("Warning.PreviousNotRemoved", result.PreviousStoredIn, old.Fingerprint, removeError.ErrorDetails?.Message ?? removeError.Exception.Message));
            else
                WriteVerbose(Messages.Get("Verbose.PreviousRemoved", old.Fingerprint, result.PreviousStoredIn));
            result.Step = WaRotationStep.Completed;
            result.At = DateTimeOffset.Now;
            r.Journal.Clear();
            WriteObject(result);
        }

        /// <summary>The new token, renewed or made; null (with the error written) when Meta did not give one.</summary>
        private WaToken? Make(Rotation r)
        {
            var result = r.Result;
            SecureString? text = null;
            DateTimeOffset? expiresAt = null;
            try
            {
                if (result.Action == WaRotationAction.Renewed)
                {
                    try
                    {
                        var renewed = Run(ct => r.Client.ExchangeTokenAsync(r.Current.Token, ct));
                        text = renewed.Token;
                        expiresAt = r.Client.ServerNow + (renewed.ExpiresIn ?? TimeSpan.FromDays(60));
                    }
                    catch (GraphApiException ex) when (ex.Kind == GraphErrorKind.TokenExpired || ex.Kind == GraphErrorKind.TokenInvalid || ex.Kind == GraphErrorKind.InvalidParameter)
                    {
                        // Only a valid 60-day token can be renewed; one that can not is made anew.
                        WriteVerbose(Messages.Get("Verbose.RenewRefused", r.Current.Fingerprint, ex.Message));
                        result.Action = WaRotationAction.Remade;
                    }
                }
                if (text == null)
                {
                    bool sixtyDays = r.SixtyDays;
                    // The tokens this secret holds are never "the one Meta made" when an answer is lost.
                    var known = new[] { r.Current.Fingerprint, r.Previous?.Fingerprint }.Where(f => f != null).Select(f => f!).ToArray();
                    CreatedToken created;
                    try
                    {
                        created = Run(ct => r.Client.CreateSystemUserTokenAsync(r.SystemUserId, r.AppId, r.Scopes, sixtyDays, ct, known));
                    }
                    catch (GraphApiException ex) when (ex.Kind == GraphErrorKind.MustUseExpiringTokens && !sixtyDays)
                    {
                        WriteWarning(Messages.Get("Warning.RotationMustExpire", r.SystemUserId));
                        sixtyDays = true;
                        created = Run(ct => r.Client.CreateSystemUserTokenAsync(r.SystemUserId, r.AppId, r.Scopes, true, ct, known));
                    }
                    text = created.Token;
                    if (created.Recovered) WriteWarning(Messages.Get("Warning.TokenRecovered", TokenFingerprint.Of(text), r.SystemUserId));
                    expiresAt = sixtyDays ? r.Client.ServerNow + TimeSpan.FromDays(60) : (DateTimeOffset?)null;
                }
            }
            catch (GraphApiException ex)
            {
                Stopped(r, GraphErrors.ToErrorRecord(ex, result), Messages.Get("State.NotCreated", result.StoredIn, r.Current.Fingerprint));
                return null;
            }
            // A lost answer is recovered by fetching the system user's latest token: if that is a token already
            // stored, Meta made none, and rotating to it would revoke the very token the application reads.
            string fingerprint = TokenFingerprint.Of(text!);
            if (fingerprint == r.Current.Fingerprint || fingerprint == r.Previous?.Fingerprint)
            {
                var record = new ErrorRecord(new InvalidOperationException(Messages.Get("Error.NoNewToken", fingerprint)), "NoNewToken", ErrorCategory.InvalidResult, result)
                {
                    ErrorDetails = new ErrorDetails(Messages.Get("Error.NoNewToken", fingerprint)),
                };
                Stopped(r, record, Messages.Get("State.NotCreated", result.StoredIn, r.Current.Fingerprint));
                return null;
            }
            var made = NewToken(r, text!, fingerprint, r.Client.ServerNow, expiresAt);
            WriteVerbose(Messages.Get(result.Action == WaRotationAction.Renewed ? "Verbose.TokenRenewed" : "Verbose.TokenCreated", made.Fingerprint, r.SystemUserId));
            return made;
        }

        /// <summary>
        /// debug_token (valid, same system user and app, every scope) and a WhatsApp read with the token. Failed only on
        /// proof that the token is wrong; a question Meta did not answer leaves it Unverified, to be asked again.
        /// </summary>
        private Verdict Verify(Rotation r, WaToken token, out string? why, out GraphApiException? unanswered)
        {
            why = null;
            unanswered = null;
            DebugTokenData data;
            try
            {
                data = Run(ct => r.Client.DebugTokenAsync(token.Token, ct));
            }
            catch (GraphApiException ex)
            {
                unanswered = ex;
                return Verdict.Unverified;
            }
            var missing = r.Scopes.Where(s => !(data.Scopes ?? new List<string>()).Contains(s, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (!data.IsValid) why = Messages.Get("Why.Invalid", Redactor.Redact(data.Error?.Message ?? string.Empty));
            else if (data.UserId != r.SystemUserId || data.AppId != r.AppId) why = Messages.Get("Why.OtherOwner", data.UserId, data.AppId, r.SystemUserId, r.AppId);
            else if (missing.Length > 0) why = Messages.Get("Why.ScopeMissing", string.Join(", ", missing));
            if (why != null) return Verdict.Failed;

            string? waba;
            try
            {
                waba = WhatsAppBusinessAccountId ?? WabaToRead(r, data);
            }
            catch (GraphApiException ex)
            {
                unanswered = ex;
                return Verdict.Unverified;
            }
            if (waba == null)
            {
                WriteWarning(Messages.Get("Warning.NoWabaToRead", token.Fingerprint));
                return Verdict.Verified;
            }
            try
            {
                Run(ct => r.Client.ReadPhoneNumbersWithAsync(token.Token, waba, ct));
            }
            catch (GraphApiException ex) when (ProvesTokenWrong(ex))
            {
                why = Messages.Get("Why.WhatsAppReadRefused", waba, ex.Message);
                return Verdict.Failed;
            }
            catch (GraphApiException ex)
            {
                unanswered = ex;
                return Verdict.Unverified;
            }
            r.Result.VerifiedWhatsAppBusinessAccountId = waba;
            return Verdict.Verified;
        }

        /// <summary>A WABA the token should read: one it names, else (when it reaches all) the business's first.</summary>
        private string? WabaToRead(Rotation r, DebugTokenData data)
        {
            var whatsApp = (data.GranularScopes ?? new List<GranularScope>())
                .Where(g => g.Scope == WhatsAppScopes.WhatsAppBusinessManagement || g.Scope == WhatsAppScopes.WhatsAppBusinessMessaging).ToArray();
            if (whatsApp.Length == 0 && !(data.Scopes ?? new List<string>()).Any(s => s.StartsWith("whatsapp_", StringComparison.Ordinal))) return null;
            var named = whatsApp.Where(g => g.TargetIds != null).SelectMany(g => g.TargetIds!).FirstOrDefault();
            if (named != null || whatsApp.Any(g => g.TargetIds != null)) return named;
            return Run(ct => r.Client.GetBusinessWhatsAppAccountsAsync(ct)).Select(w => w.Id).FirstOrDefault();
        }

        private static bool ProvesTokenWrong(GraphApiException ex) =>
            ex.IsGraphAnswer && !ex.IsRetryable && ex.Kind != GraphErrorKind.MalformedResponse;

        /// <summary>The new token proved wrong: the old one goes back where the application reads it, and the new one is revoked.</summary>
        private void PutBack(Rotation r, WaToken stored, WaToken old, string why)
        {
            var result = r.Result;
            if (r.Store.Write(r.Name, old) is ErrorRecord putBackError)
            {
                string restore = "Get-WaToken " + r.Store.Arguments(r.PreviousName) + " | Save-WaToken " + r.Store.Arguments(r.Name);
                Stopped(r, putBackError, Messages.Get("State.PutBackFailed", stored.Fingerprint, why, result.StoredIn, old.Fingerprint, result.PreviousStoredIn, restore));
                return;
            }
            bool revoked = false;
            try
            {
                Run(ct => r.Client.RevokeTokenAsync(stored.Token, ct));
                revoked = true;
            }
            catch (GraphApiException)
            {
                // Not worth failing for: the token is no longer stored anywhere the application reads.
            }
            r.Journal.Clear();
            result.Step = WaRotationStep.Planned;
            result.Token = old.Token;
            result.Fingerprint = old.Fingerprint;
            string message = Messages.Get(revoked ? "State.PutBack" : "State.PutBackNotRevoked", stored.Fingerprint, why, result.StoredIn, old.Fingerprint);
            Refuse("RotationVerificationFailed", ErrorCategory.InvalidResult, message, Messages.Get("Remedy.RotationVerificationFailed"), result.WithoutSecret());
        }

        /// <summary>Writes <paramref name="cause"/> with where the rotation stands and what running again does.</summary>
        private void Stopped(Rotation r, ErrorRecord cause, string state)
        {
            string remedy = cause.ErrorDetails?.RecommendedAction ?? string.Empty;
            string message = state + " " + (cause.ErrorDetails?.Message ?? cause.Exception.Message);
            var record = new ErrorRecord(cause.Exception, cause.FullyQualifiedErrorId, cause.CategoryInfo.Category, r.Result.WithoutSecret())
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = (remedy + " " + Messages.Get("Remedy.RunAgain")).Trim() },
            };
            WriteError(record);
        }

        /// <summary>The tokens in $WaUnsavedToken (Save-WaToken's, or an earlier rotation's that could not be stored).</summary>
        private IEnumerable<WaToken> Unsaved()
        {
            object? value = SessionState.PSVariable.GetValue("global:" + UnsavedTokens.VariableName);
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is WaToken single) return new[] { single };
            if (value is IEnumerable many && !(value is string))
                return many.Cast<object>().Select(o => o is PSObject p ? p.BaseObject : o).OfType<WaToken>().ToArray();
            return Array.Empty<WaToken>();
        }

        private void Journal(Rotation r, string step, string? fingerprint)
        {
            // Said once: a state folder that can not be written was told already, or the first failed write is.
            if (_noJournal) return;
            var entry = r.Journal.Read();
            long askedAt = step == RotationJournal.Asked || entry == null ? r.Client.ServerNow.ToUnixTimeSeconds() : entry.AskedAt;
            try
            {
                r.Journal.Write(new JournalEntry
                {
                    Place = r.Store.Place(r.Name).ToString(), Step = step, SystemUserId = r.SystemUserId, AppId = r.AppId, Scopes = r.Scopes,
                    AskedAt = askedAt, Fingerprint = fingerprint, Replacing = r.Current.Fingerprint,
                });
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                WriteWarning(Messages.Get("Warning.JournalNotWritten", r.Journal.Path, ex.Message));
                _noJournal = true;
            }
        }

        /// <summary>
        /// The token an interrupted run asked for and never stored: Meta's latest token for the system user, when it
        /// is the one the journal names (or, with no fingerprint written, one issued after the journal's question)
        /// and none of this secret's own. Null when there is none; a journaled token that can not be fetched is named.
        /// </summary>
        private WaToken? FromJournal(Rotation r)
        {
            var left = r.Journal.Read();
            if (left == null || left.SystemUserId != r.SystemUserId || left.AppId != r.AppId) return null;
            if (left.Fingerprint != null && (left.Fingerprint == r.Current.Fingerprint || left.Fingerprint == r.Previous?.Fingerprint)) return null;
            SecureString latest;
            DebugTokenData data;
            try
            {
                latest = Run(ct => r.Client.FetchLatestTokenAsync(r.SystemUserId, r.AppId, r.Scopes, ct));
                data = Run(ct => r.Client.DebugTokenAsync(latest, ct));
            }
            catch (GraphApiException)
            {
                if (left.Fingerprint != null) WriteWarning(Messages.Get("Warning.JournalOrphan", left.Fingerprint, r.SystemUserId, AskedAtText(left)));
                return null;
            }
            string fingerprint = TokenFingerprint.Of(latest);
            bool ours = fingerprint != r.Current.Fingerprint && fingerprint != r.Previous?.Fingerprint && Fits(r, data)
                && (left.Fingerprint != null ? fingerprint == left.Fingerprint : (data.IssuedAt ?? 0) >= left.AskedAt - 2);
            if (!ours)
            {
                if (left.Fingerprint != null) WriteWarning(Messages.Get("Warning.JournalOrphan", left.Fingerprint, r.SystemUserId, AskedAtText(left)));
                return null;
            }
            WriteWarning(Messages.Get("Warning.JournalRecovered", fingerprint, r.Store.Place(r.Name), AskedAtText(left)));
            return NewToken(r, latest, fingerprint, DebugTokenData.FromUnix(data.IssuedAt) ?? r.Client.ServerNow, DebugTokenData.FromUnix(data.ExpiresAt));
        }

        /// <summary>The rotation's new token: the stored one's system user, business, app and scopes, with its own dates.</summary>
        private static WaToken NewToken(Rotation r, SecureString text, string fingerprint, DateTimeOffset issuedAt, DateTimeOffset? expiresAt) => new WaToken
        {
            Token = text,
            Fingerprint = fingerprint,
            SystemUserId = r.SystemUserId,
            SystemUserName = r.Current.SystemUserName,
            BusinessId = r.Current.BusinessId ?? r.Connection.BusinessId,
            AppId = r.AppId,
            Scopes = r.Scopes,
            Expiration = expiresAt.HasValue ? WaTokenExpiration.SixtyDays : WaTokenExpiration.Never,
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
            Connection = r.Connection,
        };

        private static string AskedAtText(JournalEntry e) => DateTimeOffset.FromUnixTimeSeconds(e.AskedAt).ToString("u", System.Globalization.CultureInfo.InvariantCulture);

        private void Step(Rotation r, string status, int percent)
        {
            r.Progress.StatusDescription = status;
            r.Progress.PercentComplete = percent;
            WriteProgress(r.Progress);
        }
    }
}
