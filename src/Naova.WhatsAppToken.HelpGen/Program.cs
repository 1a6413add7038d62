using System.Globalization;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>
/// Writes &lt;output&gt;/en-US/&lt;Assembly&gt;.dll-Help.xml from the XML doc comments and the cmdlet metadata, and the
/// same for each culture under --translations; with any cmdlet, parameter or translation undocumented it writes
/// nothing, prints every gap in MSBuild's error format and exits 1, which fails the build.
/// </summary>
/// <remarks>
/// Arguments (also one a line in an @response file, and as --option=value): --assembly PATH --docs PATH
/// --output FOLDER [--translations FOLDER] [--reference PATH]...
/// </remarks>
internal static class Program
{
    private const string English = "en-US";

    public static int Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(Expand(args));
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("HelpGen: error NWH001: " + ex.Message);
            return 2;
        }
        var diagnostics = new Diagnostics();
        int written;
        try
        {
            written = Generate(options, diagnostics);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or FileNotFoundException or System.Xml.XmlException or InvalidOperationException)
        {
            Console.WriteLine("HelpGen: error NWH000: " + ex);
            return 1;
        }
        foreach (string warning in diagnostics.Warnings) Console.WriteLine(warning);
        foreach (string error in diagnostics.Errors) Console.WriteLine(error);
        if (diagnostics.HasErrors)
        {
            Console.WriteLine($"HelpGen: error NWH100: {diagnostics.Errors.Count} help problem(s): every cmdlet needs a synopsis, a description and {CommandText.MinimumExamples}+ examples, every parameter a description, in English (XML doc comments) and in every culture under {options.Translations ?? "the translations folder"}.");
            return 1;
        }
        Console.WriteLine($"HelpGen: wrote help for {written} cmdlet(s) to {options.Output}");
        return 0;
    }

    private static int Generate(Options options, Diagnostics diagnostics)
    {
        string helpFile = Path.GetFileName(options.Assembly) + "-Help.xml";
        string about = "about_" + Path.GetFileNameWithoutExtension(options.Assembly);
        IReadOnlyList<CommandModel> commands;
        using (var sources = new SourceMap(options.Assembly))
            commands = CmdletReader.Read(options.Assembly, options.References, sources);
        var docs = DocComments.Load(options.Docs);
        var english = commands.Select(c => (Model: c, Text: CommandText.FromDocComments(c, docs, diagnostics))).ToList();

        var cultures = new List<(string Culture, List<(CommandModel, CommandText)> Commands)> { (English, english) };
        foreach (var translation in Translations(options.Translations, diagnostics))
        {
            translation.CheckOrphans(commands, diagnostics);
            cultures.Add((translation.Culture, english.Select(e => (e.Model, translation.For(e.Model, e.Text, diagnostics))).ToList()));
        }
        var targets = cultures.Select(c => c.Culture).ToList();
        if (diagnostics.HasErrors)
        {
            // No stale help survives a failed build: tests and users never see help older than the code.
            foreach (string culture in targets.Concat(Neutrals(targets)))
            {
                string stale = Path.Combine(options.Output, culture, helpFile);
                if (File.Exists(stale)) File.Delete(stale);
            }
            return 0;
        }
        foreach (var (culture, items) in cultures)
        {
            MamlWriter.Write(Path.Combine(options.Output, culture, helpFile), items, Phrases.For(culture), about);
            if (culture == English) continue;
            // es-MX or es-AR users find es-ES text through the neutral es folder, which Get-Help searches after theirs.
            string neutral = CultureInfo.GetCultureInfo(culture).Parent.Name;
            if (neutral.Length == 0 || targets.Contains(neutral, StringComparer.OrdinalIgnoreCase)) continue;
            MamlWriter.Write(Path.Combine(options.Output, neutral, helpFile), items, Phrases.For(culture), about);
            foreach (string topic in Directory.GetFiles(Path.Combine(options.Output, culture), "about_*.help.txt"))
                File.Copy(topic, Path.Combine(options.Output, neutral, Path.GetFileName(topic)), overwrite: true);
        }
        return commands.Count;
    }

    private static IEnumerable<string> Neutrals(IEnumerable<string> cultures) =>
        cultures.Where(c => c != English).Select(c => CultureInfo.GetCultureInfo(c).Parent.Name).Where(n => n.Length > 0);

    private static IEnumerable<Translation> Translations(string? folder, Diagnostics diagnostics)
    {
        if (folder == null || !Directory.Exists(folder)) yield break;
        foreach (string dir in Directory.GetDirectories(folder).OrderBy(d => d, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (!IsCulture(name))
            {
                diagnostics.Warning(new SourceLocation(dir, 0), "NWH002", $"{name} is not a culture name (like es-ES); its files are not used.");
                continue;
            }
            if (!Phrases.Has(name))
                diagnostics.Warning(new SourceLocation(dir, 0), "NWH003", $"No generated phrases for {name}: its help uses English ones for inputs, outputs and -WhatIf/-Confirm.");
            yield return Translation.Load(dir, diagnostics);
        }
    }

    private static bool IsCulture(string name)
    {
        try
        {
            return name.Contains('-') && string.Equals(CultureInfo.GetCultureInfo(name, predefinedOnly: true).Name, name, StringComparison.OrdinalIgnoreCase);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Expands @response files (one argument a line) and splits --option=value into two arguments.</summary>
    private static IEnumerable<string> Expand(IEnumerable<string> args) =>
        args.SelectMany(a => a.StartsWith('@') ? File.ReadAllLines(a.Substring(1)).Select(l => l.Trim()).Where(l => l.Length > 0) : new[] { a })
            .SelectMany(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=') ? new[] { a.Substring(0, a.IndexOf('=')), a.Substring(a.IndexOf('=') + 1) } : new[] { a });

    private sealed record Options(string Assembly, string Docs, string Output, string? Translations, IReadOnlyList<string> References)
    {
        public static Options Parse(IEnumerable<string> args)
        {
            string? assembly = null, docs = null, output = null, translations = null;
            var references = new List<string>();
            using var e = args.GetEnumerator();
            while (e.MoveNext())
            {
                string option = e.Current;
                if (!e.MoveNext()) throw new ArgumentException($"{option} needs a value.");
                switch (option)
                {
                    case "--assembly": assembly = e.Current; break;
                    case "--docs": docs = e.Current; break;
                    case "--output": output = e.Current; break;
                    case "--translations": translations = e.Current; break;
                    case "--reference": references.Add(e.Current); break;
                    default: throw new ArgumentException($"Unknown option {option}.");
                }
            }
            if (assembly == null || !File.Exists(assembly)) throw new ArgumentException($"--assembly: no file '{assembly}'.");
            if (docs == null || !File.Exists(docs)) throw new ArgumentException($"--docs: no file '{docs}' (is GenerateDocumentationFile on?).");
            if (output == null) throw new ArgumentException("--output is required.");
            return new Options(Path.GetFullPath(assembly), Path.GetFullPath(docs), Path.GetFullPath(output), translations == null ? null : Path.GetFullPath(translations), references);
        }
    }
}
