using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    // What is there and what is to be done (Inspect), and the steps that ask Meta: make, verify, recover from a journal.
    public sealed partial class TokenRotation
    {
        private enum Verdict
        {
            Verified,
            Unverified,
            Failed,
        }

        /// <summary>
        /// Reads the stored token, the kept copy and what Meta says of them (and of the caller's unsaved tokens), and
        /// plans: <see cref="RotationState.Action"/>. False (stopped) when there is nothing a rotation may do.
        /// </summary>
        public bool Inspect()
        {
            var current = _store.Read(State.Name, out var readFailure);
            if (current == null) return Stop(RotationStop.ReadFailed, f => { f.Failure = readFailure; f.Name = State.Name; });
            // Nothing is sent to Meta that does not look like a Meta token: the name may hold a password or the app secret.
            if (!_options.MaySend(current.Token)) return Stop(RotationStop.NotAToken, f => f.Name = State.Name);
            _current = current;
            State.CurrentFingerprint = current.Fingerprint;
            _sink.Progress(RotationPhase.Inspect, 0, Facts());
            _previous = _store.Read(State.PreviousName, out var previousFailure);
            if (_previous == null && previousFailure?.Missing != true)
                return Stop(RotationStop.ReadFailed, f => { f.Failure = previousFailure; f.Name = State.PreviousName; });
            if (_previous != null && !_options.MaySend(_previous.Token)) return Stop(RotationStop.NotAToken, f => f.Name = State.PreviousName);
            State.KeptFingerprint = _previous?.Fingerprint;

            // One debug_token batch for the stored token, the kept one and any token a failed run left unsaved.
            var unsaved = _options.Unsaved.Where(t => _options.MaySend(t.Token) && t.Fingerprint != current.Fingerprint && t.Fingerprint != _previous?.Fingerprint).ToArray();
            var asked = new List<SecureString> { current.Token };
            bool askPrevious = _previous != null && _previous.Fingerprint != current.Fingerprint;
            if (askPrevious) asked.Add(_previous!.Token);
            asked.AddRange(unsaved.Select(t => t.Token));
            IReadOnlyList<DebugTokenOutcome> outcomes;
            try
            {
                outcomes = Ask(ct => _client.DebugTokensAsync(asked, null, ct));
            }
            catch (GraphApiException ex)
            {
                return Stop(RotationStop.InspectUnanswered, f => f.GraphError = ex);
            }
            // The stored and the kept token must be judged; an unsaved token Meta could not judge is simply not adopted.
            if (outcomes.Take(askPrevious ? 2 : 1).FirstOrDefault(o => o.Error != null)?.Error is GraphApiException failed)
                return Stop(RotationStop.InspectUnanswered, f => f.GraphError = failed);
            _currentData = outcomes[0].Data;
            _previousData = askPrevious ? outcomes[1].Data : _previous != null ? _currentData : null;
            State.Now = _client.ServerNow;

            if (!Identify()) return false;
            State.Token = current.Token;
            State.Fingerprint = current.Fingerprint;
            int first = askPrevious ? 2 : 1;
            _adoptable = unsaved.Select((t, i) => (Token: t, Data: outcomes[first + i].Data))
                .Where(c => c.Data != null && Fits(c.Data))
                .OrderByDescending(c => c.Data!.IssuedAt ?? 0)
                .Select(c => c.Token)
                .FirstOrDefault();
            _adoptable ??= FromJournal();
            State.AdoptedFingerprint = _adoptable?.Fingerprint;

            if (askPrevious && _previousData!.IsValid)
            {
                // A previous token that is not the stored one and still works: an earlier run stopped after storing.
                if (_previousData.UserId != null && _previousData.UserId != State.SystemUserId)
                    return Stop(RotationStop.PreviousIsAnotherToken, f => f.Detail = _previousData.UserId);
                State.Action = RotationAction.Resumed;
                State.PreviousFingerprint = _previous!.Fingerprint;
                State.Step = RotationStep.Stored;
                State.RevokesOld = true;
                return true;
            }

            State.KeepsCurrent = _previous == null || _previous.Fingerprint != current.Fingerprint;
            var expiresAt = DebugTokenData.FromUnix(_currentData!.ExpiresAt) ?? current.ExpiresAt;
            State.ExpiresAt = expiresAt;
            State.PreviousFingerprint = current.Fingerprint;
            State.RevokesOld = _currentData.IsValid;
            if (_currentData.IsValid && State.SixtyDays && _adoptable == null)
            {
                bool due = _options.Force || !expiresAt.HasValue || expiresAt.Value - State.Now <= TimeSpan.FromDays(_options.RenewWithin);
                State.Action = due ? RotationAction.Renewed : RotationAction.NotDue;
            }
            else
            {
                State.Action = RotationAction.Remade;
            }
            return CheckWaba();
        }

        /// <summary>
        /// The WhatsApp Business Account the new token is to read, checked before anything is kept, made or revoked: a
        /// mistyped id would otherwise fail the verification after Meta made a token. The stored token must read it
        /// (the new one has its system user and scopes); with a stored token that no longer works, the business must have it.
        /// </summary>
        private bool CheckWaba()
        {
            string? waba = _options.WhatsAppBusinessAccountId;
            if (waba == null || State.Action == RotationAction.NotDue) return true;
            try
            {
                if (_currentData!.IsValid) Ask(ct => _client.ReadPhoneNumbersWithAsync(_current.Token, waba, ct));
                else if (!Ask(ct => _client.GetBusinessWhatsAppAccountsAsync(ct)).Any(w => w.Id == waba)) return Stop(RotationStop.WabaNotReadable, f => f.Detail = waba);
                return true;
            }
            catch (GraphApiException ex) when (ProvesTokenWrong(ex))
            {
                return Stop(RotationStop.WabaNotReadable, f => { f.Detail = waba; f.GraphError = ex; });
            }
            catch (GraphApiException ex)
            {
                return Stop(RotationStop.InspectUnanswered, f => f.GraphError = ex);
            }
        }

        /// <summary>Whose token this is, for which app and scopes: the store's metadata first, then what Meta says.</summary>
        private bool Identify()
        {
            var data = _currentData!;
            string? user = _options.SystemUserId ?? _current.SystemUserId ?? data.UserId;
            if (string.IsNullOrEmpty(user)) return Stop(RotationStop.SystemUserUnknown, _ => { });
            string app = _current.AppId ?? data.AppId ?? _options.AppId;
            if (app != _options.AppId) return Stop(RotationStop.AppMismatch, f => f.Detail = app);
            State.SystemUserId = user!;
            State.AppId = app;
            var scopes = _current.Scopes.Length > 0 ? _current.Scopes : data.Scopes?.ToArray() ?? Array.Empty<string>();
            State.Scopes = WhatsAppScopes.Normalize(scopes.Length > 0 ? scopes : WhatsAppScopes.Required).ToArray();
            State.SixtyDays = (data.ExpiresAt ?? 0) > 0 || _current.ExpiresAt.HasValue || _current.SixtyDays == true;
            return true;
        }

        /// <summary>The new token, renewed or made; null (stopped) when Meta did not give one.</summary>
        private StoredToken? Make()
        {
            SecureString? text = null;
            DateTimeOffset? expiresAt = null;
            try
            {
                if (State.Action == RotationAction.Renewed)
                {
                    try
                    {
                        var renewed = Ask(ct => _client.ExchangeTokenAsync(_current.Token, ct));
                        text = renewed.Token;
                        expiresAt = _client.ServerNow + (renewed.ExpiresIn ?? TimeSpan.FromDays(60));
                    }
                    catch (GraphApiException ex) when (ex.Kind == GraphErrorKind.TokenExpired || ex.Kind == GraphErrorKind.TokenInvalid || ex.Kind == GraphErrorKind.InvalidParameter)
                    {
                        // Only a valid 60-day token can be renewed; one that can not is made anew.
                        _sink.Verbose(RotationNote.RenewRefused, Facts(f => { f.Fingerprint = _current.Fingerprint; f.Detail = ex.Message; }));
                        State.Action = RotationAction.Remade;
                    }
                }
                if (text == null)
                {
                    bool sixtyDays = State.SixtyDays;
                    // The tokens this secret holds are never "the one Meta made" when an answer is lost.
                    var known = new[] { _current.Fingerprint, _previous?.Fingerprint }.Where(f => f != null).Select(f => f!).ToArray();
                    CreatedToken created;
                    try
                    {
                        created = Ask(ct => _client.CreateSystemUserTokenAsync(State.SystemUserId, State.AppId, State.Scopes, sixtyDays, ct, known));
                    }
                    catch (GraphApiException ex) when (ex.Kind == GraphErrorKind.MustUseExpiringTokens && !sixtyDays)
                    {
                        _sink.Warning(RotationWarning.MustExpire, Facts());
                        sixtyDays = true;
                        created = Ask(ct => _client.CreateSystemUserTokenAsync(State.SystemUserId, State.AppId, State.Scopes, true, ct, known));
                    }
                    text = created.Token;
                    if (created.Recovered) _sink.Warning(RotationWarning.TokenRecovered, Facts(f => f.Fingerprint = TokenFingerprint.Of(created.Token)));
                    expiresAt = sixtyDays ? _client.ServerNow + TimeSpan.FromDays(60) : (DateTimeOffset?)null;
                }
            }
            catch (GraphApiException ex)
            {
                // No answer, or a server error: Meta may have made the token all the same, and saying "none was made"
                // would be wrong. The journal (when there is one) lets the next run find it.
                bool lost = !ex.IsGraphAnswer || ex.Kind == GraphErrorKind.Transient;
                // A definite refusal made nothing: a journal left open would let a later run take for its own a token
                // Meta makes afterwards for another secret of the same system user.
                if (!lost) _journal?.Clear();
                Stop(lost ? RotationStop.AnswerLost : RotationStop.NotCreated, f => { f.GraphError = ex; f.Fingerprint = _current.Fingerprint; f.Path = _journal?.Path; });
                return null;
            }
            // A lost answer is recovered by fetching the system user's latest token: if that is a token already
            // stored, Meta made none, and rotating to it would revoke the very token the application reads.
            string fingerprint = TokenFingerprint.Of(text!);
            if (fingerprint == _current.Fingerprint || fingerprint == _previous?.Fingerprint)
            {
                Stop(RotationStop.NoNewToken, f => { f.Fingerprint = fingerprint; f.OtherFingerprint = _current.Fingerprint; });
                return null;
            }
            var made = NewToken(text!, fingerprint, _client.ServerNow, expiresAt);
            _sink.Verbose(State.Action == RotationAction.Renewed ? RotationNote.TokenRenewed : RotationNote.TokenCreated, Facts(f => f.Fingerprint = made.Fingerprint));
            return made;
        }

        /// <summary>
        /// debug_token (valid, same system user and app, every scope) and a WhatsApp read with the token. Failed only on
        /// proof that the token is wrong; a question Meta did not answer leaves it Unverified, to be asked again.
        /// </summary>
        private Verdict Verify(StoredToken token, out (RotationFlaw Flaw, string[] Args)? flaw, out GraphApiException? unanswered)
        {
            flaw = null;
            unanswered = null;
            DebugTokenData data;
            try
            {
                data = Ask(ct => _client.DebugTokenAsync(token.Token, ct));
            }
            catch (GraphApiException ex)
            {
                unanswered = ex;
                return Verdict.Unverified;
            }
            var missing = State.Scopes.Where(s => !(data.Scopes ?? new List<string>()).Contains(s, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (!data.IsValid) flaw = (RotationFlaw.Invalid, new[] { Redactor.Redact(data.Error?.Message ?? string.Empty) });
            else if (data.UserId != State.SystemUserId || data.AppId != State.AppId)
                flaw = (RotationFlaw.OtherOwner, new[] { data.UserId ?? string.Empty, data.AppId ?? string.Empty, State.SystemUserId, State.AppId });
            else if (missing.Length > 0) flaw = (RotationFlaw.ScopeMissing, new[] { string.Join(", ", missing) });
            if (flaw != null) return Verdict.Failed;

            string? waba;
            try
            {
                waba = _options.WhatsAppBusinessAccountId ?? WabaToRead(data);
            }
            catch (GraphApiException ex)
            {
                unanswered = ex;
                return Verdict.Unverified;
            }
            if (waba == null)
            {
                _sink.Warning(RotationWarning.NoWabaToRead, Facts(f => f.Fingerprint = token.Fingerprint));
                return Verdict.Verified;
            }
            try
            {
                Ask(ct => _client.ReadPhoneNumbersWithAsync(token.Token, waba, ct));
            }
            catch (GraphApiException ex) when (ProvesTokenWrong(ex))
            {
                flaw = (RotationFlaw.WhatsAppReadRefused, new[] { waba, ex.Message });
                return Verdict.Failed;
            }
            catch (GraphApiException ex)
            {
                unanswered = ex;
                return Verdict.Unverified;
            }
            State.VerifiedWhatsAppBusinessAccountId = waba;
            return Verdict.Verified;
        }

        /// <summary>A WABA the token should read: one it names, else (when it reaches all) the business's first.</summary>
        private string? WabaToRead(DebugTokenData data)
        {
            var whatsApp = (data.GranularScopes ?? new List<GranularScope>())
                .Where(g => g.Scope == WhatsAppScopes.WhatsAppBusinessManagement || g.Scope == WhatsAppScopes.WhatsAppBusinessMessaging).ToArray();
            if (whatsApp.Length == 0 && !(data.Scopes ?? new List<string>()).Any(s => s.StartsWith("whatsapp_", StringComparison.Ordinal))) return null;
            var named = whatsApp.Where(g => g.TargetIds != null).SelectMany(g => g.TargetIds!).FirstOrDefault();
            if (named != null || whatsApp.Any(g => g.TargetIds != null)) return named;
            return Ask(ct => _client.GetBusinessWhatsAppAccountsAsync(ct)).Select(w => w.Id).FirstOrDefault();
        }

        private static bool ProvesTokenWrong(GraphApiException ex) =>
            ex.IsGraphAnswer && !ex.IsRetryable && ex.Kind != GraphErrorKind.MalformedResponse;

        /// <summary>
        /// The token an interrupted run asked for and never stored: Meta's latest token for the system user, when it
        /// is the one the journal names (or, with no fingerprint written, one issued after the journal's question
        /// that no secret of the store holds) and none of this secret's own. Null when there is none; a journaled token that can not be fetched is named.
        /// </summary>
        private StoredToken? FromJournal()
        {
            var left = _journal?.Read();
            if (left == null || left.SystemUserId != State.SystemUserId || left.AppId != State.AppId) return null;
            if (left.Fingerprint != null && (left.Fingerprint == _current.Fingerprint || left.Fingerprint == _previous?.Fingerprint)) return null;
            var askedAt = DateTimeOffset.FromUnixTimeSeconds(left.AskedAt);
            SecureString latest;
            DebugTokenData data;
            try
            {
                latest = Ask(ct => _client.FetchLatestTokenAsync(State.SystemUserId, State.AppId, State.Scopes, ct));
                data = Ask(ct => _client.DebugTokenAsync(latest, ct));
            }
            catch (GraphApiException)
            {
                if (left.Fingerprint != null) _sink.Warning(RotationWarning.JournalOrphan, Facts(f => { f.Fingerprint = left.Fingerprint; f.AskedAt = askedAt; }));
                return null;
            }
            string fingerprint = TokenFingerprint.Of(latest);
            bool ours = fingerprint != _current.Fingerprint && fingerprint != _previous?.Fingerprint && Fits(data)
                && (left.Fingerprint != null ? fingerprint == left.Fingerprint : (data.IssuedAt ?? 0) >= left.AskedAt - 2);
            if (ours && left.Fingerprint == null)
            {
                // A time alone proves nothing: another secret of this system user may have been rotated since the
                // question, and its token is then Meta's latest. One that a secret of this store holds is that secret's.
                string? holder = _store.Holder(fingerprint, out var unlisted);
                if (holder != null || unlisted != null)
                {
                    _sink.Warning(RotationWarning.JournalUnproven, Facts(f => { f.Fingerprint = fingerprint; f.AskedAt = askedAt; f.Name = holder; f.Failure = unlisted; }));
                    return null;
                }
            }
            if (!ours)
            {
                if (left.Fingerprint != null) _sink.Warning(RotationWarning.JournalOrphan, Facts(f => { f.Fingerprint = left.Fingerprint; f.AskedAt = askedAt; }));
                return null;
            }
            _sink.Warning(RotationWarning.JournalRecovered, Facts(f => { f.Fingerprint = fingerprint; f.AskedAt = askedAt; }));
            return NewToken(latest, fingerprint, DebugTokenData.FromUnix(data.IssuedAt) ?? _client.ServerNow, DebugTokenData.FromUnix(data.ExpiresAt));
        }
    }
}
