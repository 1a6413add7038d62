using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Engine
{
    /// <summary>
    /// Last line of defence for anything that may reach a log or an error: removes the secrets the caller
    /// knows about (and their URL-encoded forms), and anything that looks like a Meta access token.
    /// </summary>
    public static class Redactor
    {
        public const string Mask = "[redacted]";

        // Meta user/system-user tokens start with EAA; app tokens are "appid|secret".
        private static readonly Regex TokenShape = new Regex(@"EAA[A-Za-z0-9_\-]{16,}|\b\d{6,}(\||%7C)[A-Za-z0-9]{16,}", RegexOptions.CultureInvariant);

        public static string Redact(string? text, IEnumerable<string?>? secrets = null)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string result = text!;
            if (secrets != null)
            {
                foreach (var secret in secrets)
                {
                    if (string.IsNullOrEmpty(secret) || secret!.Length < 4) continue;
                    result = result.Replace(secret, Mask);
                    string encoded = Uri.EscapeDataString(secret);
                    if (encoded != secret) result = result.Replace(encoded, Mask);
                }
            }
            return TokenShape.Replace(result, Mask);
        }
    }
}
