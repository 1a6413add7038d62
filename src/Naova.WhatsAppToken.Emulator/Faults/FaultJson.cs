using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Faults;

/// <summary>
/// The JSON form of faults for POST /_emulator/faults: one object or an array of them, e.g.
/// {"kind":"throttle","code":80008,"count":2,"pathContains":"system_users","estimatedMinutes":10,"retryAfterSeconds":60}
/// ("skip":N lets the first N matching requests through first), or control keys {"latencyMs":200}, {"nullBatchItems":2}, {"nullBatchItemsAt":[0,3]}.
/// </summary>
internal static class FaultJson
{
    private static readonly Dictionary<string, FaultKind> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["error"] = FaultKind.GraphError, ["raw"] = FaultKind.RawBody, ["drop"] = FaultKind.DropConnection,
        ["headers"] = FaultKind.ExtraHeaders, ["huge"] = FaultKind.HugeBody, ["empty"] = FaultKind.EmptyBody,
        ["truncated"] = FaultKind.TruncatedJson, ["invalid"] = FaultKind.InvalidJson, ["nulls"] = FaultKind.NullObjects,
    };

    /// <summary>Applies every entry to the injector; throws FormatException with a readable message.</summary>
    public static int Apply(JsonElement root, FaultInjector faults)
    {
        JsonElement[] entries = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : new[] { root };
        int applied = 0;
        foreach (JsonElement entry in entries)
        {
            if (entry.ValueKind != JsonValueKind.Object) throw new FormatException("Each fault must be a JSON object.");
            if (Int(entry, "latencyMs") is { } latency) { faults.Latency = TimeSpan.FromMilliseconds(latency); applied++; }
            if (Int(entry, "nullBatchItems") is { } nulls) { faults.NullBatchItems(nulls); applied++; }
            if (entry.TryGetProperty("nullBatchItemsAt", out JsonElement at))
            {
                faults.NullBatchItemsAt(at.EnumerateArray().Select(e => e.GetInt32()).ToArray());
                applied++;
            }
            if (Str(entry, "kind") is not { } kindText) continue;
            FaultSpec spec = Build(entry, Kind(kindText));
            faults.Enqueue(spec, Int(entry, "count") ?? 1, Str(entry, "pathContains"), Int(entry, "skip") ?? 0);
            applied++;
        }
        return applied;
    }

    private static FaultKind Kind(string text)
    {
        if (Aliases.TryGetValue(text, out FaultKind kind) || Enum.TryParse(text, ignoreCase: true, out kind)) return kind;
        throw new FormatException($"Unknown fault kind '{text}'. Known: {string.Join(", ", Enum.GetNames<FaultKind>())}.");
    }

    private static FaultSpec Build(JsonElement e, FaultKind kind)
    {
        FaultSpec spec = kind switch
        {
            FaultKind.GraphError => FaultSpec.GraphError(500, 1),
            FaultKind.ErrorIn200 => FaultSpec.ErrorIn200(),
            FaultKind.RawBody => FaultSpec.Raw(200, "application/json; charset=UTF-8", ""),
            FaultKind.Html => FaultSpec.Html(),
            FaultKind.EmptyBody => FaultSpec.EmptyBody(),
            FaultKind.TruncatedJson => FaultSpec.TruncatedJson(),
            FaultKind.InvalidJson => FaultSpec.InvalidJson(),
            FaultKind.WrongContentType => FaultSpec.WrongContentType(),
            FaultKind.HugeBody => FaultSpec.HugeBody(1024 * 1024),
            FaultKind.NullObjects => FaultSpec.NullObjects(),
            FaultKind.DropConnection => FaultSpec.DropConnection(),
            FaultKind.Throttle => FaultSpec.Throttle(),
            _ => FaultSpec.ExtraHeaders(new Dictionary<string, string>()),
        };
        return spec with
        {
            Status = Int(e, "status") ?? spec.Status,
            Code = Int(e, "code") ?? spec.Code,
            Subcode = Int(e, "subcode") ?? spec.Subcode,
            IsTransient = Bool(e, "isTransient") ?? spec.IsTransient,
            Message = Str(e, "message") ?? spec.Message,
            Type = Str(e, "type") ?? spec.Type,
            ContentType = Str(e, "contentType") ?? spec.ContentType,
            Body = Str(e, "body") ?? spec.Body,
            BodyBytes = Int(e, "bytes") ?? spec.BodyBytes,
            CallCount = Int(e, "callCount") ?? spec.CallCount,
            EstimatedMinutes = Int(e, "estimatedMinutes") ?? spec.EstimatedMinutes,
            RetryAfterSeconds = Int(e, "retryAfterSeconds") ?? spec.RetryAfterSeconds,
            UsageType = Str(e, "usageType") ?? spec.UsageType,
            Headers = e.TryGetProperty("headers", out JsonElement h) && h.ValueKind == JsonValueKind.Object
                ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                : spec.Headers,
            AfterHandling = Bool(e, "afterHandling") ?? spec.AfterHandling,
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}
