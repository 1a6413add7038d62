using System.Xml;
using System.Xml.Linq;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>
/// One culture's help text, kept beside the code in Help/&lt;culture&gt;/: one file per cmdlet, named after it
/// (&lt;command name="New-WaToken"&gt; with synopsis, description, a parameter per parameter, and an example per
/// English example, in the same order, with its title and remarks; the code is always the English example's), and
/// _shared.xml for parameters inherited from a base class and for output types. A missing text or a text for
/// something that no longer exists is a build warning (a rename shows as both), so a translation can not silently fall
/// behind the code.
/// </summary>
internal sealed class Translation
{
    public const string SharedFile = "_shared.xml";

    private readonly Dictionary<string, (XElement Root, string File)> _commands;
    private readonly Dictionary<(string Name, string DeclaredBy), XElement> _sharedParameters;
    private readonly Dictionary<string, XElement> _types;
    private readonly string _sharedPath;

    private Translation(string culture, string folder, Dictionary<string, (XElement, string)> commands,
        Dictionary<(string, string), XElement> sharedParameters, Dictionary<string, XElement> types)
    {
        Culture = culture;
        Folder = folder;
        _commands = commands;
        _sharedParameters = sharedParameters;
        _types = types;
        _sharedPath = Path.Combine(folder, SharedFile);
    }

    public string Culture { get; }

    public string Folder { get; }

