using System;
using System.Text;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>
    /// How a value is written in, and read from, a dotenv line. Files are handled as raw bytes (each byte one char,
    /// see <see cref="Raw"/>), so a value's text is converted to and from UTF-8 here and nowhere else.
    /// </summary>
    /// <remarks>
    /// Loaders disagree on the corners (python-dotenv expands ${VAR} and keeps "a#b"; Node's dotenv cuts at any
    /// '#'; backslash escapes differ between them). So a value is written bare only when every loader reads it the
    /// same, and otherwise quoted the way they all agree on: single quotes (literal everywhere) or double quotes with
    /// nothing to escape. A value no style can carry for every loader is refused rather than written ambiguously.
    /// </remarks>
    public static class DotEnvValue
    {
        /// <summary>What a double-quoted value can not hold literally in every loader.</summary>
        private static readonly char[] SpecialInDoubleQuotes = { '"', '\\', '$', '`' };

        /// <summary>Bare values: characters no loader treats specially.</summary>
        private static bool IsBareSafe(char c) =>
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "_./:+-@%,=~".IndexOf(c) >= 0;

        /// <summary>
        /// The raw text for <paramref name="value"/>: bare when that is safe, else in <paramref name="preferredQuote"/>
        /// (the quote an existing line used, to keep the file's style) when it can carry the value, else in single
        /// or double quotes. Never names the value in an exception.
        /// </summary>
        public static string Encode(string value, char? preferredQuote = null)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            if (value.IndexOf('\n') >= 0 || value.IndexOf('\r') >= 0 || value.IndexOf('\0') >= 0)
                throw new ArgumentException("A dotenv value written by this module must be one line without NUL characters.", nameof(value));
            if (preferredQuote.HasValue && CanQuote(value, preferredQuote.Value)) return Quote(value, preferredQuote.Value);
            bool bare = true;
            foreach (char c in value) bare &= IsBareSafe(c);
            if (bare) return Raw.FromText(value);
            if (CanQuote(value, '\'')) return Quote(value, '\'');
            if (CanQuote(value, '"')) return Quote(value, '"');
            throw new ArgumentException("The value holds both a single quote and a backslash, double quote, '$' or backtick, which dotenv loaders read differently in every quoting style.", nameof(value));
        }

        /// <summary>Whether <paramref name="quote"/> quoting carries the value literally in every common loader.</summary>
        public static bool CanQuote(string value, char quote)
        {
            switch (quote)
            {
                case '\'':
                    return value.IndexOf('\'') < 0 && value.IndexOf('\\') < 0;
                case '"':
                    return value.IndexOfAny(SpecialInDoubleQuotes) < 0;
                case '`':
                    return value.IndexOf('`') < 0 && value.IndexOf('\\') < 0;
                default:
                    return false;
            }
        }

        /// <summary>The text a raw value span stands for: quotes removed, escapes of double quotes applied.</summary>
        public static string Decode(string raw)
        {
            if (raw == null) throw new ArgumentNullException(nameof(raw));
            if (raw.Length >= 2 && IsQuote(raw[0]) && raw[raw.Length - 1] == raw[0])
            {
                string inner = raw.Substring(1, raw.Length - 2);
                return Raw.ToText(raw[0] == '"' ? Unescape(inner) : inner);
            }
            return Raw.ToText(raw);
        }

        internal static bool IsQuote(char c) => c == '\'' || c == '"' || c == '`';

        private static string Quote(string value, char quote) => quote + Raw.FromText(value) + quote;

        private static string Unescape(string inner)
        {
            if (inner.IndexOf('\\') < 0) return inner;
            var sb = new StringBuilder(inner.Length);
            for (int i = 0; i < inner.Length; i++)
            {
                char c = inner[i];
                if (c != '\\' || i + 1 == inner.Length)
                {
                    sb.Append(c);
                    continue;
                }
                char next = inner[++i];
                switch (next)
                {
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    default: sb.Append('\\').Append(next); break;
                }
            }
            return sb.ToString();
        }
    }

    /// <summary>
    /// Bytes as chars, one for one (ISO-8859-1): parsing and editing work on text while every byte the edit does not
    /// touch, whatever its encoding, is written back exactly as it was read.
    /// </summary>
    public static class Raw
    {
        public static string FromBytes(byte[] bytes)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            return new string(chars);
        }

        public static byte[] ToBytes(string raw)
        {
            var bytes = new byte[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i] > 0xFF) throw new ArgumentException("Raw text holds only byte values.", nameof(raw));
                bytes[i] = (byte)raw[i];
            }
            return bytes;
        }

        /// <summary>Text (any Unicode) as the raw form of its UTF-8 bytes.</summary>
        public static string FromText(string text) => FromBytes(new UTF8Encoding(false).GetBytes(text));

        /// <summary>Raw bytes read as UTF-8 text.</summary>
        public static string ToText(string raw) => new UTF8Encoding(false).GetString(ToBytes(raw));
    }
}
