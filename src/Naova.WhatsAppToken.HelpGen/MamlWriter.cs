using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>
/// Writes PowerShell's MAML cmdlet help (the schema Get-Help reads from &lt;culture&gt;/&lt;Assembly&gt;.dll-Help.xml):
/// details and synopsis, description, a syntax item per parameter set, every parameter with its description, type,
/// required, position, pipeline input, wildcards and aliases, input and output types, examples and related links.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    public static void Write(string path, IReadOnlyList<(CommandModel Model, CommandText Text)> commands, Phrases phrases, string aboutTopic)
    {
        var all = commands.Select(c => c.Model).ToList();
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
            commands.Select(c => CommandElement(c.Model, c.Text, all, phrases, aboutTopic)));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        string temp = path + ".tmp";
        using (var writer = XmlWriter.Create(temp, settings)) new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        File.Move(temp, path, overwrite: true);
    }

    private static XElement CommandElement(CommandModel model, CommandText text, IReadOnlyList<CommandModel> all, Phrases phrases, string aboutTopic) =>
        new(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", model.Name),
                new XElement(Command + "verb", model.Verb),
                new XElement(Command + "noun", model.Noun),
                Description(new[] { text.Synopsis })),
            Description(text.Description),
            new XElement(Command + "syntax", model.ParameterSets.Select(set => SyntaxItem(model, text, set, phrases))),
            new XElement(Command + "parameters", Ordered(model).Select(p => ParameterElement(model, p, text, phrases)).Concat(RiskParameters(model, phrases))),
            InputTypes(model, phrases),
            ReturnValues(model, text, phrases),
            new XElement(Command + "examples", text.Examples.Select((e, i) => Example(e, i + 1, phrases))),
            RelatedLinks(model, text, all, aboutTopic, phrases));

    private static XElement Description(IEnumerable<string> paras) =>
        new(Maml + "description", paras.Select(p => new XElement(Maml + "para", p)));

    private static XElement SyntaxItem(CommandModel model, CommandText text, string set, Phrases phrases) =>
        new(Command + "syntaxItem",
            new XElement(Maml + "name", model.Name),
            model.InSet(set).Select(x => Parameter(x.Parameter, text, x.Entry.Mandatory ? "true" : "false", Position(x.Entry.Position), phrases, inSyntax: true)),
            RiskParameters(model, phrases, inSyntax: true));

    /// <summary>Each parameter once, in the order of the default set's syntax, then the other sets'.</summary>
    private static IEnumerable<ParameterModel> Ordered(CommandModel model) =>
        model.ParameterSets.SelectMany(set => model.InSet(set).Select(x => x.Parameter)).Distinct();

    private static XElement ParameterElement(CommandModel model, ParameterModel parameter, CommandText text, Phrases phrases)
    {
        var sets = model.ParameterSets.Select(set => (Set: set, Entry: model.InSet(set).Where(x => x.Parameter == parameter).Select(x => x.Entry).FirstOrDefault()))
            .Where(x => x.Entry != null).ToList();
        string required = Agreed(sets.Select(x => (x.Set, x.Entry!.Mandatory ? "true" : "false")).ToList(), phrases);
        string position = Agreed(sets.Select(x => (x.Set, Position(x.Entry!.Position))).ToList(), phrases);
        return Parameter(parameter, text, required, position, phrases, inSyntax: false);
    }

    /// <summary>One value when every set agrees; otherwise "true (ById), false (ByName)", as Get-Help prints it.</summary>
    private static string Agreed(List<(string Set, string Value)> values, Phrases phrases)
    {
        if (values.Select(v => v.Value).Distinct().Count() <= 1) return (values.Count > 0 ? values[0].Value : null) ?? "false";
        return string.Join(", ", values.Select(v => v.Value + " " + string.Format(CultureInfo.InvariantCulture, phrases.InParameterSets, v.Set)));
    }

    private static string Position(int? position) => position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named";

    private static XElement Parameter(ParameterModel parameter, CommandText text, string required, string position, Phrases phrases, bool inSyntax)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", required),
            new XAttribute("variableLength", parameter.Type.FullName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", parameter.SupportsWildcards ? "true" : "false"),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", position),
            new XAttribute("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name),
            Description(text.Parameters.TryGetValue(parameter.Name, out var paras) ? paras : Array.Empty<string>()));
        if (parameter.AcceptedValues.Count > 0 && inSyntax)
            element.Add(new XElement(Command + "parameterValueGroup", parameter.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        else if (!parameter.IsSwitch || !inSyntax)
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", parameter.IsSwitch ? "false" : "true"),
                new XAttribute("variableLength", parameter.Type.FullName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                parameter.Type.Name));
        element.Add(new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type.FullName), new XElement(Maml + "uri")));
        // The default the code gives (its [PSDefaultValue], checked against the initializer); a switch is off.
        if (!inSyntax) element.Add(new XElement(Dev + "defaultValue", parameter.DefaultValue ?? (parameter.IsSwitch ? "False" : phrases.NoDefault)));
        return element;
    }

    /// <summary>-WhatIf and -Confirm, which PowerShell adds to every cmdlet that supports ShouldProcess.</summary>
    private static IEnumerable<XElement> RiskParameters(CommandModel model, Phrases phrases, bool inSyntax = false)
    {
        if (!model.SupportsShouldProcess) yield break;
        foreach (var (name, alias, description) in new[] { ("WhatIf", "wi", phrases.WhatIf), ("Confirm", "cf", phrases.Confirm) })
        {
            var element = new XElement(Command + "parameter",
                new XAttribute("required", "false"), new XAttribute("variableLength", "false"), new XAttribute("globbing", "false"),
                new XAttribute("pipelineInput", "False"), new XAttribute("position", "named"), new XAttribute("aliases", alias),
                new XElement(Maml + "name", name),
                Description(new[] { description }));
            if (!inSyntax) element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), "SwitchParameter"));
            element.Add(new XElement(Dev + "type", new XElement(Maml + "name", "System.Management.Automation.SwitchParameter"), new XElement(Maml + "uri")));
            element.Add(new XElement(Dev + "defaultValue", "False"));
            yield return element;
        }
    }

    private static XElement InputTypes(CommandModel model, Phrases phrases)
    {
        var inputs = new List<XElement>();
        foreach (var byValue in model.Parameters.Where(p => p.ByValue && !p.DontShow).GroupBy(p => p.Type.FullName))
            inputs.Add(TypeElement("inputType", byValue.Key, byValue.Select(p => string.Format(CultureInfo.InvariantCulture, phrases.ByValue, p.Type.Name, p.Name))));
        var byName = model.Parameters.Where(p => p.ByPropertyName && !p.DontShow).ToList();
        if (byName.Count > 0)
        {
            var paras = new[]
            {
                string.Format(CultureInfo.InvariantCulture, phrases.ByPropertyName, string.Join(", ", byName.Select(p => p.Aliases.Count > 0 ? $"{p.Name} ({string.Join(", ", p.Aliases)})" : p.Name))),
            };
            inputs.Add(TypeElement("inputType", "System.Management.Automation.PSObject", paras));
        }
        if (inputs.Count == 0) inputs.Add(TypeElement("inputType", "None", new[] { phrases.NoInput }));
        return new XElement(Command + "inputTypes", inputs);
    }

    private static XElement ReturnValues(CommandModel model, CommandText text, Phrases phrases)
    {
        var outputs = model.Outputs.Where(o => !o.Type.IsVoid).GroupBy(o => o.Type.FullName)
            .Select(g => TypeElement("returnValue", g.Key, text.Outputs.TryGetValue(g.Key, out var d) ? new[] { d } : Array.Empty<string>()))
            .ToList();
        if (outputs.Count == 0) outputs.Add(TypeElement("returnValue", "None", new[] { phrases.NoOutput }));
        return new XElement(Command + "returnValues", outputs);
    }

    private static XElement TypeElement(string kind, string typeName, IEnumerable<string> paras) =>
        new(Command + kind,
            new XElement(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri")),
            Description(paras));

    private static XElement Example(ExampleText example, int number, Phrases phrases)
    {
        string title = example.Title == null ? $"{phrases.Example} {number}" : $"{phrases.Example} {number}: {example.Title}";
        return new XElement(Command + "example",
            new XElement(Maml + "title", $"---------- {title} ----------"),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", example.Remarks.Select(r => new XElement(Maml + "para", r))));
    }

    /// <summary>The about topic, the links the doc comment gives, and every other cmdlet of the module the help mentions.</summary>
    private static XElement RelatedLinks(CommandModel model, CommandText text, IReadOnlyList<CommandModel> all, string aboutTopic, Phrases phrases)
    {
        string words = string.Join("\n", new[] { text.Synopsis }.Concat(text.Description).Concat(text.Parameters.Values.SelectMany(v => v))
            .Concat(text.Examples.SelectMany(e => e.Remarks.Append(e.Code))));
        var mentioned = all.Where(c => c != model && Regex.IsMatch(words, @"(?<![\w-])" + Regex.Escape(c.Name) + @"(?![\w-])", RegexOptions.IgnoreCase))
            .Select(c => new LinkText(c.Name, string.Empty));
        // The online page first, as Get-Help -Online reads the first link's address.
        var online = string.IsNullOrEmpty(model.HelpUri) ? Array.Empty<LinkText>() : new[] { new LinkText(phrases.OnlineVersion, model.HelpUri!) };
        var links = online.Concat(new[] { new LinkText(aboutTopic, string.Empty) }).Concat(text.Links).Concat(mentioned)
            .GroupBy(l => l.Text, StringComparer.OrdinalIgnoreCase).Select(g => g.First());
        return new XElement(Command + "relatedLinks", links.Select(l =>
            new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri))));
    }
}
