using System;
using System.Collections;
using System.Globalization;
using System.Linq;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// What a stored token is, as SecretManagement metadata: values only of the types it allows (string, int,
    /// DateTime), never the token itself (metadata is not stored securely). Read back into a <see cref="WaToken"/>.
    /// </summary>
    internal static class TokenMetadata
    {
        public const string BusinessId = "BusinessId";
        public const string SystemUserId = "SystemUserId";
        public const string SystemUserName = "SystemUserName";
        public const string AppId = "AppId";
        public const string Scopes = "Scopes";
        public const string IssuedAt = "IssuedAt";
        public const string Expires = "Expires";
        public const string Fingerprint = "Fingerprint";

        /// <summary>The value of <see cref="Expires"/> for a token that never expires.</summary>
        public const string Never = "never";

        public static Hashtable ToHashtable(WaToken token, string fingerprint)
        {
            var metadata = new Hashtable(StringComparer.OrdinalIgnoreCase);
            AddText(metadata, BusinessId, token.BusinessId);
            AddText(metadata, SystemUserId, token.SystemUserId);
            AddText(metadata, SystemUserName, token.SystemUserName);
            AddText(metadata, AppId, token.AppId);
            if (token.Scopes.Length > 0) metadata[Scopes] = string.Join(",", token.Scopes);
            if (token.IssuedAt.HasValue) metadata[IssuedAt] = token.IssuedAt.Value.UtcDateTime;
            if (token.ExpiresAt.HasValue) metadata[Expires] = token.ExpiresAt.Value.UtcDateTime;
            else if (token.Expiration == WaTokenExpiration.Never) metadata[Expires] = Never;
            metadata[Fingerprint] = fingerprint;
            return metadata;
        }

        /// <summary>The fingerprint the metadata names, if any: metadata of another token must not describe this one.</summary>
        public static string? FingerprintOf(IDictionary metadata) => Text(metadata, Fingerprint);

        public static void Apply(IDictionary metadata, WaToken token)
        {
            token.BusinessId = Text(metadata, BusinessId);
            token.SystemUserId = Text(metadata, SystemUserId);
            token.SystemUserName = Text(metadata, SystemUserName);
            token.AppId = Text(metadata, AppId);
            var scopes = Text(metadata, Scopes);
            if (scopes != null) token.Scopes = scopes.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
            token.IssuedAt = Date(Value(metadata, IssuedAt));
            var expires = Value(metadata, Expires);
            if (expires is string text && string.Equals(text.Trim(), Never, StringComparison.OrdinalIgnoreCase))
            {
                token.Expiration = WaTokenExpiration.Never;
                token.ExpiresAt = null;
            }
            else
            {
                token.ExpiresAt = Date(expires);
            }
        }

        private static void AddText(Hashtable metadata, string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) metadata[key] = value;
        }

        private static object? Value(IDictionary metadata, string key)
        {
            foreach (DictionaryEntry entry in metadata)
            {
                if (string.Equals(entry.Key as string, key, StringComparison.OrdinalIgnoreCase))
                    return entry.Value is System.Management.Automation.PSObject ps ? ps.BaseObject : entry.Value;
            }
            return null;
        }

        private static string? Text(IDictionary metadata, string key) => Value(metadata, key) is object value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

        /// <summary>Dates come back as the vault kept them: a DateTime (UTC, local or unspecified, taken as UTC as written) or text.</summary>
        private static DateTimeOffset? Date(object? value)
        {
            switch (value)
            {
                case DateTimeOffset offset:
                    return offset;
                case DateTime date when date.Kind == DateTimeKind.Local:
                    return new DateTimeOffset(date);
                case DateTime date:
                    return new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc));
                case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                    return parsed;
                default:
                    return null;
            }
        }
    }
}
