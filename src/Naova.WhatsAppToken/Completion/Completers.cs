using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Completion
{
    internal static class CompletionText
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<(string Value, string Tooltip)> values, string wordToComplete)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(Quote(v.Value), v.Value, CompletionResultType.ParameterValue, v.Tooltip));
        }

        /// <summary>Ids offered by their id or by their name: -SystemUserId naova&lt;Tab&gt; gives the id of naova-whatsapp-service.</summary>
        public static IEnumerable<CompletionResult> MatchingIds(IEnumerable<(string Id, string? Name, string Tooltip)> values, string wordToComplete)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || (v.Name ?? string.Empty).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v.Id, v.Name == null ? v.Id : v.Id + " (" + v.Name + ")", CompletionResultType.ParameterValue, v.Tooltip));
        }

        // What PowerShell would read as more than one word, or as something else than text, in a bare argument.
        private static readonly char[] NeedsQuotes = { ' ', '\'', '"', '$', '`' };

        private static string Quote(string value) => value.IndexOfAny(NeedsQuotes) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
    }

    /// <summary>Token scopes: what a token may do.</summary>
    public sealed class ScopeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionText.Matching(WhatsAppScopes.Known.Select(s => (s, Messages.Get("Completion.Scope", s))), wordToComplete);
    }

    /// <summary>Asset tasks: what a user may do on a WhatsApp Business Account.</summary>
    public sealed class TaskCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionText.Matching(AssetTasks.WhatsAppBusinessAccount.Select(t => (t, Messages.Get("Completion.Task", t))), wordToComplete);
    }

    /// <summary>Registered SecretManagement vaults, asked through Get-SecretVault in the caller's session.</summary>
    public sealed class VaultCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionText.Matching(SecretManagementBridge.VaultNames().Select(v => (v, Messages.Get("Completion.Vault", v))), wordToComplete);
    }

    /// <summary>
    /// Secret names, from Get-SecretInfo of the -Vault already on the line (or VaultName), else of the default vault,
    /// as Get-Secret would look there.
    /// </summary>
    public sealed class SecretNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string? vault = (fakeBoundParameters?["Vault"] ?? fakeBoundParameters?["VaultName"])?.ToString();
            if (string.IsNullOrEmpty(vault)) vault = SecretManagementBridge.DefaultVaultName(out _);
            if (string.IsNullOrEmpty(vault)) return Enumerable.Empty<CompletionResult>();
            return CompletionText.Matching(SecretManagementBridge.SecretNames(vault!).Select(n => (n, Messages.Get("Completion.Secret", n, vault!))), wordToComplete);
        }
    }

    /// <summary>
    /// What the business holds, for tab completion: read once per connection, in one HTTP request (a batch of the list
    /// reads), and kept for the next presses, so a Tab press costs at most one Graph request and usually none. Kept for
    /// two minutes, and forgotten when this module creates a system user, so new things show up.
    /// </summary>
    internal static class CompletionCache
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
        private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
        private static readonly ConditionalWeakTable<WaConnection, Entry> Entries = new ConditionalWeakTable<WaConnection, Entry>();

        public static BusinessDirectory? For(WaConnection connection)
        {
            var entry = Entries.GetOrCreateValue(connection);
            lock (entry)
            {
                if (entry.Directory != null && DateTime.UtcNow - entry.ReadAt < Lifetime) return entry.Directory;
                entry.Directory = Read(connection);
                entry.ReadAt = DateTime.UtcNow;
                return entry.Directory;
            }
        }

        public static void Forget(WaConnection connection) => Entries.Remove(connection);

        /// <summary>Null on any failure: completion is quiet, and the next press asks again.</summary>
        private static BusinessDirectory? Read(WaConnection connection)
        {
            try
            {
                using (var cts = new CancellationTokenSource(Budget))
                using (var lease = connection.Transport.Acquire())
                using (var client = new GraphClient(lease.Transport, lease.Info))
                    return Task.Run(() => client.GetDirectoryAsync(cts.Token)).GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                return null;
            }
        }

        private sealed class Entry
        {
            public BusinessDirectory? Directory;
            public DateTime ReadAt;
        }
    }

    /// <summary>Completers from what the business holds (the connection on the line with -Connection, else the session's).</summary>
    public abstract class GraphCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var given = fakeBoundParameters?["Connection"];
            var connection = (given as WaConnection) ?? ((given as PSObject)?.BaseObject as WaConnection) ?? WaSession.Current;
            if (connection == null) return Enumerable.Empty<CompletionResult>();
            var directory = CompletionCache.For(connection);
            return directory == null ? Enumerable.Empty<CompletionResult>() : Complete(directory, wordToComplete ?? string.Empty);
        }

        internal abstract IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string wordToComplete);

        internal static string Tip(string kind, DirectoryEntry e) => Messages.Get(kind, e.Name ?? e.Id, e.Id, e.Detail ?? string.Empty);
    }

    public sealed class SystemUserIdCompleter : GraphCompleter
    {
        internal override IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string word) =>
            CompletionText.MatchingIds(directory.SystemUsers.Select(u => (u.Id, u.Name, Tip("Completion.SystemUser", u))), word);
    }

    public sealed class SystemUserNameCompleter : GraphCompleter
    {
        internal override IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string word) =>
            CompletionText.Matching(directory.SystemUsers.Where(u => u.Name != null).Select(u => (u.Name!, Tip("Completion.SystemUser", u))), word);
    }

    public sealed class AppIdCompleter : GraphCompleter
    {
        internal override IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string word) =>
            CompletionText.MatchingIds(directory.Apps.Select(a => (a.Id, a.Name, Tip("Completion.App", a))), word);
    }

    public sealed class AppNameCompleter : GraphCompleter
    {
        internal override IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string word) =>
            CompletionText.Matching(directory.Apps.Where(a => a.Name != null).Select(a => (a.Name!, Tip("Completion.App", a))), word);
    }

    public sealed class WhatsAppAccountCompleter : GraphCompleter
    {
        internal override IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string word) =>
            CompletionText.MatchingIds(directory.WhatsAppAccounts.Select(w => (w.Id, w.Name, Tip("Completion.WhatsAppAccount", w))), word);
    }

    public sealed class WhatsAppAccountNameCompleter : GraphCompleter
    {
        internal override IEnumerable<CompletionResult> Complete(BusinessDirectory directory, string word) =>
            CompletionText.Matching(directory.WhatsAppAccounts.Where(w => w.Name != null).Select(w => (w.Name!, Tip("Completion.WhatsAppAccount", w))), word);
    }

    /// <summary>Connect-WaBusiness -BusinessId: the business of the session's connection (to connect again, to another app); no Graph call.</summary>
    public sealed class ConnectionBusinessIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = WaSession.Current;
            if (connection == null) return Enumerable.Empty<CompletionResult>();
            return CompletionText.MatchingIds(new[] { (connection.BusinessId, connection.BusinessName, Messages.Get("Completion.Business", connection.BusinessName ?? connection.BusinessId, connection.BusinessId)) }, wordToComplete);
        }
    }
}
