using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Naova.WhatsAppToken.Emulator.Core;

namespace Naova.WhatsAppToken.Emulator.Http;

/// <summary>An HTTP request as a GraphRequest, plus what the request log keeps of it.</summary>
internal sealed record ParsedRequest(GraphRequest Request, string? Version, string[] QueryKeys, string[] BodyKeys, TokenLocation TokenIn);

/// <summary>
/// Parameters from the query string, then from the body (form, multipart or JSON); the token from
/// "Authorization: Bearer X" (or "OAuth X"), else from access_token. As Graph does (docs/graph-api.md): a GET's body is
/// not read, and a POST with method=GET (or DELETE) in its parameters is served as that method.
/// </summary>
internal static class RequestParser
{
    public static async Task<ParsedRequest> ParseAsync(HttpContext ctx, bool honourMethodOverride = true)
    {
        HttpRequest http = ctx.Request;
        var parameters = new GraphParameters();
        foreach (var (key, values) in http.Query)
            foreach (string? value in values)
                parameters.Add(key, value ?? "");
        var bodyParameters = new GraphParameters();
        await ReadBodyAsync(http, bodyParameters, ctx.RequestAborted);
        bool bodyRead = !HttpMethods.IsGet(http.Method) && !HttpMethods.IsHead(http.Method);
        if (bodyRead)
        {
            foreach (var (key, value) in bodyParameters.All)
                parameters.Add(key, value);
        }
        string method = http.Method.ToUpperInvariant();
        if (honourMethodOverride && method == "POST" && parameters.Get("method")?.Trim().ToUpperInvariant() is "GET" or "DELETE")
            method = parameters.Get("method")!.Trim().ToUpperInvariant();

        string? headerToken = HeaderToken(http.Headers.Authorization.ToString());
        TokenLocation tokenIn = TokenLocation.None;
        if (headerToken is not null) tokenIn |= TokenLocation.Header;
        if (http.Query.ContainsKey("access_token")) tokenIn |= TokenLocation.Query;
        if (bodyRead && bodyParameters.Has("access_token")) tokenIn |= TokenLocation.Body;

        var headers = http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string path = http.Path.Value ?? "/";
        var request = new GraphRequest(method, path, parameters, headerToken ?? parameters.GetNonEmpty("access_token"), headers);
        return new ParsedRequest(request, GraphPath.Parse(path).Version, http.Query.Keys.ToArray(), bodyParameters.Keys.ToArray(), tokenIn);
    }

    private static string? HeaderToken(string authorization)
    {
        foreach (string scheme in new[] { "Bearer ", "OAuth " })
        {
            if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                return authorization[scheme.Length..].Trim() is { Length: > 0 } token ? token : null;
        }
        return null;
    }

    private static async Task ReadBodyAsync(HttpRequest http, GraphParameters parameters, CancellationToken ct)
    {
        if (http.HasFormContentType)
        {
            IFormCollection form = await http.ReadFormAsync(ct);
            foreach (var (key, values) in form)
                foreach (string? value in values)
                    parameters.Add(key, value ?? "");
            return;
        }
        using var reader = new StreamReader(http.Body);
        string body = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(body)) return;
        string contentType = http.ContentType ?? "";
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase) || body.TrimStart().StartsWith('{') || body.TrimStart().StartsWith('['))
        {
            AddJson(parameters, body);
            return;
        }
        foreach (var (key, values) in QueryHelpers.ParseQuery(body))
            foreach (string? value in values)
                parameters.Add(key, value ?? "");
    }

    private static void AddJson(GraphParameters parameters, string body)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(body).RootElement; }
        catch (JsonException) { throw GraphErrors.Param("(#100) The request body is not valid JSON"); }
        if (root.ValueKind == JsonValueKind.Object) JsonParameters.AddObject(parameters, root);
        else if (root.ValueKind == JsonValueKind.Array) parameters.Add("batch", root.GetRawText());
        else throw GraphErrors.Param("(#100) A JSON body must be an object of parameters");
    }
}
