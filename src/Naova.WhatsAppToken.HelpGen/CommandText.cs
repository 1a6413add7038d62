using System.Xml.Linq;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>The words of one cmdlet's help in one language; everything structural comes from <see cref="CommandModel"/>.</summary>
internal sealed class CommandText
{
    public string Synopsis { get; init; } = string.Empty;

    public IReadOnlyList<string> Description { get; init; } = Array.Empty<string>();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<ExampleText> Examples { get; init; } = Array.Empty<ExampleText>();

    public IReadOnlyList<LinkText> Links { get; init; } = Array.Empty<LinkText>();

    /// <summary>Descriptions of the output types, by full type name.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    public const int MinimumExamples = 2;

    /// <summary>An initializer that gives an unbound parameter a value worth showing (not an empty placeholder of a mandatory one).</summary>
    private static bool HasDefault(ParameterModel parameter) =>
        parameter.Initializer != null && !parameter.AlwaysMandatory && !parameter.IsSwitch
        && !System.Text.RegularExpressions.Regex.IsMatch(parameter.Initializer, @"^(string\.Empty|Array\.Empty<.+>\(\)|new \w+\(\)|null!?|default!?)$");

    /// <summary>English, from the C# XML doc comments; every gap is a build error at the line to document.</summary>
    public static CommandText FromDocComments(CommandModel command, DocComments docs, Diagnostics diagnostics)
    {
        var member = docs.Member(command.DocId);
        string where = $"Cmdlet {command.Name} ({command.TypeFullName})";
        var synopsis = DocComments.Paras(member, "synopsis");
        if (synopsis.Count == 0)
            diagnostics.Error(command.Location, "NWH101", $"{where} has no synopsis: add /// <summary><para type=\"synopsis\">One line on what it does.</para></summary> to the class.");
        var description = DocComments.Paras(member, "description");
        if (description.Count == 0)
            diagnostics.Error(command.Location, "NWH102", $"{where} has no description: add <para type=\"description\">...</para> to the class's <summary>.");
        var examples = DocComments.Examples(member);
        if (examples.Count < MinimumExamples)
            diagnostics.Error(command.Location, "NWH103", $"{where} has {examples.Count} example(s); at least {MinimumExamples} are required: add /// <example title=\"...\"><code>...</code><para>What it does and why.</para></example> to the class, taken from the real workflow.");
        if (!Uri.TryCreate(command.HelpUri, UriKind.Absolute, out var online) || online.Scheme != Uri.UriSchemeHttps)
            diagnostics.Error(command.Location, "NWH108", $"{where} has no HelpUri (https) for Get-Help -Online: add HelpUri = ... to its [Cmdlet] attribute.");
        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i].Title == null)
                diagnostics.Error(command.Location, "NWH107", $"{where}: example {i + 1} has no title: add title=\"What it does\" to its <example>.");
            if (examples[i].StartsOnCodeLine)
                diagnostics.Error(command.Location, "NWH111", $"{where}: example {i + 1} starts its code of several lines on the <code> line, so help shows its lines mis-indented: start the code on the line after <code>.");
            if (examples[i].Code.Length == 0)
                diagnostics.Error(command.Location, "NWH104", $"{where}: example {i + 1} has no <code>.");
            if (examples[i].Remarks.Count == 0)
                diagnostics.Error(command.Location, "NWH105", $"{where}: example {i + 1} has no <para> saying what it does.");
        }
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in command.Parameters)
        {
            var text = DocComments.ParameterDescription(docs.Member(parameter.DocId));
            if (text.Count == 0 && !parameter.DontShow)
                diagnostics.Error(parameter.Location, "NWH106", $"{command.Name} -{parameter.Name} ({parameter.DocId}) has no description: add /// <summary><para type=\"description\">What it is, its default.</para></summary> above it.");
            parameters[parameter.Name] = text;
            if (parameter.DefaultValue == null && HasDefault(parameter))
                diagnostics.Error(parameter.Location, "NWH109", $"{command.Name} -{parameter.Name} defaults to {parameter.Initializer} in code, which help can not read from metadata: add [PSDefaultValue(Value = ...)] saying that value (a test compares the two).");
        }
        // An output type is described by its own doc comment, or, for types that are not the module's (a String), by a
        // <para type="output" name="System.String"> on the cmdlet.
        var own = member?.Element("summary")?.Elements("para").Where(p => (string?)p.Attribute("type") == "output")
            .ToDictionary(p => (string?)p.Attribute("name") ?? string.Empty, DocComments.Text, StringComparer.Ordinal) ?? new Dictionary<string, string>();
        var outputs = command.Outputs.Where(o => !o.Type.IsVoid)
            .Select(o => (o.Type.FullName, Text: own.TryGetValue(o.Type.FullName, out var said) ? said : DocComments.Summary(docs.Member("T:" + o.Type.FullName.Replace('+', '.').TrimEnd('[', ']')))))
            .GroupBy(o => o.FullName).ToDictionary(g => g.Key, g => g.First().Text);
        foreach (var (type, said) in outputs.Where(o => o.Value.Length == 0).ToList())
        {
            diagnostics.Error(command.Location, "NWH110", $"{where} writes {type}, which has no description: add <para type=\"output\" name=\"{type}\">What it is.</para> to the class's <summary>.");
            outputs.Remove(type);
        }
        return new CommandText
        {
            Synopsis = synopsis.Count > 0 ? synopsis[0] : string.Empty,
            Description = description,
            Parameters = parameters,
            Examples = examples,
            Links = DocComments.Links(member),
            Outputs = outputs,
        };
    }
}
