using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>
/// Finds the source line of a cmdlet or parameter from the portable PDB beside the assembly, so a build error points
/// at the doc comment to write. Without a PDB, errors still name the cmdlet and parameter, only without a line.
/// </summary>
internal sealed class SourceMap : IDisposable
{
    private readonly MetadataReaderProvider? _provider;
    private readonly MetadataReader? _pdb;

    public SourceMap(string assemblyPath)
    {
        string pdbPath = Path.ChangeExtension(assemblyPath, ".pdb");
        if (!File.Exists(pdbPath)) return;
        try
        {
            _provider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
            _pdb = _provider.GetMetadataReader();
        }
        catch (BadImageFormatException)
        {
            _provider?.Dispose();
            _provider = null;
            _pdb = null;
        }
    }

    public SourceLocation OfMember(MemberInfo member)
    {
        var method = member is PropertyInfo p ? p.GetMethod ?? p.SetMethod : null;
        return method == null ? SourceLocation.Unknown : OfMethod(method.MetadataToken);
    }

    /// <summary>The file of the type's first method with a line, and the line of its class declaration in that file.</summary>
    public SourceLocation OfType(Type type)
    {
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        var file = type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared))
            .Select(m => OfMethod(m.MetadataToken)).FirstOrDefault(l => l.File != null)?.File;
        if (file == null || !File.Exists(file)) return new SourceLocation(file, 0);
        var declaration = new Regex(@"\bclass\s+" + Regex.Escape(type.Name) + @"\b");
        var lines = File.ReadAllLines(file);
        int index = Array.FindIndex(lines, l => declaration.IsMatch(l));
        return new SourceLocation(file, index + 1);
    }

    private SourceLocation OfMethod(int token)
    {
        if (_pdb == null) return SourceLocation.Unknown;
        var handle = MetadataTokens.MethodDefinitionHandle(token & 0x00FFFFFF);
        var info = _pdb.GetMethodDebugInformation(handle.ToDebugInformationHandle());
        foreach (var point in info.GetSequencePoints())
        {
            if (point.IsHidden) continue;
            return new SourceLocation(_pdb.GetString(_pdb.GetDocument(point.Document).Name), point.StartLine);
        }
        return SourceLocation.Unknown;
    }

    /// <summary>
    /// The initializer of the auto-property declared at <paramref name="location"/> (the text after "} =" on its line),
    /// or null: what the code gives a parameter that is not bound, read from the source because metadata does not keep it.
    /// </summary>
    public string? InitializerAt(SourceLocation location)
    {
        if (location.File == null || location.Line <= 0 || !File.Exists(location.File)) return null;
        if (!_lines.TryGetValue(location.File, out var lines)) _lines[location.File] = lines = File.ReadAllLines(location.File);
        if (location.Line > lines.Length) return null;
        var match = Initializer.Match(lines[location.Line - 1]);
        return match.Success ? match.Groups["value"].Value.Trim() : null;
    }

    private static readonly Regex Initializer = new(@"\{\s*get;[^}]*\}\s*=\s*(?<value>.+?);\s*$");

    private readonly Dictionary<string, string[]> _lines = new(StringComparer.Ordinal);

    public void Dispose() => _provider?.Dispose();
}
