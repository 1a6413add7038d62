using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>
/// POST / batch=[{method, relative_url, body?, name?}] (docs/graph-api.md section 7): each item runs through
/// the same core, in order, with the top-level token unless its relative_url or body carries its own.
/// JSONPath references between items ("{result=name:$.id}") are not supported.
/// </summary>
internal static class BatchHandler
{
    public const int MaxItems = 50;

    public static GraphResponse Handle(GraphRequest top, GraphCore core, FaultInjector faults, EmulatorOptions options,
        World world, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(top.Token))
        {
            Caller caller = Caller.Resolve(world, top.Token, now);
            AppSecretProof.Check(top.Parameters, caller, now, caller.App.RequireAppSecretProof);
        }
        JsonElement[] items = ParseItems(top.Parameters.Get("batch")!);
        if (items.Length > MaxItems)
            throw GraphErrors.Param($"(#100) Too many requests in batch message. Maximum batch size is {MaxItems}");
        GraphRequest[] requests = items.Select(item => ToRequest(item, top)).ToArray();

        bool includeHeaders = top.Parameters.Get("include_headers")?.Trim().ToLowerInvariant() != "false";
        IReadOnlySet<int> nullPositions = faults.TakeBatchPositions();
        var answers = new JsonArray();
        for (int i = 0; i < requests.Length; i++)
        {
            if (nullPositions.Contains(i) || faults.TakeNullBatchItem())
            {
                answers.Add(null);
                continue;
            }
            GraphResponse response = !options.DebugTokenInBatch && IsDebugToken(requests[i])
                ? Refused(core, requests[i])
                : core.Handle(requests[i]);
            answers.Add(Answer(response, includeHeaders));
        }
        return GraphResponse.Ok(answers);
    }

    /// <summary>A debug_token item refused here, not by the core: the request log still sees what it carried.</summary>
    private static GraphResponse Refused(GraphCore core, GraphRequest item)
    {
        core.Observe(item);
        return DebugTokenRefused();
    }

    private static JsonElement[] ParseItems(string batch)
    {
        try
        {
            JsonElement root = JsonDocument.Parse(batch).RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
                return root.EnumerateArray().ToArray();
        }
        catch (JsonException)
        {
        }
        throw GraphErrors.Param("(#100) The parameter batch must be a non-empty JSON array of requests");
    }

    private static GraphRequest ToRequest(JsonElement item, GraphRequest top)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw GraphErrors.Param("(#100) Each request in a batch must be a JSON object");
        string method = Text(item, "method") ?? "GET";
        string url = Text(item, "relative_url") ?? throw GraphErrors.Param("(#100) Each request in a batch needs a relative_url");
        int q = url.IndexOf('?');
        string path = "/" + (q >= 0 ? url[..q] : url).TrimStart('/');
        var parameters = new GraphParameters();
        if (q >= 0) AddForm(parameters, url[(q + 1)..]);
        if (item.TryGetProperty("body", out JsonElement body))
        {
            if (body.ValueKind == JsonValueKind.String) AddForm(parameters, body.GetString()!);
            else if (body.ValueKind == JsonValueKind.Object) JsonParameters.AddObject(parameters, body);
        }

        string? own = parameters.GetNonEmpty("access_token");
        if (own is null)
        {
            // An item that borrows the top-level token borrows its proof too.
            parameters.AddIfMissing("appsecret_proof", top.Parameters.Get("appsecret_proof"));
            parameters.AddIfMissing("appsecret_time", top.Parameters.Get("appsecret_time"));
        }
        return new GraphRequest(method.ToUpperInvariant(), path, parameters, own ?? top.Token, GraphRequest.NoHeaders)
        {
            InBatch = true,
            Batch = top,
        };
    }

    private static void AddForm(GraphParameters parameters, string form)
    {
        foreach (var (key, values) in QueryHelpers.ParseQuery(form))
            foreach (string? value in values)
                parameters.Add(key, value ?? "");
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsDebugToken(GraphRequest r) =>
        GraphPath.Parse(r.Path).Segments is ["debug_token"];

    /// <summary>Meta does not document debug_token in a batch; with the option off the item fails like this.</summary>
    private static GraphResponse DebugTokenRefused() =>
        new(400, GraphErrors.Envelope(GraphErrors.OAuth, 100,
            "(#100) debug_token is not supported inside a batch request: call it on its own"));

    private static JsonObject Answer(GraphResponse response, bool includeHeaders)
    {
        var answer = new JsonObject { ["code"] = response.Status };
        if (includeHeaders)
        {
            var headers = new JsonArray(
                new JsonObject { ["name"] = "Content-Type", ["value"] = "application/json; charset=UTF-8" },
                new JsonObject { ["name"] = "Cache-Control", ["value"] = "private, no-cache, no-store, must-revalidate" });
            foreach (var (name, value) in response.Headers)
                headers.Add(new JsonObject { ["name"] = name, ["value"] = value });
            answer["headers"] = headers;
        }
        answer["body"] = response.BodyText;
        return answer;
    }
}
