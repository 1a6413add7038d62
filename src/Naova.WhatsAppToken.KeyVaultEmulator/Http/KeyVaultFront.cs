using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Naova.WhatsAppToken.KeyVaultEmulator.Spec;
using Naova.WhatsAppToken.KeyVaultEmulator.Vault;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Http;

/// <summary>
/// Every request, in Key Vault's order: the bearer token (401 with the challenge), then the spec's operation for the
/// path and method, the api-version, the secret's name, the body, and only then the vault. Each request and its answer
/// is recorded.
/// </summary>
internal sealed class KeyVaultFront(SecretOperations operations, KeyVaultEmulatorOptions options, RequestLog log)
{
    private static readonly SecretsSpec Spec = SecretsSpec.Instance;

    public async Task InvokeAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? "/";
        if (path.StartsWith(ControlPrefix, StringComparison.Ordinal))
        {
            await ControlAsync(context, path);
            return;
        }
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        string text = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        JsonNode? body = null;
        bool bodyParsed = true;
        if (text.Length > 0)
        {
            try { body = JsonNode.Parse(text); }
            catch (JsonException) { bodyParsed = false; }
        }

        bool authorized = IsAuthorized(request, out string? refusal);
        var match = Spec.Match(request.Method, path);
        string? operationId = match?.Operation?.OperationId;
        int status;
        JsonNode? answer;
        try
        {
            if (!authorized)
            {
                context.Response.Headers.WWWAuthenticate =
                    $"Bearer authorization=\"{KeyVaultSurface.Authority}{options.TenantId}\", resource=\"{KeyVaultSurface.Resource}\"";
                throw new KeyVaultException(401, "Unauthorized", refusal!);
            }
            if (match is null) throw new KeyVaultException(404, "NotFound", KeyVaultSurface.Say(KeyVaultSurface.NoSuchOperation, request.Method, path));
            SpecOperation operation = match.Value.Operation
                ?? throw new KeyVaultException(405, "MethodNotAllowed", KeyVaultSurface.Say(KeyVaultSurface.NoSuchOperation, request.Method, path));
            Dictionary<string, string> parameters = match.Value.Parameters;
            CheckApiVersion(query);
            if (parameters.TryGetValue("secret-name", out string? name) && !Regex.IsMatch(name, KeyVaultSurface.NamePattern))
                throw BadParameter(KeyVaultSurface.Say(KeyVaultSurface.InvalidName, name));
            int skip = 0, size = KeyVaultSurface.DefaultPageSize;
            if (query.TryGetValue("maxresults", out string? max) && (!int.TryParse(max, out size) || size < 1 || size > 25))
                throw BadParameter($"Invalid maxresults {max}: it must be an integer from 1 to 25.");
            if (query.TryGetValue(KeyVaultSurface.SkipTokenParameter, out string? token) && (!int.TryParse(token, out skip) || skip < 0))
                throw BadParameter($"Invalid {KeyVaultSurface.SkipTokenParameter}.");
            if (operation.BodySchema is not null) CheckBody(operation, bodyParsed ? body : null);
            (status, answer) = operations.Invoke(operation.OperationId, parameters, body as JsonObject, path, skip, size);
        }
        catch (KeyVaultException e)
        {
            status = e.Status;
            var error = new JsonObject { ["code"] = e.Code, ["message"] = e.Message };
            if (e.InnerCode is not null) error["innererror"] = new JsonObject { ["code"] = e.InnerCode };
            answer = new JsonObject { ["error"] = error };
        }

        log.Add(new RecordedRequest(request.Method, path, query, Redact(body), authorized, status, Redact(answer), operationId));
        context.Response.StatusCode = status;
        if (answer is null) return;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Not Key Vault's: the emulator's own paths, for tests in other processes. No Key Vault path starts so.</summary>
    public const string ControlPrefix = "/_emulator/";

    /// <summary>
    /// GET /_emulator/requests (with an accepted bearer token): every request so far with its spec verdict, so that a
    /// test in another process (the Pester suite) holds what its client sent to the spec as the xunit tests do.
    /// </summary>
    private async Task ControlAsync(HttpContext context, string path)
    {
        if (!IsAuthorized(context.Request, out _) || path != ControlPrefix + "requests" || !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var verdicts = new JsonArray();
        foreach (Verdict verdict in log.Snapshot().Select(Verdict.Of))
        {
            verdicts.Add(new JsonObject
            {
                ["method"] = verdict.Request.Method,
                ["path"] = verdict.Request.Path,
                ["status"] = verdict.Request.Status,
                ["operationId"] = verdict.OperationId,
                ["template"] = verdict.Template,
                ["requestProblems"] = new JsonArray([.. verdict.RequestProblems.Select(p => (JsonNode?)p)]),
                ["answerProblems"] = new JsonArray([.. verdict.AnswerProblems.Select(p => (JsonNode?)p)]),
                ["line"] = verdict.ToString(),
            });
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(verdicts.ToJsonString(), context.RequestAborted);
    }

    private bool IsAuthorized(HttpRequest request, out string? refusal)
    {
        string header = request.Headers.Authorization.ToString();
        refusal = null;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            refusal = KeyVaultSurface.MissingToken;
            return false;
        }
        if (!options.AcceptedTokens.Contains(header[7..].Trim()))
        {
            refusal = KeyVaultSurface.BadToken;
            return false;
        }
        return true;
    }

    private static void CheckApiVersion(Dictionary<string, string> query)
    {
        if (!query.TryGetValue("api-version", out string? version) || version.Length == 0) throw BadParameter(KeyVaultSurface.MissingApiVersion);
        if (version != Spec.ApiVersion) throw BadParameter(KeyVaultSurface.Say(KeyVaultSurface.UnknownApiVersion, version, Spec.ApiVersion));
    }

    /// <summary>The body as the spec's schema has it (<see cref="SecretsSpec.BodyRefusals"/>), tags within Key Vault's limits, and a value of at most 25 KB.</summary>
    private static void CheckBody(SpecOperation operation, JsonNode? body)
    {
        IReadOnlyList<string> problems = Spec.BodyRefusals(operation, body);
        if (problems.Count > 0) throw BadParameter(string.Join("; ", problems));
        if (body!["tags"] is JsonObject tags)
        {
            if (tags.Count > KeyVaultSurface.MaxTags) throw BadParameter(KeyVaultSurface.Say(KeyVaultSurface.TooManyTags, tags.Count));
            foreach ((string key, JsonNode? tag) in tags)
                if (key.Length > KeyVaultSurface.MaxTagName || (tag?.GetValue<string>().Length ?? 0) > KeyVaultSurface.MaxTagValue)
                    throw BadParameter(KeyVaultSurface.Say(KeyVaultSurface.TagTooLong, key.Length > 40 ? key[..40] + "..." : key));
        }
        if (body!["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            int bytes = Encoding.UTF8.GetByteCount(value.GetValue<string>());
            if (bytes > KeyVaultSurface.MaxValueBytes) throw BadParameter(KeyVaultSurface.Say(KeyVaultSurface.ValueTooLarge, bytes, KeyVaultSurface.MaxValueBytes));
        }
    }

    private static KeyVaultException BadParameter(string message) => new(400, "BadParameter", message);

    /// <summary>A copy without secret values: each "value" string becomes its length.</summary>
    private static JsonNode? Redact(JsonNode? node)
    {
        if (node is not JsonObject obj) return node?.DeepClone();
        var copy = (JsonObject)obj.DeepClone();
        if (copy["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            copy["value"] = $"<{value.GetValue<string>().Length} characters>";
        return copy;
    }
}
