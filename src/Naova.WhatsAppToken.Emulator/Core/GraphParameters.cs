using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// Request parameters merged from every source (query, form, multipart, JSON body, batch item).
/// A key keeps every value it was given; <see cref="Get"/> answers the first one, so a later
/// source never hides an earlier one. "asset[]" and "asset[0]" are stored as "asset".
/// </summary>
internal sealed class GraphParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    public void Add(string key, string value)
    {
        string name = NormalizeKey(key);
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = new List<string>();
            _order.Add(name);
        }
        list.Add(value);
    }

    public void AddIfMissing(string key, string? value)
    {
        if (value is not null && !Has(key)) Add(key, value);
    }

    public bool Has(string key) => _values.ContainsKey(NormalizeKey(key));

    public string? Get(string key) =>
        _values.TryGetValue(NormalizeKey(key), out var list) && list.Count > 0 ? list[0] : null;

    /// <summary>Non-empty value or null.</summary>
    public string? GetNonEmpty(string key) => Get(key) is { Length: > 0 } v ? v.Trim() : null;

    public bool GetBool(string key) =>
        Get(key)?.Trim().ToLowerInvariant() is "true" or "1";

    /// <summary>
    /// An array parameter: every value is a JSON array (<c>["MANAGE"]</c>) or a comma list
    /// (<c>a,b,c</c>). Null when the parameter is absent.
    /// </summary>
    public IReadOnlyList<string>? GetList(string key)
    {
        if (!_values.TryGetValue(NormalizeKey(key), out var list)) return null;
        var items = new List<string>();
        foreach (string raw in list)
            items.AddRange(Split(key, raw));
        return items;
    }

    public IEnumerable<KeyValuePair<string, string>> All =>
        _order.SelectMany(k => _values[k].Select(v => new KeyValuePair<string, string>(k, v)));

    public IEnumerable<string> Keys => _order;

    private static IEnumerable<string> Split(string key, string raw)
    {
        string text = raw.Trim();
        if (text.StartsWith('['))
        {
            JsonElement array;
            try { array = JsonDocument.Parse(text).RootElement; }
            catch (JsonException) { throw GraphErrors.Param($"(#100) Param {key} must be a JSON array or a comma-separated list"); }
            foreach (JsonElement item in array.EnumerateArray())
            {
                string? value = item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText();
                if (!string.IsNullOrWhiteSpace(value)) yield return value.Trim();
            }
            yield break;
        }
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            yield return part;
    }

    private static string NormalizeKey(string key)
    {
        int bracket = key.IndexOf('[');
        return bracket > 0 && key.EndsWith(']') ? key[..bracket] : key;
    }
}
