using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Naova.WhatsAppToken
{
    /// <summary>What the Get- discovery cmdlets share: name filters that report names matching nothing, and not-found records.</summary>
    internal static class Discovery
    {
        /// <summary>
        /// The items whose name matches any pattern (all when there are none), and the literal names that matched
        /// nothing: like Get-Process -Name, a name without wildcards that finds nothing is an error, a wildcard is not.
        /// </summary>
        public static List<T> ByName<T>(IEnumerable<T> items, Func<T, string?> name, string[]? patterns, out List<string> unmatched)
        {
            unmatched = new List<string>();
            var all = items.ToList();
            if (patterns == null || patterns.Length == 0) return all;
            var selected = new List<T>();
            foreach (string text in patterns)
            {
                var pattern = WildcardPattern.Get(text, WildcardOptions.IgnoreCase);
                var found = all.Where(i => pattern.IsMatch(name(i) ?? string.Empty)).ToList();
                if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(text)) unmatched.Add(text);
                selected.AddRange(found.Where(f => !selected.Contains(f)));
            }
            // Keep Graph's order, not the order of the patterns.
            return all.Where(selected.Contains).ToList();
        }

        public static ErrorRecord NotFound(string errorId, string message, string remedy, object target)
        {
            var record = new ErrorRecord(new ItemNotFoundException(message), errorId, ErrorCategory.ObjectNotFound, target);
            record.ErrorDetails = new ErrorDetails(message + " " + remedy) { RecommendedAction = remedy };
            return record;
        }

        public static bool Wanted(WaAssetOwnership[]? filter, WaAssetOwnership ownership) => filter == null || filter.Length == 0 || filter.Contains(ownership);

        public static WaAssetOwnership ToModule(Engine.Graph.AssetOwnership ownership) =>
            ownership == Engine.Graph.AssetOwnership.Owned ? WaAssetOwnership.Owned : WaAssetOwnership.Client;

        public static Engine.Graph.AssetOwnership ToEngine(WaAssetOwnership ownership) =>
            ownership == WaAssetOwnership.Owned ? Engine.Graph.AssetOwnership.Owned : Engine.Graph.AssetOwnership.Client;
    }
}
