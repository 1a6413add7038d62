using System;
using System.Collections.Generic;
using System.Linq;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>
    /// What debug_token says of a token, as typed facts: the one mapping of its wire answer (<see cref="DebugTokenData"/>,
    /// Unix seconds where 0 means never, strings for kinds), so no cmdlet reads the wire type. Dates are by Meta's clock.
    /// </summary>
    public sealed class TokenFacts
    {
        private TokenFacts()
        {
        }

        public bool IsValid { get; private set; }

        public TokenType Type { get; private set; }

        /// <summary>Meta's own word for the type (SYSTEM_USER, USER, PAGE, APP, or one added since), as reports show it.</summary>
        public string? TypeName { get; private set; }

        public string? AppId { get; private set; }

        /// <summary>The app's name.</summary>
        public string? Application { get; private set; }

        /// <summary>The user (for a system user's token, the system user) the token acts as.</summary>
        public string? UserId { get; private set; }

        public DateTimeOffset? IssuedAt { get; private set; }

        /// <summary>Null when the token never expires.</summary>
        public DateTimeOffset? ExpiresAt { get; private set; }

        /// <summary>Null when the token's access to data never expires.</summary>
        public DateTimeOffset? DataAccessExpiresAt { get; private set; }

        public IReadOnlyList<string> Scopes { get; private set; } = Array.Empty<string>();

        public IReadOnlyList<TokenScopeGrant> GranularScopes { get; private set; } = Array.Empty<TokenScopeGrant>();

        /// <summary>Why the token is not valid, as Meta said it (code, subcode, message); null for a valid token.</summary>
        public int? ErrorCode { get; private set; }

        public int? ErrorSubcode { get; private set; }

        public string? ErrorMessage { get; private set; }

        /// <summary>The facts of one debug_token answer.</summary>
        public static TokenFacts From(DebugTokenData data)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            return new TokenFacts
            {
                IsValid = data.IsValid,
                Type = TypeOf(data.Type),
                TypeName = data.Type,
                AppId = data.AppId,
                Application = data.Application,
                UserId = data.UserId,
                IssuedAt = FromUnix(data.IssuedAt),
                ExpiresAt = FromUnix(data.ExpiresAt),
                DataAccessExpiresAt = FromUnix(data.DataAccessExpiresAt),
                Scopes = (data.Scopes ?? new List<string>()).Where(s => !string.IsNullOrEmpty(s)).ToArray(),
                GranularScopes = (data.GranularScopes ?? new List<GranularScope>()).Where(g => g != null && !string.IsNullOrEmpty(g.Scope))
                    .Select(g => new TokenScopeGrant(g.Scope, g.TargetIds?.ToArray())).ToArray(),
                ErrorCode = data.Error?.Code,
                ErrorSubcode = data.Error?.Subcode,
                ErrorMessage = data.Error?.Message,
            };
        }

        /// <summary>Meta's type word as the enum, name by name; a word it adds later is Unknown, never another type.</summary>
        public static TokenType TypeOf(string? type)
        {
            switch (type?.ToUpperInvariant())
            {
                case "SYSTEM_USER":
                    return TokenType.SystemUser;
                case "USER":
                    return TokenType.User;
                case "PAGE":
                    return TokenType.Page;
                case "APP":
                    return TokenType.App;
                default:
                    return TokenType.Unknown;
            }
        }

        /// <summary>Unix seconds as a date; 0 (never) and absent as null.</summary>
        public static DateTimeOffset? FromUnix(long? seconds) =>
            seconds.HasValue && seconds.Value > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value) : (DateTimeOffset?)null;
    }
}
