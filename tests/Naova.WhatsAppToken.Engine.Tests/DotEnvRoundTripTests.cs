using System.Text;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// Generated dotenv files (seeded, so a failure repeats): comments, blank lines, quoting styles, export prefixes,
/// inline comments, LF/CRLF mixes, a BOM, non-UTF-8 bytes, a missing final newline, and the key 0, 1 or several
/// times. Setting the key must change the bytes of one line only (the last assignment, or a new last line) and
/// read back; every other key must read back as before.
/// </summary>
public class DotEnvRoundTripTests
{
    private const string Key = "WHATSAPP_ACCESS_TOKEN";

    [Fact]
    public void Setting_a_key_changes_only_its_line_in_hundreds_of_generated_files()
    {
        var random = new Random(20240611);
        int replaced = 0, added = 0, duplicates = 0, crlf = 0, noFinalNewline = 0;
        for (int i = 0; i < 600; i++)
        {
            var file = GeneratedFile.Make(random);
            string value = Values.Pick(random);
            var document = DotEnvDocument.Parse(file.Bytes);
            var before = file.OtherKeys.ToDictionary(k => k, k => document.Get(k));
            Assert.Equal(file.Occurrences.Count == 0 ? null : file.LastValue, document.Get(Key));

            var change = document.Set(Key, value);
            byte[] after = document.ToBytes();
            string context = $"file #{i}:\n{Encoding.Latin1.GetString(file.Bytes)}";

            if (file.Occurrences.Count == 0)
            {
                Assert.True(change.Kind == DotEnvChangeKind.Added, context);
                AssertAppendedOneLine(file, after, context);
                added++;
            }
            else if (file.LastValue == value)
            {
                Assert.Equal(DotEnvChangeKind.Unchanged, change.Kind);
                Assert.Equal(file.Bytes, after);
            }
            else
            {
                Assert.True(change.Kind == DotEnvChangeKind.Replaced, context);
                Assert.Equal(file.Occurrences.Select(o => o.Number), change.Occurrences);
                Assert.Equal(file.Occurrences[^1].Number, change.Line);
                AssertOnlyLineChanged(file, file.Occurrences[^1].Index, after, context);
                replaced++;
                if (file.Occurrences.Count > 1) duplicates++;
            }

            var reread = DotEnvDocument.Parse(after);
            Assert.True(value == reread.Get(Key), context);
            foreach (var key in file.OtherKeys) Assert.True(before[key] == reread.Get(key), key + " changed in " + context);
            if (file.Lines.Any(l => l.Ending == "\r\n")) crlf++;
            if (file.Lines.Count > 0 && file.Lines[^1].Ending.Length == 0) noFinalNewline++;
        }
        // The generator reaches every case the test is about, many times over.
        Assert.True(replaced > 150 && added > 100 && duplicates > 50 && crlf > 150 && noFinalNewline > 50,
            $"replaced {replaced}, added {added}, duplicates {duplicates}, crlf {crlf}, no final newline {noFinalNewline}");
    }

    private static void AssertOnlyLineChanged(GeneratedFile file, int index, byte[] after, string context)
    {
        byte[] prefix = file.BytesOf(0, index);
        byte[] suffix = file.BytesOf(index + 1, file.Lines.Count);
        Assert.True(after.AsSpan().StartsWith(prefix), "bytes before the line changed in " + context);
        Assert.True(after.AsSpan().EndsWith(suffix), "bytes after the line changed in " + context);
        var line = file.Lines[index];
        string newLine = Encoding.Latin1.GetString(after, prefix.Length, after.Length - prefix.Length - suffix.Length);
        // Its start (indent, export, key, '='), its inline comment and its line ending are kept.
        Assert.StartsWith(line.Head, newLine);
        Assert.EndsWith(line.Tail + line.Ending, newLine);
        Assert.DoesNotContain('\n', newLine.Substring(0, newLine.Length - line.Ending.Length));
    }

    private static void AssertAppendedOneLine(GeneratedFile file, byte[] after, string context)
    {
        Assert.True(after.AsSpan().StartsWith(file.Bytes), "existing bytes changed in " + context);
        string added = Encoding.Latin1.GetString(after, file.Bytes.Length, after.Length - file.Bytes.Length);
        var bytes = file.Bytes;
        bool hadFinalNewline = file.Lines.All(l => l.Text.Length == 0) || bytes[^1] == (byte)'\n' || bytes[^1] == (byte)'\r';
        string newline = file.Lines.Select(l => l.Ending).FirstOrDefault(e => e.Length > 0) ?? Environment.NewLine;
        if (hadFinalNewline)
        {
            Assert.StartsWith((file.AllExported ? "export " : string.Empty) + Key + "=", added);
            Assert.EndsWith(newline, added);
        }
        else
        {
            // A file without a final newline still has none: the break goes before the new line.
            Assert.StartsWith(newline + (file.AllExported ? "export " : string.Empty) + Key + "=", added);
            Assert.False(added.EndsWith('\n'), context);
        }
        Assert.Equal(1, added.Count(c => c == '\n'));
    }

