using System.Text;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>The dotenv editor's rules, one by one, on small files written out in full.</summary>
public class DotEnvDocumentTests
{
    private const string Key = "WHATSAPP_ACCESS_TOKEN";

    private static string Set(string file, string value, out DotEnvChange change, string key = Key)
    {
        var document = DotEnvDocument.Parse(Encoding.UTF8.GetBytes(file));
        document.DefaultNewLine = "\n";
        change = document.Set(key, value);
        return Encoding.UTF8.GetString(document.ToBytes());
    }

    [Theory]
    [InlineData("A=1\r\nWHATSAPP_ACCESS_TOKEN=old\r\nB=2\r\n", "A=1\r\nWHATSAPP_ACCESS_TOKEN=EAAnew\r\nB=2\r\n")]
    [InlineData("A=1\nWHATSAPP_ACCESS_TOKEN=old", "A=1\nWHATSAPP_ACCESS_TOKEN=EAAnew")]
    [InlineData("  export WHATSAPP_ACCESS_TOKEN = \"old\"  # prod\n", "  export WHATSAPP_ACCESS_TOKEN = \"EAAnew\"  # prod\n")]
    [InlineData("WHATSAPP_ACCESS_TOKEN='old'\n", "WHATSAPP_ACCESS_TOKEN='EAAnew'\n")]
    [InlineData("WHATSAPP_ACCESS_TOKEN= # set me\n", "WHATSAPP_ACCESS_TOKEN=EAAnew # set me\n")]
    [InlineData("WHATSAPP_ACCESS_TOKEN=\n", "WHATSAPP_ACCESS_TOKEN=EAAnew\n")]
    [InlineData("# comment\n\nWHATSAPP_ACCESS_TOKEN=a\nX=1\nWHATSAPP_ACCESS_TOKEN=b\n", "# comment\n\nWHATSAPP_ACCESS_TOKEN=a\nX=1\nWHATSAPP_ACCESS_TOKEN=EAAnew\n")]
    public void Replaces_the_value_of_the_last_assignment_and_keeps_everything_around_it(string file, string expected)
    {
        Assert.Equal(expected, Set(file, "EAAnew", out var change));
        Assert.Equal(DotEnvChangeKind.Replaced, change.Kind);
    }

    [Fact]
    public void Reports_every_occurrence_and_replaces_the_last_the_one_loaders_use()
    {
        string file = "WHATSAPP_ACCESS_TOKEN=one\n# note\nWHATSAPP_ACCESS_TOKEN=two\nWHATSAPP_ACCESS_TOKEN=three\n";
        Assert.Equal("three", DotEnvDocument.Parse(Encoding.UTF8.GetBytes(file)).Get(Key));
        string after = Set(file, "EAAnew", out var change);
        Assert.Equal(new[] { 1, 3, 4 }, change.Occurrences);
        Assert.Equal(4, change.Line);
        Assert.Equal("WHATSAPP_ACCESS_TOKEN=one\n# note\nWHATSAPP_ACCESS_TOKEN=two\nWHATSAPP_ACCESS_TOKEN=EAAnew\n", after);
    }

    [Theory]
    [InlineData("", "WHATSAPP_ACCESS_TOKEN=EAAnew\n", 1)]
    [InlineData("A=1\r\n", "A=1\r\nWHATSAPP_ACCESS_TOKEN=EAAnew\r\n", 2)]
    [InlineData("A=1", "A=1\nWHATSAPP_ACCESS_TOKEN=EAAnew", 2)]
    [InlineData("A=1\r\n# c", "A=1\r\n# c\r\nWHATSAPP_ACCESS_TOKEN=EAAnew", 3)]
    [InlineData("export A=1\nexport B=2\n", "export A=1\nexport B=2\nexport WHATSAPP_ACCESS_TOKEN=EAAnew\n", 3)]
    [InlineData("export A=1\nB=2\n", "export A=1\nB=2\nWHATSAPP_ACCESS_TOKEN=EAAnew\n", 3)]
    public void Adds_a_missing_key_at_the_end_in_the_file_s_own_style(string file, string expected, int line)
    {
        Assert.Equal(expected, Set(file, "EAAnew", out var change));
        Assert.Equal(DotEnvChangeKind.Added, change.Kind);
        Assert.Equal(line, change.Line);
        Assert.Empty(change.Occurrences);
    }

