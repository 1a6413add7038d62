using System.Text.Json.Nodes;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Http;

/// <summary>
/// A request as the emulator saw it, and its answer, for tests that hold both to the spec. Secret values are not
/// kept: a body's "value" string is replaced by its length.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    JsonNode? Body,
    bool Authorized,
    int Status,
    JsonNode? Answer,
    string? OperationId)
{
    public override string ToString() => $"{Method} {Path}?{string.Join('&', Query.Select(q => q.Key + "=" + q.Value))} -> {Status}";
}
