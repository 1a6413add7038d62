using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Naova.WhatsAppToken.Engine.Rotation;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// $WaUnsavedToken, in the session's global scope: every token Save-WaToken could not save (or was told not to),
    /// so a token Meta showed once is never dropped. One token is kept as itself, several as an array; a token leaves
    /// it once it is saved. Tokens are told apart by fingerprint, and the variable shows only fingerprints.
    /// </summary>
    internal static class UnsavedTokens
    {
        public const string VariableName = "WaUnsavedToken";

        private const string Qualified = "global:" + VariableName;

        /// <summary>Keeps <paramref name="token"/> and returns the command that saves it again to where it was going.</summary>
        public static string Keep(PSCmdlet cmdlet, WaToken token, string saveArguments, string? name = null)
        {
            // Each kept token remembers the name it was going to, so a later save sends it there and not elsewhere.
            if (name != null) token.MeantFor = name;
            var kept = Current(cmdlet).Where(t => !SameToken(t, token)).ToList();
            kept.Add(token);
            Store(cmdlet, kept);
            Record(cmdlet, token, saveArguments);
            string select = kept.Count > 1 ? " | Where-Object Fingerprint -eq " + Quote(token.Fingerprint) : string.Empty;
            return "$" + VariableName + select + " | Save-WaToken " + saveArguments;
        }

        public static void Forget(PSCmdlet cmdlet, WaToken token)
        {
            if (RecordKey(token) is string key) OnStateFolder(cmdlet, () => UnsavedTokenRecord.Remove(key, token.Fingerprint));
            var current = Current(cmdlet);
            if (current.Count == 0) return;
            var kept = current.Where(t => !SameToken(t, token)).ToList();
            if (kept.Count != current.Count) Store(cmdlet, kept);
        }

        /// <summary>
        /// The state folder's culture-free key for a token's system user and app (as a stopped request's), or null for a
        /// token that does not name them or its connection: the record is what a later New-WaToken of that pair reads.
        /// </summary>
        public static string? RecordKey(WaToken token) =>
            token.Connection != null && !string.IsNullOrEmpty(token.SystemUserId) && !string.IsNullOrEmpty(token.AppId)
                ? UnansweredTokenRequests.Key(token.Connection, token.SystemUserId!, token.AppId!) : null;

        /// <summary>
        /// The record of a kept token in the state folder, which outlives the process (pwsh -File from cron ends, and
        /// $WaUnsavedToken with it): fingerprint, system user, app, when, and the save it was meant for; never its text.
        /// </summary>
        private static void Record(PSCmdlet cmdlet, WaToken token, string saveArguments)
        {
            if (!(RecordKey(token) is string key)) return;
            var record = new UnsavedTokenRecord
            {
                Fingerprint = token.Fingerprint,
                SystemUserId = token.SystemUserId!,
                AppId = token.AppId!,
                KeptAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                SaveArguments = saveArguments,
            };
            OnStateFolder(cmdlet, () => record.Write(key));
        }

        /// <summary>The record is a help, never a condition: a state folder that can not be used is a Verbose line.</summary>
        public static void OnStateFolder(PSCmdlet cmdlet, Action action)
        {
            try
            {
                action();
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                cmdlet.WriteVerbose(Messages.Get("Verbose.UnsavedRecordFailed", StateFolder.Root, ex.Message));
            }
        }

        /// <summary>
        /// Where $WaUnsavedToken set here ends before its caller can read it, in words; null where the caller reaches it.
        /// A ForEach-Object -Parallel script block runs in a pooled runspace PowerShell names "PSTask:&lt;id&gt;", whose
        /// variables are gone when the block ends; a Start-Job runs in a pwsh of its own, started in server mode (-s)
        /// under the ServerRemoteHost, which exits with the job. An interactive remote session (Enter-PSSession) also runs
        /// under ServerRemoteHost, but not in a -s process, and its variables stay: it is reachable.
        /// </summary>
        public static string? Unreachable(PSCmdlet cmdlet)
        {
            var runspace = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
            if (runspace != null && runspace.Name.StartsWith("PSTask:", StringComparison.Ordinal)) return Messages.Get("Where.ParallelRunspace");
            if (string.Equals(cmdlet.Host?.Name, "ServerRemoteHost", StringComparison.Ordinal)
                && Environment.GetCommandLineArgs().Skip(1).Any(a => a.Equals("-s", StringComparison.OrdinalIgnoreCase) || a.Equals("-servermode", StringComparison.OrdinalIgnoreCase)))
                return Messages.Get("Where.BackgroundJob");
            return null;
        }

        /// <summary>A value as a PowerShell single-quoted string, safe to paste.</summary>
        public static string Quote(string value) => "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";

        private static bool SameToken(WaToken a, WaToken b) => string.Equals(a.Fingerprint, b.Fingerprint, StringComparison.OrdinalIgnoreCase);

        /// <summary>The tokens kept now (one, several, or none).</summary>
        public static List<WaToken> Current(PSCmdlet cmdlet)
        {
            object? value = cmdlet.SessionState.PSVariable.GetValue(Qualified);
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is WaToken single) return new List<WaToken> { single };
            if (value is IEnumerable many && !(value is string))
                return many.Cast<object>().Select(o => o is PSObject p ? p.BaseObject : o).OfType<WaToken>().ToList();
            return new List<WaToken>();
        }

        private static void Store(PSCmdlet cmdlet, List<WaToken> tokens)
        {
            if (tokens.Count == 0) cmdlet.SessionState.PSVariable.Remove(Qualified);
            else cmdlet.SessionState.PSVariable.Set(Qualified, tokens.Count == 1 ? (object)tokens[0] : tokens.ToArray());
        }
    }
}
