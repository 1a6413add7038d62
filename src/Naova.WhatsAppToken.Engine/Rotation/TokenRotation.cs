using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// One rotation of a stored token. The order is what keeps the application working: keep the current token under
    /// the previous name, make the new one, store it, verify it, and only then revoke the old one. The state between
    /// runs lives in the store itself (and in the caller's unsaved tokens, and the journal), so a later run can see
    /// where an earlier one stopped. Everything that happens goes to the sink; the store and Meta are asked on the
    /// caller's thread.
    /// </summary>
    public sealed partial class TokenRotation : IDisposable
    {
        private readonly IRotationStore _store;
        private readonly GraphClient _client;
        private readonly IRotationSink _sink;
        private readonly RotationOptions _options;
        private RotationLock? _lock;

        /// <summary>What this rotation asked of Meta, on disk, for a run that comes after a killed one; null when the state folder can not be written.</summary>
        private RotationJournal? _journal;

        private StoredToken _current = new StoredToken();
        private StoredToken? _previous;
        private DebugTokenData? _currentData;
        private DebugTokenData? _previousData;
        private StoredToken? _adoptable;

        public TokenRotation(IRotationStore store, string name, GraphClient client, IRotationSink sink, RotationOptions options)
        {
            _store = store;
            _client = client;
            _sink = sink;
            _options = options;
            State = new RotationState { Name = name, PreviousName = store.PreviousNameOf(name) };
            // One journal per secret and Graph endpoint: what it records (Meta's clock, its tokens) belongs to that endpoint.
            _journal = new RotationJournal(store.KeyOf(name) + " @ " + options.GraphEndpoint);
        }

        public RotationState State { get; }

        /// <summary>
        /// One rotation in a store at a time, across processes: waits for another one to end. False (stopped with
        /// InProgress) when it did not end in time; a state folder that can not be written is warned of, and the
        /// rotation then runs without lock and journal.
        /// </summary>
        public bool Lock(CancellationToken ct)
        {
            string holder;
            try
            {
                _lock = RotationLock.Take(_store.StoreKey, _options.LockTimeout, who => _sink.Verbose(RotationNote.LockWait, Facts(f => f.Detail = who)), ct, out holder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _sink.Warning(RotationWarning.LockNotTaken, Facts(f => { f.Detail = ex.Message; f.Path = StateFolder.Root; }));
                _journal = null;
                return true;
            }
            if (_lock != null) return true;
            _sink.Stopped(RotationStop.InProgress, Facts(f => f.Detail = holder));
            return false;
        }

        /// <summary>Runs the plan <see cref="Inspect"/> made; true when the rotation completed.</summary>
        public bool Run()
        {
            if (State.Action == RotationAction.Resumed) return Finish(_current, _previous!, _previousData!);
            return Rotate();
        }

        public void Dispose() => _lock?.Dispose();

        private RotationFacts Facts(Action<RotationFacts>? set = null)
        {
            var facts = new RotationFacts(State.WithoutSecret());
            set?.Invoke(facts);
            return facts;
        }

        private bool Stop(RotationStop stop, Action<RotationFacts> set)
        {
            _sink.Stopped(stop, Facts(set));
            return false;
        }

        private T Ask<T>(Func<CancellationToken, System.Threading.Tasks.Task<T>> call) => _sink.Await(call);

        private void Ask(Func<CancellationToken, System.Threading.Tasks.Task> call) => _sink.Await(async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        });

        private bool Rotate()
        {
            if (State.KeepsCurrent)
            {
                _sink.Progress(RotationPhase.KeepPrevious, 10, Facts(f => f.Name = State.PreviousName));
                if (_store.Write(State.PreviousName, _current) is StoreFailure keepFailure)
                    return Stop(RotationStop.NothingChanged, f => { f.Failure = keepFailure; f.Fingerprint = _current.Fingerprint; });
                _sink.Verbose(RotationNote.PreviousKept, Facts(f => { f.Fingerprint = _current.Fingerprint; f.Name = State.PreviousName; }));
            }
            State.Step = RotationStep.PreviousKept;

            _sink.Progress(RotationPhase.Create, 30, Facts());
            // Written (and flushed) before Meta is asked: if this process dies before the token is stored, the next
            // run finds what was asked and when, and stores the token Meta made rather than leaving it orphaned.
            if (_adoptable == null) Journal(RotationJournal.Asked, null);
            var made = _adoptable ?? Make();
            if (made == null) return false;
            Journal(RotationJournal.Made, made.Fingerprint);
            if (_adoptable != null) _sink.Verbose(RotationNote.AdoptedUnsaved, Facts(f => f.Fingerprint = made.Fingerprint));
            State.Step = RotationStep.Created;
            State.Token = made.Token;
            State.Fingerprint = made.Fingerprint;
            State.ExpiresAt = made.ExpiresAt;

            _sink.Progress(RotationPhase.Store, 50, Facts(f => f.Fingerprint = made.Fingerprint));
            if (_store.Write(State.Name, made) is StoreFailure storeFailure)
            {
                // The token exists at Meta and nowhere else: the caller keeps it, and says how to store it again.
                return Stop(RotationStop.NewNotStored, f => { f.Failure = storeFailure; f.Keep = made; f.Fingerprint = made.Fingerprint; f.OtherFingerprint = _current.Fingerprint; });
            }
            Journal(RotationJournal.Stored, made.Fingerprint);
            State.Step = RotationStep.Stored;
            _sink.Verbose(RotationNote.NewStored, Facts(f => f.Fingerprint = made.Fingerprint));
            return Finish(made, _current, _currentData!);
        }

        /// <summary>Verifies the stored token and revokes the one it replaced: the end of a rotation, and all of a resumed one.</summary>
        private bool Finish(StoredToken stored, StoredToken old, DebugTokenData oldData)
        {
            _sink.Progress(RotationPhase.Verify, 70, Facts(f => f.Fingerprint = stored.Fingerprint));
            var verdict = Verify(stored, out var flaw, out var unanswered);
            if (verdict == Verdict.Unverified)
                return Stop(RotationStop.NotVerified, f => { f.GraphError = unanswered; f.Fingerprint = stored.Fingerprint; f.OtherFingerprint = old.Fingerprint; });
            if (verdict == Verdict.Failed) return PutBack(stored, old, flaw!.Value);
            State.Step = RotationStep.Verified;
            _sink.Verbose(RotationNote.NewVerified, Facts(f => { f.Fingerprint = stored.Fingerprint; f.Detail = State.VerifiedWhatsAppBusinessAccountId; }));

            _sink.Progress(RotationPhase.Revoke, 85, Facts(f => f.Fingerprint = old.Fingerprint));
            if (oldData.IsValid)
            {
                try
                {
                    Ask(ct => _client.RevokeTokenAsync(old.Token, ct));
                }
                catch (GraphApiException ex)
                {
                    return Stop(RotationStop.NotRevoked, f => { f.GraphError = ex; f.Fingerprint = stored.Fingerprint; f.OtherFingerprint = old.Fingerprint; });
                }
                State.PreviousRevoked = true;
                _sink.Verbose(RotationNote.TokenRevoked, Facts(f => f.Fingerprint = old.Fingerprint));
            }
            else
            {
                _sink.Verbose(RotationNote.PreviousAlreadyInvalid, Facts(f => f.Fingerprint = old.Fingerprint));
            }
            // The kept copy was there to fall back on; revoked, it is only a stale secret that a daily audit would flag.
            _sink.Progress(RotationPhase.RemovePrevious, 95, Facts(f => { f.Fingerprint = old.Fingerprint; f.Name = State.PreviousName; }));
            if (_store.Remove(State.PreviousName) is StoreFailure removeFailure)
                _sink.Warning(RotationWarning.PreviousNotRemoved, Facts(f => { f.Failure = removeFailure; f.Fingerprint = old.Fingerprint; f.Name = State.PreviousName; }));
            else
                _sink.Verbose(RotationNote.PreviousRemoved, Facts(f => { f.Fingerprint = old.Fingerprint; f.Name = State.PreviousName; }));
            // Read back last: a writer that ignored the lock (another tool, a process writing back its stale copy of a
            // whole store) may have put another value there since the new token was stored, and the application would
            // then read a revoked token. The journal stays, naming the new token, so a later run can store it again.
            var held = _store.Read(State.Name, out var heldFailure);
            if (held?.Fingerprint != stored.Fingerprint)
                return Stop(RotationStop.NotHeldAtEnd, f => { f.Failure = heldFailure; f.Keep = stored; f.Fingerprint = stored.Fingerprint; f.OtherFingerprint = held?.Fingerprint; });
            State.Step = RotationStep.Completed;
            _journal?.Clear();
            return true;
        }

        /// <summary>The new token proved wrong: the old one goes back where the application reads it, and the new one is revoked.</summary>
        private bool PutBack(StoredToken stored, StoredToken old, (RotationFlaw Flaw, string[] Args) why)
        {
            if (_store.Write(State.Name, old) is StoreFailure putBackFailure)
            {
                return Stop(RotationStop.PutBackFailed, f =>
                {
                    f.Failure = putBackFailure; f.Flaw = why.Flaw; f.FlawArgs = why.Args; f.Fingerprint = stored.Fingerprint; f.OtherFingerprint = old.Fingerprint;
                });
            }
            bool revoked = false;
            try
            {
                Ask(ct => _client.RevokeTokenAsync(stored.Token, ct));
                revoked = true;
            }
            catch (GraphApiException)
            {
                // Not worth failing for: the token is no longer stored anywhere the application reads.
            }
            _journal?.Clear();
            State.Step = RotationStep.Planned;
            State.Token = old.Token;
            State.Fingerprint = old.Fingerprint;
            return Stop(RotationStop.PutBack, f =>
            {
                f.Flaw = why.Flaw; f.FlawArgs = why.Args; f.Revoked = revoked; f.Fingerprint = stored.Fingerprint; f.OtherFingerprint = old.Fingerprint;
            });
        }

        private void Journal(string step, string? fingerprint)
        {
            // Said once: a state folder that can not be written was told already, or the first failed write is.
            if (_journal == null) return;
            var entry = _journal.Read();
            long askedAt = step == RotationJournal.Asked || entry == null ? _client.ServerNow.ToUnixTimeSeconds() : entry.AskedAt;
            try
            {
                _journal.Write(new JournalEntry
                {
                    Place = _store.KeyOf(State.Name), Step = step, SystemUserId = State.SystemUserId, AppId = State.AppId, Scopes = State.Scopes,
                    AskedAt = askedAt, Fingerprint = fingerprint, Replacing = _current.Fingerprint,
                });
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                string path = _journal.Path;
                _sink.Warning(RotationWarning.JournalNotWritten, Facts(f => { f.Path = path; f.Detail = ex.Message; }));
                _journal = null;
            }
        }

        /// <summary>The rotation's new token: the stored one's system user, business, app and scopes, with its own dates.</summary>
        private StoredToken NewToken(SecureString text, string fingerprint, DateTimeOffset issuedAt, DateTimeOffset? expiresAt) => new StoredToken
        {
            Token = text,
            Fingerprint = fingerprint,
            SystemUserId = State.SystemUserId,
            SystemUserName = _current.SystemUserName,
            BusinessId = _current.BusinessId ?? _options.BusinessId,
            AppId = State.AppId,
            Scopes = State.Scopes,
            SixtyDays = expiresAt.HasValue,
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
        };

        /// <summary>A token left by an earlier run that can be stored instead of making another.</summary>
        private bool Fits(DebugTokenData data) =>
            data.IsValid && data.UserId == State.SystemUserId && data.AppId == State.AppId &&
            State.Scopes.All(s => (data.Scopes ?? new List<string>()).Contains(s, StringComparer.OrdinalIgnoreCase));
    }
}
