using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Naova.WhatsAppToken.Emulator.Core;

namespace Naova.WhatsAppToken.Emulator.Http;

/// <summary>What the request log keeps of a batch's items: names only, read leniently (a bad batch has no items).</summary>
internal static class BatchLog
{
    public static IReadOnlyList<RecordedBatchItem> Items(string? batch)
    {
        if (string.IsNullOrWhiteSpace(batch)) return Array.Empty<RecordedBatchItem>();
        try
        {
            using JsonDocument doc = JsonDocument.Parse(batch);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return Array.Empty<RecordedBatchItem>();
            var items = new List<RecordedBatchItem>();
            foreach (JsonElement item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) continue;
                string method = Text(item, "method")?.ToUpperInvariant() ?? "GET";
                string url = Text(item, "relative_url") ?? "";
                int q = url.IndexOf('?');
                var keys = new List<string>();
                string? fields = null;
                if (q >= 0)
                {
                    foreach (var (key, values) in QueryHelpers.ParseQuery(url[(q + 1)..]))
                    {
                        keys.Add(key);
                        if (key == "fields") fields = values.ToString();
                    }
                }
                if (item.TryGetProperty("body", out JsonElement body) && body.ValueKind == JsonValueKind.String)
                    keys.AddRange(QueryHelpers.ParseQuery(body.GetString()!).Keys);
                items.Add(new RecordedBatchItem(method, "/" + (q >= 0 ? url[..q] : url).TrimStart('/'), keys,
                    FieldNames.Parse(fields) ?? Array.Empty<string>()));
            }
            return items;
        }
        catch (JsonException)
        {
            return Array.Empty<RecordedBatchItem>();
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
