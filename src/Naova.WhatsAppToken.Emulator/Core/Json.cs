using System.Text.Encodings.Web;
using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Core;

internal static class Json
{
    /// <summary>Writes "+0000" and "&lt;" as they are, as Graph does, instead of \u002B escapes.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
