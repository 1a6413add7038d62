using System;
using System.Collections.Generic;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>One of debug_token's granular scopes: a scope and the assets it covers.</summary>
    public sealed class TokenScopeGrant
    {
        public TokenScopeGrant(string scope, IReadOnlyList<string>? targetIds)
        {
            Scope = scope ?? throw new ArgumentNullException(nameof(scope));
            TargetIds = targetIds ?? Array.Empty<string>();
            CoversEveryAsset = targetIds == null;
        }

        public string Scope { get; }

        /// <summary>The asset ids (WhatsApp Business Accounts, for the WhatsApp scopes); empty when it covers every asset.</summary>
        public IReadOnlyList<string> TargetIds { get; }

        /// <summary>Meta leaves target_ids out when the scope covers every asset of its kind.</summary>
        public bool CoversEveryAsset { get; }
    }
}
