using System.Text;
using Naova.WhatsAppToken.Emulator.Core;

namespace Naova.WhatsAppToken.Emulator.Spec;

/// <summary>One endpoint and method as a client used it: how often, with which fields and params, and what broke the spec.</summary>
public sealed record ConformanceRow(string Endpoint, string Method, int Requests, IReadOnlyList<string> Fields,
    IReadOnlyList<string> Params, IReadOnlyList<string> Problems, string Source)
{
    public bool Conforms => Problems.Count == 0;

    public string Verdict => Conforms ? "conforms" : "VIOLATES: " + string.Join("; ", Problems);
}

/// <summary>The requests of a request log, held to Meta's specs (and docs/graph-api.md where they are silent).</summary>
public sealed class ConformanceReport
{
    public ConformanceReport(IReadOnlyList<ConformanceRow> rows) => Rows = rows;

    public IReadOnlyList<ConformanceRow> Rows { get; }

    public bool Conforms => Rows.All(r => r.Conforms);

    public int Requests => Rows.Sum(r => r.Requests);

    /// <summary>A plain table: endpoint | method | requests | fields | params | verdict.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| endpoint | method | requests | fields used | params used | verdict |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (ConformanceRow r in Rows)
        {
            text.Append("| ").Append(r.Endpoint).Append(" | ").Append(r.Method).Append(" | ").Append(r.Requests)
                .Append(" | ").Append(r.Fields.Count == 0 ? "-" : string.Join(",", r.Fields))
                .Append(" | ").Append(r.Params.Count == 0 ? "-" : string.Join(",", r.Params))
                .Append(" | ").Append(r.Verdict).AppendLine(" |");
        }
        return text.ToString();
    }
}

/// <summary>
/// Checks logged requests against <see cref="GraphSurface"/>: the node or endpoint must exist, the method must be
/// one its spec gives that edge, every param must be one the edge takes (or a common Graph param) and every
/// required one present, every field asked must be a field of the node (or one the edge adds), a GET must carry
/// nothing in its body (Graph does not read it), and the API version must be in service at the given time.
/// </summary>
public static class SpecConformance
{
    public static ConformanceReport Check(IEnumerable<RecordedRequest> log, Func<string, string?> nodeTypeOf)
    {
        var rows = new Dictionary<(string, string), Builder>();
        foreach (RecordedRequest request in log)
        {
            var keys = request.QueryKeys.Concat(request.BodyKeys).ToArray();
            var problems = new List<string>();
            if (request.Served == "GET" && request.Method.Equals("GET", StringComparison.OrdinalIgnoreCase) && request.BodyKeys.Count > 0)
                problems.Add($"GET with a body ({string.Join(",", request.BodyKeys)}): Graph does not read it");
            // POST with method=GET is Meta's documented form of that GET: held to the GET, whether or not this Graph honoured it.
            string method = request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase) && request.MethodParam is "GET" or "DELETE"
                ? request.MethodParam!
                : request.Served;
            Add(rows, method, request.Path, keys, request.Fields, problems, nodeTypeOf, request.Time);
            foreach (RecordedBatchItem item in request.BatchItems)
                Add(rows, item.Method, item.Path, item.Keys, item.Fields, new List<string>(), nodeTypeOf, request.Time, inBatch: true);
        }
        return new ConformanceReport(rows.Values.Select(b => b.Build()).OrderBy(r => r.Endpoint, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal).ToArray());
    }

    private static void Add(Dictionary<(string, string), Builder> rows, string method, string path, IReadOnlyList<string> keys,
        IReadOnlyList<string> fields, List<string> problems, Func<string, string?> nodeTypeOf, DateTimeOffset at, bool inBatch = false)
    {
        method = method.ToUpperInvariant();
        GraphPath parsed = GraphPath.Parse(path);
        if (parsed.Version is { } version && ApiVersions.Problem(version, parsed.Relative, at) is not null)
            problems.Add($"API version {version} is not in service on {at:yyyy-MM-dd}");
        string[] s = parsed.Segments;
        (string nodeType, string? edge) = s switch
        {
            [] => (GraphSurface.Root, ""),
            ["debug_token"] => (GraphSurface.Root, "debug_token"),
            ["oauth", var name] => (GraphSurface.Root, "oauth/" + name),
            [var id] => (nodeTypeOf(id) ?? "unknown", (string?)null),
            [var id, var e] => (nodeTypeOf(id) ?? "unknown", e),
            _ => ("unknown", string.Join('/', s[1..])),
        };
        GraphOperation? op = nodeType == "unknown" ? null : GraphSurface.Find(nodeType, method, edge);
        string endpoint = op?.Endpoint
            ?? (nodeType == GraphSurface.Root ? "/" + edge : edge is null ? $"/{{{nodeType}}}" : $"/{{{nodeType}}}/{edge}");
        if (inBatch) endpoint += " (in a batch)";
        if (nodeType == "unknown") problems.Add($"no node known for {path}");
        else if (op is null) problems.Add($"{method} is not an operation of {endpoint} in Meta's specs or docs/graph-api.md");
        if (op is not null)
        {
            var taken = op.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (string key in keys.Distinct())
            {
                if (!taken.Contains(key) && !GraphSurface.CommonParams.Contains(key))
                    problems.Add($"param {key} is not a param of {method} {endpoint} ({op.Source})");
            }
            foreach (var required in op.Params.Where(p => p.Required && !keys.Contains(p.Name)))
                problems.Add($"required param {required.Name} is missing");
            if (op.Fields is { } allowed)
            {
                foreach (string field in fields.Where(f => !allowed.Contains(f)))
                    problems.Add($"field {field} is not a field of node type {op.ItemType}" + (edge is null ? "" : $" nor added by {edge}"));
            }
        }
        if (!rows.TryGetValue((endpoint, method), out Builder? row))
            rows[(endpoint, method)] = row = new Builder(endpoint, method, op?.Source ?? "-");
        row.Add(fields, keys, problems);
    }

    private sealed class Builder
    {
        private readonly string _endpoint, _method, _source;
        private readonly SortedSet<string> _fields = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _params = new(StringComparer.Ordinal);
        private readonly List<string> _problems = new();
        private int _count;

        public Builder(string endpoint, string method, string source)
        {
            _endpoint = endpoint;
            _method = method;
            _source = source;
        }

        public void Add(IEnumerable<string> fields, IEnumerable<string> keys, IEnumerable<string> problems)
        {
            _count++;
            _fields.UnionWith(fields);
            _params.UnionWith(keys);
            foreach (string p in problems)
                if (!_problems.Contains(p)) _problems.Add(p);
        }

        public ConformanceRow Build() => new(_endpoint, _method, _count, _fields.ToArray(), _params.ToArray(), _problems.ToArray(), _source);
    }
}