    private sealed record Line(string Head, string Raw, string Tail, string Ending, string? Key, string? Value, bool Exported)
    {
        public string Text => Head + Raw + Tail + Ending;
    }

    private sealed class GeneratedFile
    {
        public List<Line> Lines { get; } = new();

        public bool Bom { get; private set; }

        public byte[] Bytes => BytesOf(0, Lines.Count);

        public List<(int Index, int Number)> Occurrences { get; } = new();

        public string? LastValue { get; private set; }

        public IEnumerable<string> OtherKeys => Lines.Where(l => l.Key != null && l.Key != Key).Select(l => l.Key!).Distinct();

        public bool AllExported => Lines.Any(l => l.Key != null) && Lines.Where(l => l.Key != null).All(l => l.Exported);

        public byte[] BytesOf(int from, int to)
        {
            var text = new StringBuilder();
            if (Bom && from == 0) text.Append("\u00EF\u00BB\u00BF");
            for (int i = from; i < to; i++) text.Append(Lines[i].Text);
            return Encoding.Latin1.GetBytes(text.ToString());
        }

        public static GeneratedFile Make(Random random)
        {
            var file = new GeneratedFile { Bom = random.Next(10) == 0 };
            int count = random.Next(0, 14);
            int targets = random.Next(4) switch { 0 => 0, 1 => 1, 2 => 1, _ => random.Next(2, 5) };
            var targetAt = Enumerable.Range(0, targets).Select(_ => random.Next(0, count + 1)).ToList();
            bool exportAll = random.Next(6) == 0;
            for (int i = 0; i <= count; i++)
            {
                foreach (var _ in targetAt.Where(t => t == i)) file.Add(random, Key, exportAll);
                if (i < count) file.Add(random, null, exportAll);
            }
            // The last line may lack its newline.
            if (file.Lines.Count > 0 && random.Next(4) == 0) file.Lines[^1] = file.Lines[^1] with { Ending = string.Empty };
            return file;
        }

        private void Add(Random random, string? key, bool exportAll)
        {
            string ending = random.Next(3) == 0 ? "\r\n" : "\n";
            if (key == null && random.Next(3) == 0)
            {
                Lines.Add(random.Next(2) == 0
                    ? new Line(Blank(random), string.Empty, string.Empty, ending, null, null, false)
                    : new Line(Blank(random) + "#" + Comment(random), string.Empty, string.Empty, ending, null, null, false));
                return;
            }
            key ??= "K" + random.Next(1, 30) + (random.Next(2) == 0 ? "_URL" : "_a.b-c");
            bool export = exportAll || random.Next(4) == 0;
            var (raw, value) = Values.Written(random);
            // Blanks after '=' belong to the head, except before an empty value, which sits right after '='.
            string head = Blank(random) + (export ? "export" + (random.Next(2) == 0 ? " " : "\t ") : string.Empty) + key + Blank(random) + "=" + (raw.Length > 0 ? Blank(random) : string.Empty);
            string tail = random.Next(3) switch
            {
                0 => " # " + Comment(random),
                1 => "\t",
                _ => string.Empty,
            };
            if (key == Key)
            {
                Occurrences.Add((Lines.Count, Lines.Count + 1));
                LastValue = value;
            }
            Lines.Add(new Line(head, raw, tail, ending, key, value, export));
        }

        private static string Blank(Random random) => random.Next(4) switch { 0 => " ", 1 => "\t", 2 => "  ", _ => string.Empty };

        private static string Comment(Random random)
        {
            string[] words = { "token for prod", "KEY=not a key", "it's \"quoted\"", "café", "\u00FF\u00FE raw bytes", "# twice", "export X=1", "=" };
            return words[random.Next(words.Length)];
        }
    }

    /// <summary>Values as they appear in files (raw, with the text they stand for) and values to set.</summary>
    private static class Values
    {
        public static (string Raw, string Value) Written(Random random)
        {
            string token = Token(random);
            return random.Next(7) switch
            {
                0 => ("'" + token + " x#y'", token + " x#y"),
                1 => ("\"" + token + " \\\"q\\\" \\n\"", token + " \"q\" \n"),
                2 => ("\"\"", string.Empty),
                3 => (string.Empty, string.Empty),
                4 => ("`" + token + "`", token),
                5 => ("caf\u00C3\u00A9-" + token, "café-" + token),
                _ => (token, token),
            };
        }

        public static string Pick(Random random) => random.Next(8) switch
        {
            0 => "with space #hash",
            1 => "it's here",
            2 => "say \"hi\"",
            3 => "añejo $5",
            4 => string.Empty,
            _ => Token(random),
        };

        public static string Token(Random random)
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            var chars = new char[random.Next(8, 40)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            return "EAA" + new string(chars);
        }
    }
}
