namespace Naova.WhatsAppToken.HelpGen;

/// <summary>Where a problem is, for MSBuild's "file(line): error CODE: text" format, so an IDE can jump there.</summary>
internal sealed record SourceLocation(string? File, int Line)
{
    public static readonly SourceLocation Unknown = new(null, 0);

    public override string ToString() => File == null ? "HelpGen" : Line > 0 ? $"{File}({Line})" : File;
}

/// <summary>Everything wrong with the help sources, reported all at once rather than one per build.</summary>
internal sealed class Diagnostics
{
    private readonly List<string> _errors = new();
    private readonly List<string> _warnings = new();

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>A problem that fails the build; the code groups them (NWH1xx: doc comments, NWH2xx: translations).</summary>
    public void Error(SourceLocation where, string code, string message) => _errors.Add($"{where}: error {code}: {message}");

    public void Warning(SourceLocation where, string code, string message) => _warnings.Add($"{where}: warning {code}: {message}");
}
