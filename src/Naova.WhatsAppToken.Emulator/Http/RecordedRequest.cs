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
    int Status)
{
    /// <summary>The method it was served as: <see cref="Method"/>, or GET for a POST with method=GET.</summary>
    public string ServedAs { get; init; } = "";

    /// <summary>The value of its `method` parameter (GET, DELETE), if it had one: the override, whether or not it was honoured.</summary>
    public string? MethodParam { get; init; }

    /// <summary>The top-level names in its `fields` parameter (names of fields are not secrets).</summary>
    public IReadOnlyList<string> Fields { get; init; } = Array.Empty<string>();

    /// <summary>The requests inside a batch (POST / with batch=[...]), in order; empty for any other request.</summary>
    public IReadOnlyList<RecordedBatchItem> BatchItems { get; init; } = Array.Empty<RecordedBatchItem>();

    /// <summary>When it arrived and when it was handled (<see cref="System.Diagnostics.Stopwatch"/> timestamps; latency lies between): a benchmark's timeline.</summary>
    public long ArrivedAt { get; init; }

    public long HandledAt { get; init; }

    public string Served => ServedAs.Length > 0 ? ServedAs : Method;
}

/// <summary>One request of a batch: its method, path, parameter names (from relative_url and body) and fields.</summary>
public sealed record RecordedBatchItem(string Method, string Path, IReadOnlyList<string> Keys, IReadOnlyList<string> Fields);
