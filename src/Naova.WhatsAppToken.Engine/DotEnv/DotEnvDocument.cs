using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>What <see cref="DotEnvDocument.Set"/> did.</summary>
    public enum DotEnvChangeKind
    {
        /// <summary>The key was not there; a line was added at the end.</summary>
        Added,

        /// <summary>The value of the key's last occurrence was replaced.</summary>
        Replaced,

        /// <summary>The key already had this value; nothing was written.</summary>
        Unchanged,

        /// <summary>The key was there and the caller asked not to replace it; nothing was written.</summary>
        Refused,
    }

    /// <summary>One edit, described without its value.</summary>
    public sealed class DotEnvChange
    {
        internal DotEnvChange(DotEnvChangeKind kind, string key, int line, IReadOnlyList<int> occurrences)
        {
            Kind = kind;
            Key = key;
            Line = line;
            Occurrences = occurrences;
        }

        public DotEnvChangeKind Kind { get; }

        public string Key { get; }

        /// <summary>The 1-based line that holds (or would hold) the key's value.</summary>
        public int Line { get; }

        /// <summary>Lines where the key appeared before the edit; more than one means only the last was touched.</summary>
        public IReadOnlyList<int> Occurrences { get; }

        /// <summary>Set by <see cref="DotEnvFile.Set"/>: whether the file did not exist and was created.</summary>
        public bool CreatedFile { get; internal set; }

        public override string ToString() => $"{Kind} {Key} at line {Line}";
    }

    /// <summary>
    /// A dotenv file as its exact bytes, with the assignments found in it. <see cref="Set"/> changes the value of one
    /// assignment (or adds one) and nothing else: comments, order, blank lines, quoting, <c>export</c> prefixes,
    /// spacing, inline comments, line endings (LF, CRLF or mixed), a byte order mark and a missing final newline all
    /// stay byte for byte.
    /// </summary>
    /// <remarks>
    /// A key may appear several times. Dotenv loaders (python-dotenv, Node's dotenv, docker compose) let the last one
    /// win, so the last occurrence is the one read and the one replaced; earlier ones are left as they are and reported
    /// in <see cref="DotEnvChange.Occurrences"/>. A quoted value may span lines when its closing quote comes later
    /// (as the loaders allow); a quote that never closes is read as an unquoted value up to the end of its line.
    /// An unquoted value ends at a '#' preceded by a space or tab (an inline comment) and at the end of the line;
    /// blanks around it belong to the line, not to the value.
    /// </remarks>
    public sealed class DotEnvDocument
    {
        private const string Utf8Bom = "\u00EF\u00BB\u00BF";

        private static readonly Regex Assignment = new Regex(
            @"\G[ \t]*(?<export>export[ \t]+)?(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=(?<gap>[ \t]*)",
            RegexOptions.CultureInvariant);

        private static readonly Regex PortableKey = new Regex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        private static readonly char[] LineBreaks = { '\r', '\n' };

        private string _raw;
        private List<Entry> _entries;

        private DotEnvDocument(string raw)
        {
            _raw = raw;
            _entries = Parse(raw);
        }

        /// <summary>The newline added when the file has none to copy (a new or one-line file).</summary>
        public string DefaultNewLine { get; set; } = Environment.NewLine;

        /// <summary>Keys in file order, one per assignment (a key appears as often as it is assigned).</summary>
        public IReadOnlyList<string> Keys => _entries.Select(e => e.Key).ToArray();

        public static DotEnvDocument Parse(byte[] bytes)
        {
            if (bytes == null) throw new ArgumentNullException(nameof(bytes));
            if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
                throw new NotSupportedException("The file is UTF-16; dotenv files are read as UTF-8 (or ASCII).");
            return new DotEnvDocument(Raw.FromBytes(bytes));
        }

        /// <summary>A portable environment variable name: letters, digits and underscores, not starting with a digit.</summary>
        public static bool IsValidKey(string? key) => key != null && PortableKey.IsMatch(key);

        public byte[] ToBytes() => Raw.ToBytes(_raw);

        /// <summary>The 1-based lines where <paramref name="key"/> is assigned, in file order.</summary>
        public IReadOnlyList<int> LinesOf(string key) => _entries.Where(e => e.Key == key).Select(e => e.Line).ToArray();

        /// <summary>The value of the last assignment of <paramref name="key"/> (the one loaders use), or null.</summary>
        public string? Get(string key)
        {
            var entry = Last(key);
            return entry == null ? null : DotEnvValue.Decode(_raw.Substring(entry.ValueStart, entry.ValueEnd - entry.ValueStart));
        }

        /// <summary>
        /// Sets <paramref name="key"/> to <paramref name="value"/>: replaces the value of its last assignment, keeping
        /// that line's prefix, quoting style where it can carry the value, inline comment and line ending; or, when the
        /// key is absent, adds <c>KEY=value</c> at the end. Exceptions never contain the value.
        /// </summary>
        public DotEnvChange Set(string key, string value, bool noClobber = false)
        {
            if (!IsValidKey(key)) throw new ArgumentException("'" + key + "' is not a portable environment variable name.", nameof(key));
            if (value == null) throw new ArgumentNullException(nameof(value));
            var occurrences = LinesOf(key);
            var last = Last(key);
            if (last != null)
            {
                string oldRaw = _raw.Substring(last.ValueStart, last.ValueEnd - last.ValueStart);
                if (DotEnvValue.Decode(oldRaw) == value) return new DotEnvChange(DotEnvChangeKind.Unchanged, key, last.Line, occurrences);
                if (noClobber) return new DotEnvChange(DotEnvChangeKind.Refused, key, last.Line, occurrences);
                char? style = oldRaw.Length >= 2 && DotEnvValue.IsQuote(oldRaw[0]) && oldRaw[oldRaw.Length - 1] == oldRaw[0] ? oldRaw[0] : (char?)null;
                string encoded = DotEnvValue.Encode(value, style);
                Reparse(_raw.Substring(0, last.ValueStart) + encoded + _raw.Substring(last.ValueEnd));
                return new DotEnvChange(DotEnvChangeKind.Replaced, key, last.Line, occurrences);
            }

            bool exportAll = _entries.Count > 0 && _entries.All(e => e.Exported);
            string line = (exportAll ? "export " : string.Empty) + key + "=" + DotEnvValue.Encode(value);
            string newline = FirstNewLine() ?? DefaultNewLine;
            bool empty = _raw.Length == 0 || _raw == Utf8Bom;
            // A file without a final newline keeps having none: the break goes before the new line, not after it.
            Reparse(empty || EndsWithNewLine(_raw) ? _raw + line + newline : _raw + newline + line);
            return new DotEnvChange(DotEnvChangeKind.Added, key, Last(key)!.Line, occurrences);
        }

        private Entry? Last(string key) => _entries.LastOrDefault(e => e.Key == key);

        private void Reparse(string raw)
        {
            _raw = raw;
            _entries = Parse(raw);
        }

        private static bool EndsWithNewLine(string raw) => raw.Length > 0 && (raw[raw.Length - 1] == '\n' || raw[raw.Length - 1] == '\r');

        private string? FirstNewLine()
        {
            int i = _raw.IndexOfAny(LineBreaks);
            if (i < 0) return null;
            if (_raw[i] == '\r') return i + 1 < _raw.Length && _raw[i + 1] == '\n' ? "\r\n" : "\r";
            return "\n";
        }

        /// <summary>Line breaks in raw[from..to): CRLF, LF or a lone CR, as loaders count them.</summary>
        private static int Breaks(string raw, int from, int to)
        {
            int breaks = 0;
            for (int i = from; i < to; i++)
            {
                if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n'))) breaks++;
            }
            return breaks;
        }

        private static List<Entry> Parse(string raw)
        {
            var entries = new List<Entry>();
            int pos = raw.StartsWith(Utf8Bom, StringComparison.Ordinal) ? Utf8Bom.Length : 0;
            int line = 1;
            while (pos < raw.Length)
            {
                int eol = EndOfLine(raw, pos);
                var match = Assignment.Match(raw, pos);
                int entryEnd = eol;
                if (match.Success && match.Index == pos && match.Index + match.Length <= eol)
                {
                    int valueStart = match.Index + match.Length;
                    int valueEnd = ValueEnd(raw, valueStart, eol);
                    // An empty unquoted value sits right after '=': a value put there later keeps the blanks (and the
                    // inline comment) after it, instead of touching a '#' that would then stop being a comment.
                    if (valueEnd == valueStart) valueStart = valueEnd = match.Groups["gap"].Index;
                    entries.Add(new Entry(match.Groups["key"].Value, line, valueStart, valueEnd, match.Groups["export"].Success));
                    if (valueEnd > eol) entryEnd = EndOfLine(raw, valueEnd); // a quoted value that spans lines
                }
                int next = NextLine(raw, entryEnd);
                line += 1 + Breaks(raw, pos, entryEnd);
                pos = next;
            }
            return entries;
        }

        /// <summary>Where the value starting at <paramref name="start"/> ends: after its closing quote, or before an inline comment or trailing blanks.</summary>
        private static int ValueEnd(string raw, int start, int eol)
        {
            if (start < eol && DotEnvValue.IsQuote(raw[start]))
            {
                // As the loaders' patterns ('(?:\\'|[^'])*') read it: the first unescaped quote closes the value;
                // failing that, the last escaped one does.
                char quote = raw[start];
                int lastEscaped = -1;
                for (int i = start + 1; i < raw.Length; i++)
                {
                    if (raw[i] == '\\' && i + 1 < raw.Length)
                    {
                        if (raw[++i] == quote) lastEscaped = i;
                        continue;
                    }
                    if (raw[i] == quote) return i + 1;
                }
                if (lastEscaped >= 0) return lastEscaped + 1;
            }
            int end = start;
            for (int i = start; i < eol; i++)
            {
                if (raw[i] == '#' && i > 0 && (raw[i - 1] == ' ' || raw[i - 1] == '\t')) break;
                if (raw[i] != ' ' && raw[i] != '\t') end = i + 1;
            }
            return end;
        }

        private static int EndOfLine(string raw, int pos)
        {
            int i = raw.IndexOfAny(LineBreaks, pos);
            return i < 0 ? raw.Length : i;
        }

        private static int NextLine(string raw, int eol)
        {
            if (eol >= raw.Length) return raw.Length;
            return raw[eol] == '\r' && eol + 1 < raw.Length && raw[eol + 1] == '\n' ? eol + 2 : eol + 1;
        }

        private sealed class Entry
        {
            public Entry(string key, int line, int valueStart, int valueEnd, bool exported)
            {
                Key = key;
                Line = line;
                ValueStart = valueStart;
                ValueEnd = valueEnd;
                Exported = exported;
            }

            public string Key { get; }

            public int Line { get; }

            public int ValueStart { get; }

            public int ValueEnd { get; }

            public bool Exported { get; }
        }
    }
}
