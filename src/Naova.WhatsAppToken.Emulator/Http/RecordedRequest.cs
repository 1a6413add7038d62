namespace Naova.WhatsAppToken.Emulator;

/// <summary>Where the caller's token came in (several flags when it came in several places).</summary>
[Flags]
public enum TokenLocation
{
    None = 0,
    Header = 1,
    Query = 2,
    Body = 4,
}

/// <summary>
/// One HTTP request as the emulator saw it: parameter names only, never values, so no token text
/// or secret is kept. <see cref="Status"/> is 0 for a dropped connection.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyList<string> QueryKeys,
    IReadOnlyList<string> BodyKeys,
    TokenLocation TokenIn,
    DateTimeOffset Time,
    int Status);
