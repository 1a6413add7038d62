using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>A Graph path split into an optional version ("v26.0") and its segments.</summary>
internal sealed partial record GraphPath(string? Version, string[] Segments)
{
    public string Relative => string.Join('/', Segments);

    public static GraphPath Parse(string path)
    {
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && VersionPattern().IsMatch(segments[0]))
            return new GraphPath(segments[0], segments[1..]);
        return new GraphPath(null, segments);
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();
}
