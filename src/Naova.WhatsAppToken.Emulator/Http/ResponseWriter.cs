using System.Text;
using Microsoft.AspNetCore.Http;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Http;

/// <summary>Writes an answer the way graph.facebook.com does (content type, trace headers, version).</summary>
internal static class ResponseWriter
{
    public const string JsonContentType = "application/json; charset=UTF-8";
    public const string DefaultVersion = "v26.0";

    public static Task WriteAsync(HttpContext ctx, GraphResponse response, string? version) =>
        WriteAsync(ctx, response.Status, JsonContentType, response.BodyText, response.Headers, version);

    public static async Task WriteAsync(HttpContext ctx, int status, string? contentType, string body,
        IEnumerable<KeyValuePair<string, string>> headers, string? version)
    {
        ctx.Response.StatusCode = status;
        if (contentType is not null) ctx.Response.ContentType = contentType;
        ctx.Response.Headers["x-fb-trace-id"] = TokenText.NewTraceId();
        ctx.Response.Headers["x-fb-request-id"] = TokenText.NewTraceId();
        ctx.Response.Headers["facebook-api-version"] = version ?? DefaultVersion;
        foreach (var (name, value) in headers)
            ctx.Response.Headers[name] = value;
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }
}
