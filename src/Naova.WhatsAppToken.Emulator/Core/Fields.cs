using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Spec;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// A node's readable fields, and the `fields` parameter applied to them. Which names may be asked is Meta's spec
/// of the node (plus the fields an edge adds, see <see cref="GraphSurface"/>); the readers here only say what the
/// emulator can answer. A spec field without a reader is left out of the answer, as Graph leaves out empty fields.
/// </summary>
internal sealed class NodeFields<T>
{
    private readonly string _nodeType;
    private readonly string[] _defaults;
    private readonly IReadOnlySet<string> _specFields;
    private readonly Dictionary<string, Func<T, JsonNode?>> _fields = new(StringComparer.Ordinal);

    public NodeFields(string nodeType, params string[] defaults)
    {
        _nodeType = nodeType;
        _defaults = defaults;
        _specFields = GraphSurface.NodeFields(nodeType);
    }

    public NodeFields<T> Add(string name, Func<T, JsonNode?> read)
    {
        _fields[name] = read;
        return this;
    }

    /// <summary>
    /// The requested fields (or the defaults) of <paramref name="item"/>; "id" always comes first. <paramref name="allowed"/>
    /// is what the edge that lists the item allows (the node's fields and those the edge adds); default the node's own.
    /// </summary>
    public JsonObject Project(T item, GraphParameters p, string[]? defaults = null, IReadOnlySet<string>? allowed = null)
    {
        IReadOnlyList<string> names = Requested(p.Get("fields")) ?? defaults ?? _defaults;
        allowed ??= _specFields;
        var result = new JsonObject();
        if (_fields.TryGetValue("id", out var readId)) result["id"] = readId(item);
        foreach (string name in names)
        {
            if (!allowed.Contains(name))
                throw GraphErrors.Param($"(#100) Tried accessing nonexisting field ({name}) on node type ({_nodeType})");
            if (name == "id" || !_fields.TryGetValue(name, out var read)) continue;
            if (read(item) is { } value) result[name] = value;
        }
        return result;
    }

    /// <summary>"id,name,created_by{id,name}" -> id, name, created_by.</summary>
    public static IReadOnlyList<string>? Requested(string? fields) => FieldNames.Parse(fields);
}

/// <summary>The top-level names of a `fields` parameter (nested selections and modifiers dropped).</summary>
public static class FieldNames
{
    public static IReadOnlyList<string>? Parse(string? fields)
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
