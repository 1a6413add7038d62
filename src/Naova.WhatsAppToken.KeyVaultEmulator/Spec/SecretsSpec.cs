using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Spec;

/// <summary>
/// Azure's spec of the secrets data plane (Specs/secrets.json, embedded): the operations the emulator serves and what
/// each takes and answers. The emulator routes and checks requests with it, and the tests hold every request and answer
/// they record to it (<see cref="CheckRequest"/>, <see cref="CheckResponse"/>).
/// </summary>
public sealed class SecretsSpec
{
    private readonly JsonElement _root;

    private SecretsSpec(JsonElement root)
    {
        _root = root;
        ApiVersion = root.GetProperty("info").GetProperty("version").GetString()!;
        var operations = new List<SpecOperation>();
        foreach (JsonProperty path in root.GetProperty("paths").EnumerateObject())
            foreach (JsonProperty method in path.Value.EnumerateObject())
                operations.Add(new SpecOperation(path.Name, method.Name, method.Value, root));
        Operations = operations;
    }

    public static SecretsSpec Instance { get; } = Load();

    /// <summary>The spec's version, the one api-version the emulator serves.</summary>
    public string ApiVersion { get; }

    public IReadOnlyList<SpecOperation> Operations { get; }

    private static SecretsSpec Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Naova.WhatsAppToken.KeyVaultEmulator.Specs.secrets.json")
            ?? throw new InvalidOperationException("The embedded secrets.json is missing.");
        using JsonDocument document = JsonDocument.Parse(stream);
        return new SecretsSpec(document.RootElement.Clone());
    }

    /// <summary>A "$ref" followed within the spec (definitions and parameters), or the element itself.</summary>
    internal static JsonElement Resolve(JsonElement root, JsonElement element)
    {
        while (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out JsonElement reference))
        {
            JsonElement target = root;
            foreach (string part in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            element = target;
        }
        return element;
    }

    /// <summary>
    /// The operation a request's method and path name, and the path's parameters. A path matches a template segment
    /// by segment; literal segments win over parameters ("/secrets/x/versions" is GetSecretVersions), and the secret
    /// version, "optional" in the spec's words, may be empty ("/secrets/x/") or absent ("/secrets/x"). Operation is
    /// null when templates fit the path but none has the method; the result is null when no template fits.
    /// </summary>
    public (SpecOperation? Operation, string Template, Dictionary<string, string> Parameters)? Match(string method, string path)
    {
        string[] segments = path.Trim().TrimStart('/').Split('/');
        if (segments.Length == 2 && segments[^1].Length == 0) segments = segments[..^1];
        var fits = new List<(List<SpecOperation> ops, Dictionary<string, string> values, int literals)>();
        foreach (IGrouping<string, SpecOperation> template in Operations.GroupBy(o => o.Template))
        {
            string[] wanted = template.First().Segments;
            string[] given = segments;
            if (given.Length == wanted.Length - 1 && wanted[^1] == "{secret-version}") given = [.. given, ""];
            if (given.Length != wanted.Length) continue;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            int literals = 0;
            bool fit = true;
            for (int i = 0; i < wanted.Length && fit; i++)
            {
                if (wanted[i].StartsWith('{')) values[wanted[i].Trim('{', '}')] = Uri.UnescapeDataString(given[i]);
                else if (string.Equals(wanted[i], given[i], StringComparison.OrdinalIgnoreCase)) literals++;
                else fit = false;
            }
            // Only the version may be empty: "/secrets//x" names no secret.
            if (fit && values.TryGetValue("secret-name", out string? name) && name.Length == 0) fit = false;
            if (fit) fits.Add((template.ToList(), values, literals));
        }
        if (fits.Count == 0) return null;
        var ordered = fits.OrderByDescending(f => f.literals).ToList();
        foreach (var (ops, values, _) in ordered)
        {
            SpecOperation? operation = ops.FirstOrDefault(o => string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase));
            if (operation is not null) return (operation, operation.Template, values);
        }
        return (null, ordered[0].ops[0].Template, ordered[0].values);
    }

    /// <summary>
    /// What in a request the spec does not allow: no such path or method, api-version missing or not the spec's, a
    /// query parameter the operation does not declare (Key Vault's own paging token aside) or out of its range, a path
    /// parameter off its pattern, a body missing a required field, carrying one the schema lacks, a read-only one,
    /// or one of the wrong type. Empty: the request is one the spec describes.
    /// </summary>
    public IReadOnlyList<string> CheckRequest(string method, string path, IReadOnlyDictionary<string, string> query, JsonNode? body, out SpecOperation? operation)
    {
        var problems = new List<string>();
        operation = null;
        var match = Match(method, path);
        if (match is null)
        {
            problems.Add($"no path of the spec matches {path}");
            return problems;
        }
        SpecOperation? found = match.Value.Operation;
        operation = found;
        if (found is null)
        {
            problems.Add($"{method} is not an operation of {match.Value.Template}");
            return problems;
        }
        problems.AddRange(CheckOperation(found, match.Value.Parameters, query, body));
        return problems;
    }

    private List<string> CheckOperation(SpecOperation operation, Dictionary<string, string> parameters, IReadOnlyDictionary<string, string> query, JsonNode? body)
    {
        var problems = new List<string>();
        foreach ((string name, JsonElement parameter) in operation.QueryParameters)
        {
            bool given = query.TryGetValue(name, out string? value);
            if (!given && parameter.TryGetProperty("required", out JsonElement required) && required.GetBoolean())
                problems.Add($"the required query parameter {name} is missing");
            if (given && parameter.TryGetProperty("minimum", out JsonElement min) && parameter.TryGetProperty("maximum", out JsonElement max)
                && (!int.TryParse(value, out int number) || number < min.GetInt32() || number > max.GetInt32()))
                problems.Add($"{name}={value} is not an integer from {min.GetInt32()} to {max.GetInt32()}");
        }
        if (query.TryGetValue("api-version", out string? version) && version != ApiVersion)
            problems.Add($"api-version {version} is not the spec's {ApiVersion}");
        foreach (string name in query.Keys.Where(k => !operation.QueryParameters.ContainsKey(k) && k != KeyVaultSurface.SkipTokenParameter))
            problems.Add($"the query parameter {name} is not one of {operation.OperationId}'s");
        foreach ((string name, string pattern) in operation.PathPatterns)
            if (!Regex.IsMatch(parameters[name], pattern))
                problems.Add($"the {name} '{parameters[name]}' is off the spec's pattern {pattern}");
        if (operation.BodySchema is JsonElement schema)
        {
            if (body is not JsonObject)
                problems.Add($"{operation.OperationId} takes a JSON object body");
            else
                CheckObject(schema, body, "body", problems, writing: true, strict: true);
        }
        return problems;
    }

    /// <summary>
    /// What in a body Key Vault refuses: a required field missing, or a field of the wrong type. A field the schema
    /// lacks or marks read-only is not refused (Key Vault ignores what it does not take); <see cref="CheckRequest"/>
    /// flags it for the tests.
    /// </summary>
    public IReadOnlyList<string> BodyRefusals(SpecOperation operation, JsonNode? body)
    {
        var problems = new List<string>();
        if (operation.BodySchema is not JsonElement schema) return problems;
        if (body is not JsonObject) problems.Add($"{operation.OperationId} takes a JSON object body");
        else CheckObject(schema, body, "body", problems, writing: true, strict: false);
        return problems;
    }

    /// <summary>What in an answer the spec does not describe: a status it does not list, or a field the schema lacks.</summary>
    public IReadOnlyList<string> CheckResponse(SpecOperation operation, int status, JsonNode? body)
    {
        var problems = new List<string>();
        if (status == operation.SuccessStatus)
        {
            if (operation.ResponseSchema is JsonElement schema) CheckObject(schema, body, "answer", problems, writing: false, strict: true);
            else if (body is not null) problems.Add($"{operation.OperationId} answers {status} with no body");
        }
        else
        {
            // "default": any other status, with a KeyVaultError.
            JsonElement error = Resolve(_root, _root.GetProperty("definitions").GetProperty("KeyVaultError"));
            CheckObject(error, body, "error", problems, writing: false, strict: true);
            if (body?["error"]?["code"] is null || body["error"]?["message"] is null)
                problems.Add($"the error answer ({status}) has no error.code and error.message");
        }
        return problems;
    }

    /// <summary><paramref name="strict"/>: a field the schema lacks, or a read-only one written, is a problem too.</summary>
    private void CheckObject(JsonElement schema, JsonNode? node, string where, List<string> problems, bool writing, bool strict)
    {
        schema = Resolve(_root, schema);
        if (node is not JsonObject obj)
        {
            problems.Add($"{where} is not a JSON object");
            return;
        }
        JsonElement properties = schema.TryGetProperty("properties", out JsonElement p) ? p : default;
        if (schema.TryGetProperty("required", out JsonElement required))
            foreach (JsonElement name in required.EnumerateArray())
                if (obj[name.GetString()!] is null) problems.Add($"{where}.{name.GetString()} is required");
        foreach ((string name, JsonNode? value) in obj)
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out JsonElement property))
            {
                if (strict) problems.Add($"{where}.{name} is not in the spec's schema");
                continue;
            }
            if (strict && writing && property.TryGetProperty("readOnly", out JsonElement readOnly) && readOnly.GetBoolean())
                problems.Add($"{where}.{name} is read-only");
            CheckValue(property, value, $"{where}.{name}", problems, writing, strict);
        }
    }

    private void CheckValue(JsonElement property, JsonNode? value, string where, List<string> problems, bool writing, bool strict)
    {
        property = Resolve(_root, property);
        if (value is null) return;
        string type = property.TryGetProperty("type", out JsonElement t) ? t.GetString()! : "object";
        bool fits = type switch
        {
            "string" => value.GetValueKind() == JsonValueKind.String
                && (!property.TryGetProperty("enum", out JsonElement values) || values.EnumerateArray().Any(v => v.GetString() == value.GetValue<string>())),
            "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "integer" => value.GetValueKind() == JsonValueKind.Number,
            "array" => value is JsonArray,
            _ => value is JsonObject,
        };
        if (!fits)
        {
            problems.Add($"{where} is not the spec's {type}");
            return;
        }
        if (type == "array" && property.TryGetProperty("items", out JsonElement items))
            foreach (JsonNode? item in value.AsArray()) CheckObject(items, item, where + "[]", problems, writing, strict);
        else if (type == "object" && property.TryGetProperty("additionalProperties", out JsonElement additional))
        {
            foreach ((string key, JsonNode? item) in value.AsObject()) CheckValue(additional, item, $"{where}.{key}", problems, writing, strict);
        }
        else if (type == "object") CheckObject(property, value, where, problems, writing, strict);
    }
}
