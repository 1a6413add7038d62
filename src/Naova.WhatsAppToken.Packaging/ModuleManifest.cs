using System.Collections;
using System.Management.Automation.Language;

namespace Naova.WhatsAppToken.Packaging;

/// <summary>
/// A module manifest's data, read the way Import-PowerShellDataFile reads it: PowerShell's parser and SafeGetValue,
/// which evaluate constants only, so reading a manifest never runs code from it.
/// </summary>
public sealed class ModuleManifest
{
    private readonly Hashtable _data;

    private ModuleManifest(string name, string path, Hashtable data)
    {
        Name = name;
        Path = path;
        _data = data;
    }

    public string Name { get; }

    public string Path { get; }

    public static ModuleManifest Read(string path)
    {
        var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
            throw new PackagingException($"{path}: {errors[0].Message} (line {errors[0].Extent.StartLineNumber})");
        if (ast.Find(a => a is HashtableAst, false) is not HashtableAst table)
            throw new PackagingException($"{path} holds no hashtable.");
        object? value;
        try
        {
            value = table.SafeGetValue();
        }
        catch (InvalidOperationException ex)
        {
            throw new PackagingException($"{path} holds more than data: {ex.Message}");
        }
        return new ModuleManifest(System.IO.Path.GetFileNameWithoutExtension(path), path, (Hashtable)value!);
    }

    public string? Text(string key) => Get(_data, key)?.ToString();

    public string[] List(string key) => Strings(Get(_data, key));

    public string? PSDataText(string key) => Get(PSData, key)?.ToString();

    public string[] PSDataList(string key) => Strings(Get(PSData, key));

    /// <summary>ModuleVersion, with PSData.Prerelease as the NuGet prerelease label, as Publish-Module does.</summary>
    public string PackageVersion
    {
        get
        {
            string version = Text("ModuleVersion") ?? throw new PackagingException($"{Path} has no ModuleVersion.");
            string? prerelease = PSDataText("Prerelease");
            return string.IsNullOrWhiteSpace(prerelease) ? version : version + "-" + prerelease.TrimStart('-');
        }
    }

    /// <summary>RequiredModules as (name, minimum version, exact version) whatever form each entry takes.</summary>
    public IEnumerable<(string Name, string? MinimumVersion, string? RequiredVersion)> RequiredModules()
    {
        foreach (object? entry in AsEnumerable(Get(_data, "RequiredModules")))
        {
            if (entry is Hashtable spec)
                yield return (Get(spec, "ModuleName")?.ToString() ?? throw new PackagingException($"{Path}: a RequiredModules entry has no ModuleName."),
                    Get(spec, "ModuleVersion")?.ToString(), Get(spec, "RequiredVersion")?.ToString());
            else if (entry != null)
                yield return (entry.ToString()!, null, null);
        }
    }

    private Hashtable? PSData => Get(Get(_data, "PrivateData") as Hashtable, "PSData") as Hashtable;

    /// <summary>Keys as PowerShell compares them: without regard to case.</summary>
    private static object? Get(Hashtable? table, string key)
    {
        if (table == null) return null;
        foreach (DictionaryEntry entry in table)
            if (string.Equals(entry.Key?.ToString(), key, StringComparison.OrdinalIgnoreCase)) return entry.Value;
        return null;
    }

    private static IEnumerable<object?> AsEnumerable(object? value) =>
        value switch
        {
            null => Array.Empty<object?>(),
            string s => new object?[] { s },
            IEnumerable items => items.Cast<object?>(),
            _ => new[] { value },
        };

    private static string[] Strings(object? value) =>
        AsEnumerable(value).Where(v => v != null).Select(v => v!.ToString()!).Where(s => s.Length > 0).ToArray();
}

public sealed class PackagingException : Exception
{
    public PackagingException(string message) : base(message) { }
}
