using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// Graph's answers read by compile-time generated code (System.Text.Json source generation), not by reflection:
    /// no converter tables, no emitted accessors on a command's first call, and code that ReadyToRun can precompile.
    /// A type not listed here is still read, by the reflection resolver behind it.
    /// </summary>
    [JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
    [JsonSerializable(typeof(AppInfo))]
    [JsonSerializable(typeof(SystemUserInfo))]
    [JsonSerializable(typeof(DebugTokenData))]
    [JsonSerializable(typeof(DebugTokenAnswer))]
    [JsonSerializable(typeof(GraphPage<SystemUserInfo>))]
    [JsonSerializable(typeof(GraphPage<AssignedApp>))]
    [JsonSerializable(typeof(GraphPage<AssignedUser>))]
    [JsonSerializable(typeof(GraphPage<WhatsAppAccountInfo>))]
    [JsonSerializable(typeof(GraphPage<AppInfo>))]
    [JsonSerializable(typeof(GraphPage<PhoneNumberInfo>))]
    [JsonSerializable(typeof(GraphPage<WhatsAppAccountDetails>))]
    [JsonSerializable(typeof(GraphPage<BusinessAppInfo>))]
    [JsonSerializable(typeof(GraphPage<BusinessUserInfo>))]
    [JsonSerializable(typeof(List<string>))]
    internal sealed partial class GraphJsonContext : JsonSerializerContext
    {
        /// <summary>The options every answer is read with: the generated code first, reflection for anything else.</summary>
        internal static JsonSerializerOptions CreateOptions() => new JsonSerializerOptions
        {
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver()),
        };
    }

    /// <summary>One debug_token answer, as a batch item's body holds it: read straight into its data, in one pass.</summary>
    internal sealed class DebugTokenAnswer
    {
        [JsonPropertyName("data")] public DebugTokenData? Data { get; set; }
    }
}
