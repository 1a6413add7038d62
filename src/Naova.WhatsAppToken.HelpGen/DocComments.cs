using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>
/// The compiler's XML documentation file, read the way XmlDoc2CmdletDoc reads it: on a cmdlet class,
/// &lt;para type="synopsis"&gt;, &lt;para type="description"&gt;, &lt;para type="link" uri="..."&gt; and &lt;example&gt;
/// (&lt;code&gt; then &lt;para&gt; remarks; an optional title attribute); on a parameter, &lt;para type="description"&gt;,
/// or else the plain summary text.
/// </summary>
internal sealed class DocComments
{
    private readonly Dictionary<string, XElement> _members;

    private DocComments(Dictionary<string, XElement> members) => _members = members;

    public static DocComments Load(string path)
    {
        var doc = XDocument.Load(path);
        var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var member in doc.Descendants("member"))
            if (member.Attribute("name")?.Value is string name) members[name] = member;
        return new DocComments(members);
    }

    public XElement? Member(string docId) => _members.TryGetValue(docId, out var member) ? member : null;

    public static IReadOnlyList<string> Paras(XElement? member, string type) =>
        member?.Element("summary")?.Elements("para")
            .Where(p => string.Equals((string?)p.Attribute("type"), type, StringComparison.OrdinalIgnoreCase))
            .Select(Text).Where(t => t.Length > 0).ToList() ?? new List<string>();

    /// <summary>A parameter's description: its description paras, or the summary's own text when it has no typed para.</summary>
    public static IReadOnlyList<string> ParameterDescription(XElement? member)
    {
        var paras = Paras(member, "description");
        if (paras.Count > 0 || member?.Element("summary") is not XElement summary) return paras;
        if (summary.Elements("para").Any(p => p.Attribute("type") != null)) return paras;
        string text = Text(summary);
        return text.Length > 0 ? new[] { text } : Array.Empty<string>();
    }

    /// <summary>The examples, whether written beside the summary (the C# convention) or inside it.</summary>
    public static IReadOnlyList<ExampleText> Examples(XElement? member) =>
        member?.Elements("example").Concat(member.Element("summary")?.Elements("example") ?? Enumerable.Empty<XElement>()).Select(e => new ExampleText(
            Clean((string?)e.Attribute("title")),
            Code(e.Element("code")),
            e.Elements("para").Select(Text).Where(t => t.Length > 0).ToList(),
            StartsOnCodeLine(e.Element("code")))).ToList() ?? new List<ExampleText>();

    /// <summary>
    /// Code of several lines that begins on the &lt;code&gt; line itself: its first line lacks the doc comment's
    /// indentation the others have, so once that is removed they come out shifted against it.
    /// </summary>
    private static bool StartsOnCodeLine(XElement? code)
    {
        if (code == null) return false;
        var lines = code.Value.Replace("\r\n", "\n").TrimEnd().Split('\n');
        return lines.Length > 1 && lines[0].Trim().Length > 0;
    }

    public static IReadOnlyList<LinkText> Links(XElement? member) =>
        member?.Element("summary")?.Elements("para")
            .Where(p => string.Equals((string?)p.Attribute("type"), "link", StringComparison.OrdinalIgnoreCase))
            .Select(p => new LinkText(Text(p), (string?)p.Attribute("uri") ?? string.Empty)).ToList() ?? new List<LinkText>();

    /// <summary>The summary as one line of text, for an output type's description.</summary>
    public static string Summary(XElement? member) => member?.Element("summary") is XElement summary ? Text(summary) : string.Empty;

    /// <summary>Inline markup flattened to prose: &lt;see cref&gt; becomes the member's short name, &lt;c&gt; its text.</summary>
    public static string Text(XElement element)
    {
        var text = new StringBuilder();
        Append(element, text);
        return Clean(text.ToString()) ?? string.Empty;
    }

    private static void Append(XElement element, StringBuilder text)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement e when e.Name.LocalName is "see" or "seealso":
                    if (e.Attribute("cref")?.Value is string cref) text.Append(ShortName(cref));
                    else if (e.Attribute("langword")?.Value is string word) text.Append(word);
                    else Append(e, text);
                    break;
                case XElement e when e.Name.LocalName is "paramref" or "typeparamref":
                    text.Append((string?)e.Attribute("name"));
                    break;
                case XElement e:
                    Append(e, text);
                    break;
            }
        }
    }

    private static string ShortName(string cref)
    {
        string name = cref.Contains(':') ? cref.Substring(cref.IndexOf(':') + 1) : cref;
        if (name.Contains('(')) name = name.Substring(0, name.IndexOf('('));
        return name.Substring(name.LastIndexOf('.') + 1);
    }

    internal static string? Clean(string? text)
    {
        if (text == null) return null;
        string clean = Regex.Replace(text, @"\s+", " ").Trim();
        return clean.Length == 0 ? null : clean;
    }

    /// <summary>The code as written, less the doc comment's indentation and blank edges.</summary>
    internal static string Code(XElement? code)
    {
        if (code == null) return string.Empty;
        var lines = code.Value.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        int indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l.Substring(indent) : l));
    }
}

internal sealed record ExampleText(string? Title, string Code, IReadOnlyList<string> Remarks, bool StartsOnCodeLine = false);

internal sealed record LinkText(string Text, string Uri);
