using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Engine
{
    /// <summary>
    /// Last line of defence for anything that may reach a log or an error: removes the secrets the caller
    /// knows about in every form an answer may carry them (plain, URL-encoded, base64 and base64url, hex, of their
    /// UTF-8 and UTF-16 bytes, alone or inside a longer encoded run), and anything that looks like a Meta access token.
    /// </summary>
    public static class Redactor
    {
        public const string Mask = "[redacted]";

        // Below this, an encoded fragment could match unrelated text: a secret that short is only redacted as written.
        private const int ShortestEncodedFragment = 8;

        // Meta user/system-user tokens start with EAA; app tokens are "appid|secret".
        private static readonly Regex TokenShape = new Regex(@"EAA[A-Za-z0-9_\-]{16,}|\b\d{6,}(\||%7C)[A-Za-z0-9]{16,}", RegexOptions.CultureInvariant);

        public static string Redact(string? text, IEnumerable<string?>? secrets = null)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string result = text!;
            if (secrets != null)
            {
                foreach (var form in secrets.Where(s => !string.IsNullOrEmpty(s) && s!.Length >= 4).SelectMany(s => FormsOf(s!)).Distinct().OrderByDescending(f => f.Length))
                {
                    if (result.IndexOf(form, StringComparison.Ordinal) >= 0) result = result.Replace(form, Mask);
                }
            }
            return TokenShape.Replace(result, Mask);
        }

        /// <summary>Every text under which <paramref name="secret"/> may appear.</summary>
        internal static IEnumerable<string> FormsOf(string secret)
        {
            yield return secret;
            yield return Uri.EscapeDataString(secret);
            foreach (var bytes in new[] { Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret) })
            {
                foreach (var hex in Hex(bytes)) yield return hex;
                string whole = Convert.ToBase64String(bytes);
                foreach (var b64 in new[] { whole, whole.TrimEnd('=') })
                {
                    yield return b64;
                    yield return UrlSafe(b64);
                    yield return Uri.EscapeDataString(b64);
                }
                // Inside a longer base64 run the secret starts at byte offset 0, 1 or 2 of a 3-byte group: the
                // characters that depend on the secret's bytes alone are the same whatever surrounds it.
                for (int offset = 0; offset < 3; offset++)
                {
                    string core = Core(bytes, offset);
                    if (core.Length < ShortestEncodedFragment) continue;
                    yield return core;
                    yield return UrlSafe(core);
                }
            }
        }

        private static IEnumerable<string> Hex(byte[] bytes)
        {
            if (bytes.Length * 2 < ShortestEncodedFragment) yield break;
            var lower = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) lower.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            yield return lower.ToString();
            yield return lower.ToString().ToUpperInvariant();
        }

        private static string Core(byte[] bytes, int offset)
        {
            var shifted = new byte[offset + bytes.Length];
            Array.Copy(bytes, 0, shifted, offset, bytes.Length);
            string encoded = Convert.ToBase64String(shifted);
            int start = offset == 0 ? 0 : 4;            // the first group mixes in the bytes before the secret
            int end = shifted.Length / 3 * 4;            // a partial last group mixes in the bytes after it
            return end > start ? encoded.Substring(start, end - start) : string.Empty;
        }

        private static string UrlSafe(string base64) => base64.Replace('+', '-').Replace('/', '_');
    }
}
