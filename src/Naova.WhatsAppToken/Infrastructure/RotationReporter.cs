using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine.Rotation;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Update-WaToken's words for what the engine's rotation reports: its steps as progress, its facts as verbose
    /// lines, its warnings, and where it stopped as an ErrorRecord whose TargetObject is the rotation. The engine says
    /// codes and facts; every sentence is here, in the module's localized messages.
    /// </summary>
    internal sealed class RotationReporter : IRotationSink
    {
        private readonly WaCmdlet _cmdlet;
        private readonly TokenStore _store;
        private readonly WaConnection _connection;
        private readonly string _name;
        private readonly int _lockTimeoutSeconds;
        private ProgressRecord? _progress;

        public RotationReporter(WaCmdlet cmdlet, TokenStore store, WaConnection connection, string name, int lockTimeoutSeconds)
        {
            _cmdlet = cmdlet;
            _store = store;
            _connection = connection;
            _name = name;
            _lockTimeoutSeconds = lockTimeoutSeconds;
        }

        private WaTokenPlace StoredIn => _store.Place(_name);

        private WaTokenPlace PreviousStoredIn => _store.Place(_store.PreviousNameOf(_name));

        public T Await<T>(Func<CancellationToken, Task<T>> request) => _cmdlet.Run(request);

        public void Progress(RotationPhase phase, int percent, RotationFacts facts)
        {
            string status = phase switch
            {
                RotationPhase.Inspect => Messages.Get("Progress.Rotate.Inspect"),
                RotationPhase.KeepPrevious => Messages.Get("Progress.Rotate.KeepPrevious", PreviousStoredIn),
                RotationPhase.Create => Messages.Get("Progress.Rotate.Create"),
                RotationPhase.Store => Messages.Get("Progress.Rotate.Store", StoredIn),
                RotationPhase.Verify => Messages.Get("Progress.Rotate.Verify", facts.Fingerprint),
                RotationPhase.Revoke => Messages.Get("Progress.Rotate.Revoke", facts.Fingerprint),
                RotationPhase.RemovePrevious => Messages.Get("Progress.Rotate.RemovePrevious", facts.Fingerprint, PreviousStoredIn),
                _ => throw new ArgumentOutOfRangeException(nameof(phase)),
            };
            _progress ??= new ProgressRecord(3, Messages.Get("Progress.Rotate.Activity", StoredIn), status);
            _progress.StatusDescription = status;
            _progress.PercentComplete = phase == RotationPhase.Inspect ? -1 : percent;
            _cmdlet.WriteProgress(_progress);
        }

        /// <summary>Closes the progress bar, once the rotation ran (or stopped).</summary>
        public void Complete()
        {
            if (_progress == null) return;
            _progress.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_progress);
        }

        public void Verbose(RotationNote note, RotationFacts facts)
        {
            // The step that is running, said again with its line: PowerShell's console draws a progress record only
            // when 200 ms passed since it drew the last one, so a step that began sooner showed the step before it.
            if (_progress != null) _cmdlet.WriteProgress(_progress);
            string fp = facts.Fingerprint ?? string.Empty;
            _cmdlet.WriteVerbose(note switch
            {
                RotationNote.LockWait => Messages.Get("Verbose.RotationLockWait", StoredIn, facts.Detail, _lockTimeoutSeconds),
                RotationNote.PreviousKept => Messages.Get("Verbose.PreviousKept", fp, PreviousStoredIn),
                RotationNote.AdoptedUnsaved => Messages.Get("Verbose.AdoptedUnsaved", fp, UnsavedTokens.VariableName),
                RotationNote.TokenCreated => Messages.Get("Verbose.TokenCreated", fp, facts.State.SystemUserId),
                RotationNote.TokenRenewed => Messages.Get("Verbose.TokenRenewed", fp, facts.State.SystemUserId),
                RotationNote.RenewRefused => Messages.Get("Verbose.RenewRefused", fp, facts.Detail),
                RotationNote.NewStored => Messages.Get("Verbose.NewStored", fp, StoredIn),
                RotationNote.NewVerified => Messages.Get("Verbose.NewVerified", fp, facts.Detail ?? "-"),
                RotationNote.TokenRevoked => Messages.Get("Verbose.TokenRevoked", fp),
                RotationNote.PreviousAlreadyInvalid => Messages.Get("Verbose.PreviousAlreadyInvalid", fp),
                RotationNote.PreviousRemoved => _store.KeepsRevokedCopy ? Messages.Get("Verbose.PreviousKeptSoftDelete", PreviousStoredIn) : Messages.Get("Verbose.PreviousRemoved", fp, PreviousStoredIn),
                _ => throw new ArgumentOutOfRangeException(nameof(note)),
            });
            // Stored where the application reads it: no longer a token only this session holds, nor one its state-folder
            // record would have the next New-WaToken of this system user and app give again.
            if (note == RotationNote.NewStored)
                UnsavedTokens.Forget(_cmdlet, new WaToken { Fingerprint = fp, SystemUserId = facts.State.SystemUserId, AppId = facts.State.AppId, Connection = _connection });
        }

        public void Warning(RotationWarning warning, RotationFacts facts)
        {
            string fp = facts.Fingerprint ?? string.Empty;
            _cmdlet.WriteWarning(warning switch
            {
                RotationWarning.LockNotTaken => Messages.Get("Warning.LockNotTaken", facts.Path, facts.Detail, StateFolder.Variable),
                RotationWarning.JournalNotWritten => Messages.Get("Warning.JournalNotWritten", facts.Path, facts.Detail),
                RotationWarning.PreviousNotRemoved => Messages.Get("Warning.PreviousNotRemoved", PreviousStoredIn, fp, facts.Failure?.Message),
                RotationWarning.MustExpire => Messages.Get("Warning.RotationMustExpire", facts.State.SystemUserId),
                RotationWarning.TokenRecovered => Messages.Get("Warning.TokenRecovered", fp, facts.State.SystemUserId),
                RotationWarning.NoWabaToRead => Messages.Get("Warning.NoWabaToRead", fp),
                RotationWarning.JournalOrphan => Messages.Get("Warning.JournalOrphan", fp, facts.State.SystemUserId, When(facts)),
                RotationWarning.JournalUnproven => facts.Name != null
                    ? Messages.Get("Warning.JournalUnproven", StoredIn, When(facts), facts.State.SystemUserId, fp, _store.Place(facts.Name))
                    : Messages.Get("Warning.JournalUnprovenUnread", StoredIn, When(facts), facts.State.SystemUserId, fp, facts.Failure?.Message),
                RotationWarning.JournalRecovered => Messages.Get("Warning.JournalRecovered", fp, StoredIn, When(facts)),
                _ => throw new ArgumentOutOfRangeException(nameof(warning)),
            });
        }

        public void Stopped(RotationStop stop, RotationFacts facts)
        {
            var result = Result(facts.State);
            string fp = facts.Fingerprint ?? string.Empty, other = facts.OtherFingerprint ?? string.Empty;
            var place = facts.Name == null ? StoredIn : _store.Place(facts.Name);
            switch (stop)
            {
                case RotationStop.ReadFailed:
                    _cmdlet.WriteError((ErrorRecord)facts.Failure!.Detail!);
                    break;
                case RotationStop.NotAToken:
                    _cmdlet.WriteError(AuditGate.NotAToken(_cmdlet, place));
                    break;
                case RotationStop.InspectUnanswered:
                    _cmdlet.WriteError(GraphErrors.ToErrorRecord(facts.GraphError!, StoredIn));
                    break;
                case RotationStop.SystemUserUnknown:
                    Refuse("SystemUserUnknown", ErrorCategory.InvalidData, Messages.Get("Error.SystemUserUnknown", StoredIn), Messages.Get("Remedy.SystemUserUnknown"), StoredIn);
                    break;
                case RotationStop.AppMismatch:
                    Refuse("AppMismatch", ErrorCategory.InvalidOperation, Messages.Get("Error.RotationAppMismatch", StoredIn, facts.Detail, _connection.AppId),
                        Messages.Get("Remedy.RotationAppMismatch", facts.Detail), StoredIn);
                    break;
                case RotationStop.PreviousIsAnotherToken:
                    Refuse("PreviousIsAnotherToken", ErrorCategory.ResourceExists, Messages.Get("Error.PreviousIsAnotherToken", PreviousStoredIn, facts.Detail),
                        Messages.Get("Remedy.PreviousIsAnotherToken", PreviousStoredIn), result);
                    break;
                case RotationStop.WabaNotReadable:
                    // Meta's own words, when it answered, say why (no such object, no permission).
                    string meta = facts.GraphError == null ? string.Empty : " (" + facts.GraphError.Message + ")";
                    Refuse("WhatsAppAccountNotReadable", ErrorCategory.InvalidArgument, Messages.Get("Error.RotationWabaNotReadable", StoredIn, facts.Detail, meta),
                        Messages.Get("Remedy.RotationWabaNotReadable", StoredIn, facts.Detail), facts.Detail);
                    break;
                case RotationStop.InProgress:
                    Refuse("RotationInProgress", ErrorCategory.ResourceBusy, Messages.Get("Error.RotationInProgress", StoredIn, facts.Detail, _lockTimeoutSeconds),
                        Messages.Get("Remedy.RotationInProgress"), StoredIn.ToString());
                    break;
                case RotationStop.NothingChanged:
                    Stopped(result, Cause(facts), Messages.Get("State.NothingChanged", StoredIn, fp));
                    break;
                case RotationStop.NotCreated:
                    Stopped(result, Cause(facts), Messages.Get("State.NotCreated", StoredIn, fp));
                    break;
                case RotationStop.AnswerLost:
                    Stopped(result, Cause(facts), Messages.Get(facts.Path != null ? "State.AnswerLost" : "State.AnswerLostNoJournal", StoredIn, fp, facts.Path));
                    break;
                case RotationStop.NoNewToken:
                    string none = Messages.Get("Error.NoNewToken", fp);
                    var record = new ErrorRecord(new InvalidOperationException(none), "NoNewToken", ErrorCategory.InvalidResult, result) { ErrorDetails = new ErrorDetails(none) };
                    Stopped(result, record, Messages.Get("State.NotCreated", StoredIn, other));
                    break;
                case RotationStop.NewNotStored:
                    // Kept in $WaUnsavedToken first: the message names the command that stores it again.
                    string again = UnsavedTokens.Keep(_cmdlet, RotationStoreAdapter.ToWaToken(facts.Keep!, _connection), _store.Arguments(_name), _name);
                    Stopped(result, Cause(facts), Messages.Get("State.NewNotStored", StoredIn, other, fp, UnsavedTokens.VariableName, again));
                    break;
                case RotationStop.NotVerified:
                    Stopped(result, Cause(facts), Messages.Get("State.NotVerified", StoredIn, fp, other, PreviousStoredIn));
                    break;
                case RotationStop.NotRevoked:
                    Stopped(result, Cause(facts), Messages.Get("State.NotRevoked", StoredIn, fp, other, PreviousStoredIn));
                    break;
                case RotationStop.PutBackFailed:
                    string restore = "Get-WaToken " + _store.Arguments(_store.PreviousNameOf(_name)) + " | Save-WaToken " + _store.Arguments(_name);
                    Stopped(result, Cause(facts), Messages.Get("State.PutBackFailed", fp, Why(facts), StoredIn, other, PreviousStoredIn, restore));
                    break;
                case RotationStop.PutBack:
                    Refuse("RotationVerificationFailed", ErrorCategory.InvalidResult, Messages.Get(facts.Revoked ? "State.PutBack" : "State.PutBackNotRevoked", fp, Why(facts), StoredIn, other),
                        Messages.Get("Remedy.RotationVerificationFailed"), result);
                    break;
                case RotationStop.NotHeldAtEnd:
                    // The new token works and nothing may hold it any more: kept first, the message names the command that stores it.
                    string keep = UnsavedTokens.Keep(_cmdlet, RotationStoreAdapter.ToWaToken(facts.Keep!, _connection), _store.Arguments(_name), _name);
                    string found = facts.OtherFingerprint ?? (facts.Failure?.Message ?? "-");
                    Refuse("RotationNotHeld", ErrorCategory.InvalidResult,
                        Messages.Get(facts.OtherFingerprint != null ? "State.NotHeldAtEnd" : "State.NotHeldAtEndUnread", StoredIn, fp, found, UnsavedTokens.VariableName, keep),
                        Messages.Get("Remedy.NotHeldAtEnd", keep), result);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(stop));
            }
        }

        /// <summary>The module's rotation object for the engine's state: explicit mappings, no casts between enums.</summary>
        public WaTokenRotation Result(RotationState state) => new WaTokenRotation
        {
            Action = Map(state.Action),
            Step = Map(state.Step),
            StoredIn = StoredIn,
            PreviousStoredIn = PreviousStoredIn,
            Token = state.Token,
            Fingerprint = state.Fingerprint,
            PreviousFingerprint = state.PreviousFingerprint,
            PreviousRevoked = state.PreviousRevoked,
            SystemUserId = state.SystemUserId,
            AppId = state.AppId,
            Scopes = state.Scopes,
            ExpiresAt = state.ExpiresAt,
            VerifiedWhatsAppBusinessAccountId = state.VerifiedWhatsAppBusinessAccountId,
            Connection = _connection,
        };

        internal static WaRotationAction Map(RotationAction action) => action switch
        {
            RotationAction.NotDue => WaRotationAction.NotDue,
            RotationAction.Renewed => WaRotationAction.Renewed,
            RotationAction.Remade => WaRotationAction.Remade,
            RotationAction.Resumed => WaRotationAction.Resumed,
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        internal static WaRotationStep Map(RotationStep step) => step switch
        {
            RotationStep.Planned => WaRotationStep.Planned,
            RotationStep.PreviousKept => WaRotationStep.PreviousKept,
            RotationStep.Created => WaRotationStep.Created,
            RotationStep.Stored => WaRotationStep.Stored,
            RotationStep.Verified => WaRotationStep.Verified,
            RotationStep.Completed => WaRotationStep.Completed,
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };

        private static string When(RotationFacts facts) => facts.AskedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "?";

        private static string Why(RotationFacts facts) => facts.Flaw switch
        {
            RotationFlaw.Invalid => Messages.Get("Why.Invalid", facts.FlawArgs[0]),
            RotationFlaw.OtherOwner => Messages.Get("Why.OtherOwner", facts.FlawArgs[0], facts.FlawArgs[1], facts.FlawArgs[2], facts.FlawArgs[3]),
            RotationFlaw.ScopeMissing => Messages.Get("Why.ScopeMissing", facts.FlawArgs[0]),
            RotationFlaw.WhatsAppReadRefused => Messages.Get("Why.WhatsAppReadRefused", facts.FlawArgs[0], facts.FlawArgs[1]),
            _ => string.Empty,
        };

        /// <summary>What made the rotation stop, as the store or Graph reported it.</summary>
        private ErrorRecord Cause(RotationFacts facts) =>
            facts.GraphError != null ? GraphErrors.ToErrorRecord(facts.GraphError, Result(facts.State)) : (ErrorRecord)facts.Failure!.Detail!;

        private void Refuse(string reason, ErrorCategory category, string message, string remedy, object? target) =>
            _cmdlet.WriteError(new ErrorRecord(new InvalidOperationException(message), reason, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = remedy },
            });

        /// <summary>Writes <paramref name="cause"/> with where the rotation stands and what running again does.</summary>
        private void Stopped(WaTokenRotation result, ErrorRecord cause, string state)
        {
            string remedy = cause.ErrorDetails?.RecommendedAction ?? string.Empty;
            string message = state + " " + (cause.ErrorDetails?.Message ?? cause.Exception.Message);
            _cmdlet.WriteError(new ErrorRecord(cause.Exception, cause.FullyQualifiedErrorId, cause.CategoryInfo.Category, result)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = (remedy + " " + Messages.Get("Remedy.RunAgain")).Trim() },
            });
        }
    }
}
