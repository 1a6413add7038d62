namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>One Graph call, independent of HTTP: what the core handles, alone or as a batch item.</summary>
internal sealed record GraphRequest(
    string Method,
    string Path,
    GraphParameters Parameters,
    string? Token,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>True for an item of a batch (no nested batch, debug_token per option).</summary>
    public bool InBatch { get; init; }

    /// <summary>The batch request an item came in, whose token and appsecret_proof it may borrow.</summary>
    public GraphRequest? Batch { get; init; }

    public static readonly IReadOnlyDictionary<string, string> NoHeaders =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
