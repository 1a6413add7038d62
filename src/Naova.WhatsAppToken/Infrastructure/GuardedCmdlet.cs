using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Where PowerShell enters every cmdlet. An exception no command expected (a fault, a dependency this runtime did
    /// not load) becomes an ErrorRecord with the module's <c>Unexpected,&lt;command&gt;</c> id, a remedy, and its cause as
    /// the inner exception with no token text in it, instead of PowerShell's raw
    /// <c>System.NotSupportedException,Naova.WhatsAppToken.Commands...</c>. The three methods PowerShell calls are sealed
    /// here and handed on by <see cref="WaCmdlet"/> to the ones the commands override, so no command changes, and a
    /// command's method is compiled inside the guard: one that names a type that fails to load is caught as well.
    /// </summary>
    public abstract class GuardedCmdlet : PSCmdlet
    {
        protected sealed override void BeginProcessing() => Guard(OnBegin);

        protected sealed override void ProcessRecord() => Guard(OnRecord);

        protected sealed override void EndProcessing() => Guard(OnEnd);

        private protected abstract void OnBegin();

        private protected abstract void OnRecord();

        private protected abstract void OnEnd();

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (OperationCanceledException) when (Stopping)
            {
                // Ctrl+C: the cancellation is the stop, not a fault.
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (IsUnexpected(ex))
            {
                ThrowTerminatingError(UnexpectedError(ex));
            }
        }

        /// <summary>
        /// What PowerShell already reports well goes on as it is: its own errors (they carry an ErrorRecord: a
        /// terminating error, -ErrorAction Stop, a stopped pipeline) and a halt; so does what no record can help with.
        /// </summary>
        private static bool IsUnexpected(Exception ex) =>
            !(ex is IContainsErrorRecord || ex is HaltCommandException || ex is OutOfMemoryException || ex is StackOverflowException);

        private ErrorRecord UnexpectedError(Exception ex)
        {
            string command = MyInvocation?.MyCommand?.Name ?? GetType().Name;
            try
            {
                return Described(ex, command, KnownSecrets());
            }
            catch (Exception notLoaded) when (IsLoadFailure(notLoaded))
            {
                // The engine itself did not load, Redactor with it: nothing of the cause's text can be cleaned, so only its
                // type is said, and it is kept only when it is a load failure (its text names assemblies, never data).
                var cause = IsLoadFailure(ex) ? ex : null;
                return UnexpectedRecord(new InvalidOperationException(Messages.Get("Error.Unexpected", command, ex.GetType().FullName, string.Empty).TrimEnd(), cause), command, ex.GetType().FullName);
            }
        }

        private static bool IsLoadFailure(Exception ex) =>
            ex is FileNotFoundException || ex is FileLoadException || ex is TypeLoadException || ex is BadImageFormatException;

        // Names engine types: kept out of UnexpectedError, so that one still runs where the engine does not load.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ErrorRecord Described(Exception ex, string command, IReadOnlyCollection<string> secrets)
        {
            if (ex is GraphApiException graph) return GraphErrors.ToErrorRecord(graph, null);
            string said = Redactor.Redact(ex.Message, secrets);
            var cause = Chain(ex).Any(e => Redactor.Redact(e.Message, secrets) != e.Message) ? new RedactedException(ex, secrets) : ex;
            return UnexpectedRecord(new InvalidOperationException(Messages.Get("Error.Unexpected", command, ex.GetType().FullName, said), cause), command, ex.GetType().FullName);
        }

        private static ErrorRecord UnexpectedRecord(Exception wrapper, string command, string? causeType)
        {
            string remedy = Messages.Get("Remedy.Unexpected", command, causeType);
            return new ErrorRecord(wrapper, "Unexpected", ErrorCategory.NotSpecified, null)
            {
                ErrorDetails = new ErrorDetails((wrapper.Message + " " + (GraphErrors.HostShowsRemedy ? string.Empty : remedy)).TrimEnd()) { RecommendedAction = remedy },
            };
        }

        /// <summary>The secrets this command was given or holds: SecureString parameters, tokens and connections bound, the session's connection.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private List<string> KnownSecrets()
        {
            var secure = new List<SecureString?>();
            var bound = MyInvocation?.BoundParameters?.Values ?? (ICollection<object>)Array.Empty<object>();
            foreach (object? value in bound.Concat(new object?[] { WaSession.Current }).Select(v => v is PSObject ps ? ps.BaseObject : v))
            {
                if (value is SecureString s) secure.Add(s);
                else if (value is WaToken token) secure.Add(token.Token);
                else if (value is WaConnection connection) secure.AddRange(new[] { connection.AccessToken, connection.AppSecret });
            }
            var texts = new List<string>();
            foreach (var s in secure.Where(s => s != null))
            {
                try
                {
                    texts.Add(SecretText.Reveal(s!));
                }
                catch (ObjectDisposedException)
                {
                    // A disposed SecureString is often the fault itself; its text is gone, so nothing of it can show.
                }
            }
            return texts;
        }

        private static IEnumerable<Exception> Chain(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException) yield return e;
        }

        /// <summary>A cause whose message held secret text: its type, its redacted message and stack, and no text of the secret.</summary>
        private sealed class RedactedException : Exception
        {
            private readonly string? _stackTrace;

            public RedactedException(Exception cause, IReadOnlyCollection<string> secrets)
                : base(cause.GetType().FullName + ": " + Redactor.Redact(cause.Message, secrets),
                       cause.InnerException == null ? null : new RedactedException(cause.InnerException, secrets))
            {
                _stackTrace = cause.StackTrace;
            }

            public override string? StackTrace => _stackTrace;
        }
    }
}
