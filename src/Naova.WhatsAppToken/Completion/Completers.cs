using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
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

        private static string Quote(string value) => value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
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

    /// <summary>Completers that ask Graph through the session's connection: quick, quiet, and empty on any failure.</summary>
    public abstract class GraphCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var connection = (fakeBoundParameters?["Connection"] as WaConnection) ?? WaSession.Current;
            if (connection == null) return Enumerable.Empty<CompletionResult>();
            try
            {
                using (var cts = new CancellationTokenSource(Budget))
                using (var lease = connection.Transport.Acquire())
                using (var client = new Engine.Graph.GraphClient(lease.Transport, lease.Info))
                {
                    var values = Task.Run(() => Fetch(client, cts.Token)).GetAwaiter().GetResult();
                    return CompletionText.Matching(values, wordToComplete);
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>();
            }
        }

        internal abstract Task<IEnumerable<(string Value, string Tooltip)>> Fetch(Engine.Graph.GraphClient client, CancellationToken ct);
    }

    public sealed class WhatsAppAccountCompleter : GraphCompleter
    {
        internal override async Task<IEnumerable<(string Value, string Tooltip)>> Fetch(Engine.Graph.GraphClient client, CancellationToken ct) =>
            (await client.GetBusinessWhatsAppAccountsAsync(ct).ConfigureAwait(false)).Select(w => (w.Id, w.Name ?? w.Id));
    }

    public sealed class SystemUserNameCompleter : GraphCompleter
    {
        internal override async Task<IEnumerable<(string Value, string Tooltip)>> Fetch(Engine.Graph.GraphClient client, CancellationToken ct) =>
            (await client.ListSystemUsersAsync(ct).ConfigureAwait(false)).Where(u => u.Name != null).Select(u => (u.Name!, $"{u.Name} ({u.Id}, {u.Role})"));
    }
}
