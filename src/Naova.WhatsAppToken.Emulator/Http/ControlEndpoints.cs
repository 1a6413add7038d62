using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.Faults;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Http;

/// <summary>
/// The emulator's own endpoints, for rehearsals driven from outside the process:
/// GET /_emulator/state, POST|DELETE /_emulator/faults, POST /_emulator/clock,
/// POST /_emulator/tokens/invalidate, POST /_emulator/settings.
/// </summary>
internal sealed class ControlEndpoints
{
    private readonly GraphEmulator _emulator;

    public ControlEndpoints(GraphEmulator emulator) => _emulator = emulator;

    public async Task HandleAsync(HttpContext ctx)
    {
        string path = ctx.Request.Path.Value!.TrimEnd('/');
        string method = ctx.Request.Method;
        try
        {
            JsonNode answer = (path, method) switch
            {
                ("/_emulator/state", "GET") => State(),
                ("/_emulator/faults", "POST") => AddFaults(await BodyAsync(ctx)),
                ("/_emulator/faults", "DELETE") => ClearFaults(),
                ("/_emulator/clock", "POST") => MoveClock(await BodyAsync(ctx)),
                ("/_emulator/tokens/invalidate", "POST") => Invalidate(await BodyAsync(ctx)),
                ("/_emulator/settings", "POST") => Settings(await BodyAsync(ctx)),
                _ => throw new KeyNotFoundException($"No emulator endpoint {method} {path}."),
            };
            await ResponseWriter.WriteAsync(ctx, 200, ResponseWriter.JsonContentType, answer.ToJsonString(Json.Options), Array.Empty<KeyValuePair<string, string>>(), null);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            int status = e is KeyNotFoundException ? 404 : 400;
            string body = new JsonObject { ["error"] = new JsonObject { ["message"] = e.Message } }.ToJsonString(Json.Options);
            await ResponseWriter.WriteAsync(ctx, status, ResponseWriter.JsonContentType, body, Array.Empty<KeyValuePair<string, string>>(), null);
        }
    }

    private JsonObject State()
    {
        JsonObject state = StateSnapshot.Build(_emulator.State, _emulator.Clock.Now);
        state["requestCount"] = _emulator.RequestCount;
        state["acceptedConnections"] = _emulator.AcceptedConnections;
        state["openConnections"] = _emulator.OpenConnections;
        state["inspectedTokens"] = new JsonArray(_emulator.InspectedTokens.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        state["pendingFaults"] = _emulator.Faults.Pending;
        state["latencyMs"] = _emulator.Faults.Latency.TotalMilliseconds;
        return state;
    }

    private JsonObject AddFaults(JsonElement body)
    {
        int applied = FaultJson.Apply(body, _emulator.Faults);
        return new JsonObject { ["success"] = true, ["applied"] = applied, ["pending"] = _emulator.Faults.Pending };
    }

    private JsonObject ClearFaults()
    {
        _emulator.Faults.Clear();
        return new JsonObject { ["success"] = true };
    }

    /// <summary>{"advanceSeconds":N} or {"set":"2026-09-01T00:00:00Z"}.</summary>
    private JsonObject MoveClock(JsonElement body)
    {
        if (body.TryGetProperty("set", out JsonElement set)) _emulator.Clock.Set(set.GetDateTimeOffset());
        if (body.TryGetProperty("advanceSeconds", out JsonElement advance)) _emulator.Clock.Advance(TimeSpan.FromSeconds(advance.GetDouble()));
        return new JsonObject { ["now"] = Projections.Time(_emulator.Clock.Now), ["unix"] = _emulator.Clock.UnixNow };
    }

    /// <summary>{"fingerprint":"abc123def456","subcode":460}.</summary>
    private JsonObject Invalidate(JsonElement body)
    {
        string fingerprint = body.GetProperty("fingerprint").GetString() ?? "";
        int subcode = body.TryGetProperty("subcode", out JsonElement s) ? s.GetInt32() : 467;
        bool found = _emulator.State.InvalidateTokenByFingerprint(fingerprint, subcode);
        return found ? new JsonObject { ["success"] = true } : throw new KeyNotFoundException($"No token with fingerprint {fingerprint}.");
    }

    /// <summary>{"requireExpiringTokens":true}.</summary>
    private JsonObject Settings(JsonElement body)
    {
        if (body.TryGetProperty("requireExpiringTokens", out JsonElement require))
            _emulator.State.SetRequireExpiringTokens(_emulator.State.BusinessId, require.GetBoolean());
        return new JsonObject { ["success"] = true, ["requireExpiringTokens"] = _emulator.State.GetRequireExpiringTokens() };
    }

    private static async Task<JsonElement> BodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        string text = await reader.ReadToEndAsync(ctx.RequestAborted);
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text).RootElement;
    }
}
