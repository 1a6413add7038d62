using System.Text.Json;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Spec;

/// <summary>One operation of the spec: a path template and a method, what it takes and what it answers.</summary>
public sealed class SpecOperation
{
    internal SpecOperation(string template, string method, JsonElement operation, JsonElement spec)
    {
        Template = template;
        Method = method.ToUpperInvariant();
        Segments = template.Trim('/').Split('/');
        OperationId = operation.GetProperty("operationId").GetString()!;
        foreach (JsonElement parameter in operation.GetProperty("parameters").EnumerateArray())
        {
            JsonElement p = SecretsSpec.Resolve(spec, parameter);
            string name = p.GetProperty("name").GetString()!;
            switch (p.GetProperty("in").GetString())
            {
                case "query":
                    QueryParameters[name] = p;
                    break;
                case "path" when p.TryGetProperty("pattern", out JsonElement pattern):
                    PathPatterns[name] = pattern.GetString()!;
                    break;
                case "body":
                    BodySchema = SecretsSpec.Resolve(spec, p.GetProperty("schema"));
                    break;
            }
        }
        foreach (JsonProperty response in operation.GetProperty("responses").EnumerateObject())
        {
            if (response.Name == "default") continue;
            SuccessStatus = int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture);
            if (response.Value.TryGetProperty("schema", out JsonElement schema)) ResponseSchema = SecretsSpec.Resolve(spec, schema);
        }
    }

    /// <summary>As the spec writes it, e.g. "/secrets/{secret-name}/{secret-version}".</summary>
    public string Template { get; }

    public string Method { get; }

    public string OperationId { get; }

    internal string[] Segments { get; }

    /// <summary>The query parameters the operation declares (api-version, maxresults, ...), by name.</summary>
    internal Dictionary<string, JsonElement> QueryParameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Path parameters the spec gives a pattern (the secret name of SetSecret).</summary>
    internal Dictionary<string, string> PathPatterns { get; } = new(StringComparer.Ordinal);

    /// <summary>The body's schema, resolved; null when the operation takes no body.</summary>
    internal JsonElement? BodySchema { get; }

    /// <summary>The status of success (200, or 204 for a purge).</summary>
    public int SuccessStatus { get; }

    /// <summary>The schema of a successful answer, resolved; null when there is no body (204).</summary>
    internal JsonElement? ResponseSchema { get; }

    public override string ToString() => $"{Method} {Template} ({OperationId})";
}
