using System.Text.Json.Nodes;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>What the core answers: status, a JSON body, extra headers.</summary>
internal sealed class GraphResponse
{
    public GraphResponse(int status, JsonNode? body)
    {
        Status = status;
        Body = body;
    }

    public int Status { get; }
    public JsonNode? Body { get; }
    public List<KeyValuePair<string, string>> Headers { get; } = new();

    public string BodyText => Body?.ToJsonString(Json.Options) ?? "null";

    public static GraphResponse Ok(JsonNode? body) => new(200, body);

    public static GraphResponse Success() => Ok(new JsonObject { ["success"] = true });
}
