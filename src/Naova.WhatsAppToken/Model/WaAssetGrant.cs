using System;
using System.Collections.Generic;

namespace Naova.WhatsAppToken
{
    /// <summary>One WhatsApp Business Account a system user holds, with the tasks it may perform on it.</summary>
    public sealed class WaAccountGrant
    {
        public string WhatsAppBusinessAccountId { get; internal set; } = string.Empty;

        public string? Name { get; internal set; }

        /// <summary>Asset tasks (MANAGE, DEVELOP, ...), not token scopes.</summary>
        public string[] Tasks { get; internal set; } = Array.Empty<string>();

        public override string ToString() => $"{WhatsAppBusinessAccountId} [{string.Join(",", Tasks)}]";
    }

    /// <summary>What a system user holds after Grant-WaAssets, read back from Meta. Pipes into New-WaToken.</summary>
    public sealed class WaAssetGrant
    {
        public string SystemUserId { get; internal set; } = string.Empty;

        public string? SystemUserName { get; internal set; }

        public string? Role { get; internal set; }

        public string AppId { get; internal set; } = string.Empty;

        public bool AppInstalled { get; internal set; }

        public WaAccountGrant[] WhatsAppBusinessAccounts { get; internal set; } = Array.Empty<WaAccountGrant>();

        /// <summary>What this run changed, in words; empty when everything was already in place.</summary>
        public string[] Changes { get; internal set; } = Array.Empty<string>();

        public bool Changed => Changes.Length > 0;

        public WaConnection? Connection { get; internal set; }

        internal static string[] NoChanges => Array.Empty<string>();

        internal void AddChanges(IEnumerable<string> changes) => Changes = new List<string>(changes).ToArray();

        public override string ToString() => $"{SystemUserName ?? SystemUserId}: app {AppId}, {WhatsAppBusinessAccounts.Length} WhatsApp account(s)";
    }
}
