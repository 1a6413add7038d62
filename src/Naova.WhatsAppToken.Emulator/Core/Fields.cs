using System.Text.Json.Nodes;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>A node's readable fields, and the `fields` parameter applied to them.</summary>
internal sealed class NodeFields<T>
{
    private readonly string _nodeType;
    private readonly string[] _defaults;
    private readonly Dictionary<string, Func<T, JsonNode?>> _fields = new(StringComparer.Ordinal);

    public NodeFields(string nodeType, params string[] defaults)
    {
        _nodeType = nodeType;
        _defaults = defaults;
    }

    public NodeFields<T> Add(string name, Func<T, JsonNode?> read)
    {
        _fields[name] = read;
        return this;
    }

    /// <summary>The requested fields (or the defaults) of <paramref name="item"/>; "id" always comes first.</summary>
    public JsonObject Project(T item, GraphParameters p, string[]? defaults = null)
    {
        IReadOnlyList<string> names = Requested(p.Get("fields")) ?? defaults ?? _defaults;
        var result = new JsonObject();
        if (_fields.ContainsKey("id")) result["id"] = _fields["id"](item);
        foreach (string name in names)
        {
            if (!_fields.TryGetValue(name, out var read))
                throw GraphErrors.Param($"(#100) Tried accessing nonexisting field ({name}) on node type ({_nodeType})");
            if (name != "id") result[name] = read(item);
        }
        return result;
    }

    /// <summary>"id,name,created_by{id,name}" -> id, name, created_by.</summary>
    private static IReadOnlyList<string>? Requested(string? fields)
    {
        if (string.IsNullOrWhiteSpace(fields)) return null;
        var names = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= fields.Length; i++)
        {
            char ch = i < fields.Length ? fields[i] : ',';
            if (ch == '{') depth++;
            else if (ch == '}') depth--;
            else if (ch == ',' && depth == 0)
            {
                string part = fields[start..i];
                int brace = part.IndexOf('{');
                string name = (brace >= 0 ? part[..brace] : part).Trim();
                int dot = name.IndexOf('.');
                if (dot >= 0) name = name[..dot];
                if (name.Length > 0) names.Add(name);
                start = i + 1;
            }
        }
        return names;
    }
}