    [Theory]
    [InlineData("with space", "'with space'")]
    [InlineData("a#b", "'a#b'")]
    [InlineData("cost $5", "'cost $5'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("", "")]
    [InlineData("EAAB-x_y.z/+=", "EAAB-x_y.z/+=")]
    public void Quotes_a_value_only_when_a_loader_would_read_it_differently_bare(string value, string written)
    {
        Assert.Equal("X=1\nWHATSAPP_ACCESS_TOKEN=" + written + "\n", Set("X=1\n", value, out _));
        Assert.Equal(value, DotEnvDocument.Parse(Encoding.UTF8.GetBytes("K=" + written)).Get("K"));
    }

    [Fact]
    public void Refuses_a_value_no_quoting_carries_and_never_names_it()
    {
        const string value = "EAAsecret'\"mix";
        var document = DotEnvDocument.Parse(Encoding.UTF8.GetBytes("A=1\n"));
        var ex = Assert.Throws<ArgumentException>(() => document.Set(Key, value));
        Assert.DoesNotContain("EAAsecret", ex.ToString());
        Assert.Equal("A=1\n", Encoding.UTF8.GetString(document.ToBytes()));
        Assert.DoesNotContain("EAAsecret", Assert.Throws<ArgumentException>(() => DotEnvValue.Encode("EAAsecret\nline2")).ToString());
    }

    [Fact]
    public void Same_value_is_no_change_and_NoClobber_refuses_a_different_one()
    {
        const string file = "WHATSAPP_ACCESS_TOKEN=EAAsame\n";
        Assert.Equal(file, Set(file, "EAAsame", out var same));
        Assert.Equal(DotEnvChangeKind.Unchanged, same.Kind);
        var document = DotEnvDocument.Parse(Encoding.UTF8.GetBytes(file));
        Assert.Equal(DotEnvChangeKind.Refused, document.Set(Key, "EAAother", noClobber: true).Kind);
        Assert.Equal(DotEnvChangeKind.Unchanged, document.Set(Key, "EAAsame", noClobber: true).Kind);
        Assert.Equal(file, Encoding.UTF8.GetString(document.ToBytes()));
    }

    [Fact]
    public void Keeps_a_byte_order_mark_and_bytes_that_are_not_UTF_8()
    {
        byte[] file = [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("A=1\n# "), 0xFF, 0xFE, 0x80, .. Encoding.ASCII.GetBytes("\nWHATSAPP_ACCESS_TOKEN=old\n")];
        var document = DotEnvDocument.Parse(file);
        document.Set(Key, "EAAnew");
        byte[] expected = [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("A=1\n# "), 0xFF, 0xFE, 0x80, .. Encoding.ASCII.GetBytes("\nWHATSAPP_ACCESS_TOKEN=EAAnew\n")];
        Assert.Equal(expected, document.ToBytes());
        Assert.Equal("1", document.Get("A"));
    }

    [Fact]
    public void A_quoted_value_may_span_lines_and_lines_inside_it_are_not_assignments()
    {
        const string file = "CERT=\"line1\nWHATSAPP_ACCESS_TOKEN=inside\nline3\"\nWHATSAPP_ACCESS_TOKEN=real\n";
        var document = DotEnvDocument.Parse(Encoding.UTF8.GetBytes(file));
        Assert.Equal("real", document.Get(Key));
        Assert.Equal(new[] { 4 }, document.LinesOf(Key));
        Assert.Equal("line1\nWHATSAPP_ACCESS_TOKEN=inside\nline3", document.Get("CERT"));
    }

    [Fact]
    public void An_unclosed_quote_is_an_unquoted_value_up_to_the_end_of_its_line()
    {
        var document = DotEnvDocument.Parse(Encoding.UTF8.GetBytes("A=\"open\nWHATSAPP_ACCESS_TOKEN=t\n"));
        Assert.Equal("\"open", document.Get("A"));
        Assert.Equal("t", document.Get(Key));
    }

    [Fact]
    public void Refuses_UTF_16_files_and_keys_that_are_not_portable_names()
    {
        Assert.Throws<NotSupportedException>(() => DotEnvDocument.Parse([0xFF, 0xFE, (byte)'A', 0]));
        var document = DotEnvDocument.Parse([]);
        foreach (var key in new[] { "1ABC", "A-B", "A B", "", "A.B" }) Assert.Throws<ArgumentException>(() => document.Set(key, "v"));
        Assert.True(DotEnvDocument.IsValidKey("_A1"));
    }
}