    public static Translation Load(string folder, Diagnostics diagnostics)
    {
        var commands = new Dictionary<string, (XElement, string)>(StringComparer.OrdinalIgnoreCase);
        var shared = new Dictionary<(string, string), XElement>();
        var types = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder, "*.xml").OrderBy(f => f, StringComparer.Ordinal))
        {
            XElement root;
            try
            {
                root = XDocument.Load(file, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace).Root!;
            }
            catch (XmlException ex)
            {
                diagnostics.Error(new SourceLocation(file, ex.LineNumber), "NWH210", "Not well-formed XML: " + ex.Message);
                continue;
            }
            if (Path.GetFileName(file) == SharedFile)
            {
                foreach (var p in root.Elements("parameter"))
                    shared[((string?)p.Attribute("name") ?? string.Empty, (string?)p.Attribute("declaredBy") ?? string.Empty)] = p;
                foreach (var t in root.Elements("type"))
                    types[(string?)t.Attribute("name") ?? string.Empty] = t;
                continue;
            }
            string name = (string?)root.Attribute("name") ?? string.Empty;
            if (root.Name.LocalName != "command" || !string.Equals(name + ".xml", Path.GetFileName(file), StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Error(At(file, root), "NWH210", $"Expected <command name=\"{Path.GetFileNameWithoutExtension(file)}\"> as the root of {Path.GetFileName(file)}.");
                continue;
            }
            commands[name] = (root, file);
        }
        return new Translation(Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar, '/')), folder, commands, shared, types);
    }

    public CommandText For(CommandModel command, CommandText english, Diagnostics diagnostics)
    {
        string expected = Path.Combine(Folder, command.Name + ".xml");
        if (!_commands.TryGetValue(command.Name, out var entry))
        {
            diagnostics.Error(new SourceLocation(expected, 0), "NWH201", $"{command.Name} has no {Culture} help: create {expected} with its synopsis, description, parameters and examples (see the other files there).");
            return english;
        }
        var (root, file) = entry;
        string synopsis = Text(root.Element("synopsis"));
        if (synopsis.Length == 0) diagnostics.Error(At(file, root), "NWH202", $"{command.Name} has no {Culture} <synopsis>.");
        var description = Paras(root.Element("description"));
        if (description.Count == 0) diagnostics.Error(At(file, root), "NWH203", $"{command.Name} has no {Culture} <description>.");

        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var own = root.Elements("parameter").ToDictionary(p => (string?)p.Attribute("name") ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in command.Parameters.Where(p => !p.DontShow))
        {
            if (!own.TryGetValue(parameter.Name, out var element) && parameter.DeclaringTypeFullName != command.TypeFullName)
                _sharedParameters.TryGetValue((parameter.Name, parameter.DeclaringTypeName), out element);
            var text = Paras(element);
            if (text.Count == 0)
            {
                string hint = parameter.DeclaringTypeFullName == command.TypeFullName
                    ? $"add <parameter name=\"{parameter.Name}\">...</parameter> to {file}"
                    : $"add <parameter name=\"{parameter.Name}\">...</parameter> to {file}, or <parameter name=\"{parameter.Name}\" declaredBy=\"{parameter.DeclaringTypeName}\"> to {_sharedPath} for every cmdlet that inherits it";
                diagnostics.Error(At(file, root), "NWH204", $"{command.Name} -{parameter.Name} has no {Culture} description: {hint}.");
            }
            parameters[parameter.Name] = text;
        }
        foreach (var (name, element) in own)
            if (!command.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                diagnostics.Warning(At(file, element), "NWH208", $"{command.Name} has no parameter -{name}: remove or rename this {Culture} text.");

        var exampleElements = root.Elements("example").ToList();
        if (exampleElements.Count != english.Examples.Count)
            diagnostics.Error(At(file, root), "NWH205", $"{command.Name} has {english.Examples.Count} English example(s) and {exampleElements.Count} in {Culture}: give one <example> per English example, in the same order.");
        var examples = new List<ExampleText>();
        for (int i = 0; i < english.Examples.Count; i++)
        {
            var element = i < exampleElements.Count ? exampleElements[i] : null;
            string? title = DocComments.Clean((string?)element?.Attribute("title"));
            var remarks = Paras(element);
            if (element != null && remarks.Count == 0)
                diagnostics.Error(At(file, element), "NWH206", $"{command.Name}: {Culture} example {i + 1} has no <para> remarks.");
            if (element != null && english.Examples[i].Title != null && title == null)
                diagnostics.Error(At(file, element), "NWH206", $"{command.Name}: {Culture} example {i + 1} needs a title attribute, as the English one has.");
            examples.Add(new ExampleText(title, english.Examples[i].Code, remarks));
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (type, _) in english.Outputs)
        {
            var ownOutput = root.Elements("output").FirstOrDefault(o => (string?)o.Attribute("type") == type);
            string text = ownOutput != null ? Text(ownOutput) : _types.TryGetValue(type, out var t) ? Text(t) : string.Empty;
            if (text.Length == 0)
                diagnostics.Error(new SourceLocation(_sharedPath, 0), "NWH209", $"Output type {type} of {command.Name} has no {Culture} description: add <type name=\"{type}\">...</type> to {_sharedPath}, or <output type=\"{type}\">...</output> to {file}.");
            else outputs[type] = text;
        }

        var links = root.Elements("link").Select(l => new LinkText(Text(l), (string?)l.Attribute("uri") ?? string.Empty)).ToList();
        return new CommandText
        {
            Synopsis = synopsis,
            Description = description,
            Parameters = parameters,
            Examples = examples,
            Links = links.Count > 0 ? links : english.Links,
            Outputs = outputs,
        };
    }

    /// <summary>Texts for cmdlets the module no longer has: stale, and a warning so they get moved or removed.</summary>
    public void CheckOrphans(IEnumerable<CommandModel> commands, Diagnostics diagnostics)
    {
        var names = new HashSet<string>(commands.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, (root, file)) in _commands)
            if (!names.Contains(name))
                diagnostics.Warning(At(file, root), "NWH207", $"The module has no cmdlet {name}: remove or rename {file}.");
    }

    private static SourceLocation At(string file, XElement element) =>
        new(file, ((IXmlLineInfo)element).HasLineInfo() ? ((IXmlLineInfo)element).LineNumber : 0);

    private static string Text(XElement? element) => element == null ? string.Empty : DocComments.Text(element);

    /// <summary>The element's &lt;para&gt; children, or its own text when it has none.</summary>
    private static IReadOnlyList<string> Paras(XElement? element)
    {
        if (element == null) return Array.Empty<string>();
        var paras = element.Elements("para").Select(DocComments.Text).Where(t => t.Length > 0).ToList();
        if (paras.Count > 0) return paras;
        string text = DocComments.Text(element);
        return text.Length > 0 ? new[] { text } : Array.Empty<string>();
    }
}
