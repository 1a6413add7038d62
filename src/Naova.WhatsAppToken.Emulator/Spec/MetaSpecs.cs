using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Spec;

/// <summary>A param of an edge as Meta's spec gives it.</summary>
public sealed record ParamSpec(string Name, bool Required, string Type);

/// <summary>
/// One API of a node: <see cref="Endpoint"/> is the edge ("system_users"), or null for the node itself
/// ("#get", "#update", "#delete" in the spec files).
/// </summary>
public sealed record EdgeSpec(string Method, string? Endpoint, string? Returns, IReadOnlyList<ParamSpec> Params, string Source)
{
    public ParamSpec? Param(string name) => Params.FirstOrDefault(p => p.Name == name);
}

/// <summary>A node type: the fields GET /{id}?fields= may ask for, and its edges.</summary>
public sealed record NodeSpec(string Name, IReadOnlySet<string> Fields, IReadOnlyList<EdgeSpec> Edges, string Source)
{
    public EdgeSpec? Edge(string method, string? endpoint) =>
        Edges.FirstOrDefault(e => e.Method == method && e.Endpoint == endpoint);

    public bool HasEdge(string? endpoint) => Edges.Any(e => e.Endpoint == endpoint);
}

/// <summary>
/// Meta's published API specs (facebook-business-sdk-codegen, api_specs/specs), shipped in Specs/ with Meta's
/// LICENSE and embedded in this assembly: what the emulator holds every request to.
/// </summary>
public sealed class MetaSpecs
{
    public static readonly string[] Files =
        { "SystemUser", "User", "Business", "WhatsAppBusinessAccount", "Application", "AssignedUser" };

    private static readonly Lazy<MetaSpecs> Loaded = new(Load);

    private readonly Dictionary<string, NodeSpec> _nodes;
    private readonly Dictionary<string, IReadOnlyList<string>> _enums;

    private MetaSpecs(Dictionary<string, NodeSpec> nodes, Dictionary<string, IReadOnlyList<string>> enums)
    {
        _nodes = nodes;
        _enums = enums;
    }

    public static MetaSpecs Instance => Loaded.Value;

    public NodeSpec? Node(string name) => _nodes.TryGetValue(name, out NodeSpec? node) ? node : null;

    public NodeSpec RequireNode(string name) =>
        Node(name) ?? throw new InvalidOperationException($"Meta's spec for node type {name} is not shipped with the emulator.");

    /// <summary>The values of an enum type (enum_types.json), or null when the type is not an enum.</summary>
    public IReadOnlyList<string>? Enum(string type) => _enums.TryGetValue(type, out var values) ? values : null;

    /// <summary>"list&lt;x&gt;" -> ("x", true); "x" -> ("x", false).</summary>
    public static (string Item, bool IsList) ItemType(string type) =>
        type.StartsWith("list<", StringComparison.Ordinal) && type.EndsWith('>') ? (type[5..^1], true) : (type, false);

    private static MetaSpecs Load()
    {
        var nodes = new Dictionary<string, NodeSpec>(StringComparer.Ordinal);
        foreach (string name in Files)
        {
            using JsonDocument doc = JsonDocument.Parse(Read(name + ".json"));
            string source = "Specs/" + name + ".json";
            var fields = doc.RootElement.GetProperty("fields").EnumerateArray()
                .Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
            var edges = doc.RootElement.GetProperty("apis").EnumerateArray().Select(a =>
            {
                string? endpoint = a.TryGetProperty("endpoint", out JsonElement e) ? e.GetString() : null;
                string? returns = a.TryGetProperty("return", out JsonElement r) ? r.GetString() : null;
                var parameters = a.GetProperty("params").EnumerateArray().Select(p => new ParamSpec(
                    p.GetProperty("name").GetString()!,
                    p.TryGetProperty("required", out JsonElement req) && req.GetBoolean(),
                    p.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? "string" : "string")).ToArray();
                return new EdgeSpec(a.GetProperty("method").GetString()!, endpoint, returns, parameters, source);
            }).ToArray();
            nodes[name] = new NodeSpec(name, fields, edges, source);
        }
        var enums = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        using (JsonDocument doc = JsonDocument.Parse(Read("enum_types.json")))
        {
            foreach (JsonElement e in doc.RootElement.EnumerateArray())
                enums[e.GetProperty("name").GetString()!] = e.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToArray();
        }
        return new MetaSpecs(nodes, enums);
    }

    private static string Read(string file)
    {
        using Stream stream = typeof(MetaSpecs).Assembly.GetManifestResourceStream("Naova.WhatsAppToken.Emulator.Specs." + file)
            ?? throw new InvalidOperationException($"The embedded spec file {file} is missing from the emulator assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
