using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>A JSON object's properties as parameters: strings as they are, arrays and objects as JSON text.</summary>
internal static class JsonParameters
{
    public static void AddObject(GraphParameters parameters, JsonElement obj)
    {
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    break;
                case JsonValueKind.String:
                    parameters.Add(property.Name, property.Value.GetString()!);
                    break;
                case JsonValueKind.True:
                    parameters.Add(property.Name, "true");
                    break;
                case JsonValueKind.False:
                    parameters.Add(property.Name, "false");
                    break;
                default:
                    parameters.Add(property.Name, property.Value.GetRawText());
                    break;
            }
        }
    }
}
