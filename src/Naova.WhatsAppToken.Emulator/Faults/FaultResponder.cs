using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.Http;

namespace Naova.WhatsAppToken.Emulator.Faults;

/// <summary>Turns a <see cref="FaultSpec"/> into what goes on the wire.</summary>
internal static class FaultResponder
{
    private const string SampleBody = "{\"data\":[{\"id\":\"100000000000001\",\"name\":\"sample\"}],\"paging\":{\"cursors\":{}}}";

    public static int StatusOf(FaultSpec fault, GraphResponse? normal) => fault.Kind switch
    {
        FaultKind.DropConnection => 0,
        FaultKind.ExtraHeaders => normal?.Status ?? 200,
        _ => fault.Status,
    };

    public static async Task WriteAsync(HttpContext ctx, FaultSpec fault, GraphResponse? normal, string businessId, string? version)
    {
        string normalBody = normal?.BodyText ?? SampleBody;
        var noHeaders = Array.Empty<KeyValuePair<string, string>>();
        switch (fault.Kind)
        {
            case FaultKind.DropConnection:
                ctx.Abort();
                return;
            case FaultKind.ExtraHeaders:
                var response = normal ?? GraphResponse.Ok(JsonNode.Parse(SampleBody));
                await ResponseWriter.WriteAsync(ctx, response.Status, ResponseWriter.JsonContentType, response.BodyText,
                    response.Headers.Concat(fault.Headers), version);
                return;
            case FaultKind.GraphError:
            case FaultKind.ErrorIn200:
                await ResponseWriter.WriteAsync(ctx, fault.Status, ResponseWriter.JsonContentType, Envelope(fault), fault.Headers, version);
                return;
            case FaultKind.Throttle:
                await ResponseWriter.WriteAsync(ctx, fault.Status, ResponseWriter.JsonContentType, Envelope(fault),
                    ThrottleHeaders(fault, businessId).Concat(fault.Headers), version);
                return;
            case FaultKind.RawBody:
                await ResponseWriter.WriteAsync(ctx, fault.Status, fault.ContentType, fault.Body ?? "", fault.Headers, version);
                return;
            case FaultKind.Html:
                await ResponseWriter.WriteAsync(ctx, fault.Status, "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1>" +
                    "<p>We're working on it and we'll get it fixed as soon as we can.</p></body></html>", noHeaders, version);
                return;
            case FaultKind.EmptyBody:
                await ResponseWriter.WriteAsync(ctx, fault.Status, ResponseWriter.JsonContentType, "", noHeaders, version);
                return;
            case FaultKind.TruncatedJson:
                await ResponseWriter.WriteAsync(ctx, fault.Status, ResponseWriter.JsonContentType,
                    normalBody[..Math.Max(1, normalBody.Length / 2)], noHeaders, version);
                return;
            case FaultKind.InvalidJson:
                await ResponseWriter.WriteAsync(ctx, fault.Status, ResponseWriter.JsonContentType,
                    "{\"data\": [{\"id\": \"1\",, name: 'x'}] ]", noHeaders, version);
                return;
            case FaultKind.WrongContentType:
                await ResponseWriter.WriteAsync(ctx, fault.Status, fault.ContentType ?? "text/html; charset=utf-8", normalBody, noHeaders, version);
                return;
            case FaultKind.NullObjects:
                await ResponseWriter.WriteAsync(ctx, fault.Status, ResponseWriter.JsonContentType, Nullify(normal), noHeaders, version);
                return;
            case FaultKind.HugeBody:
                await WriteHugeAsync(ctx, fault);
                return;
            default:
                throw new InvalidOperationException($"Unknown fault kind {fault.Kind}.");
        }
    }

    private static string Envelope(FaultSpec f) =>
        GraphErrors.Envelope(f.Type, f.Code, f.Message ?? DefaultMessage(f.Code), f.Subcode, f.IsTransient).ToJsonString(Json.Options);

    private static string DefaultMessage(int code) => code switch
    {
        1 => "An unknown error occurred",
        2 => "An unexpected error has occurred. Please retry your request later.",
        4 => "(#4) Application request limit reached",
        17 => "(#17) User request limit reached",
        32 => "(#32) Page request limit reached",
        613 => "(#613) Calls to this api have exceeded the rate limit.",
        80008 => "(#80008) There have been too many calls to this WhatsApp Business account. Wait a bit and try again. " +
                 "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
        100 => "(#100) Invalid parameter",
        190 => "Error validating access token",
        200 => "(#200) Permissions error",
        368 => "(#368) The action attempted has been deemed abusive or is otherwise disallowed",
        131005 => "(#131005) Access denied",
        131031 => "(#131031) Business Account locked",
        _ => $"(#{code}) Injected error",
    };

    private static IEnumerable<KeyValuePair<string, string>> ThrottleHeaders(FaultSpec f, string businessId)
    {
        int share = Math.Min(f.CallCount, 100) / 2;
        yield return new("X-App-Usage", $"{{\"call_count\":{f.CallCount},\"total_cputime\":{share},\"total_time\":{share}}}");
        var usage = new JsonObject
        {
            [businessId] = new JsonArray(new JsonObject
            {
                ["type"] = f.UsageType, ["call_count"] = f.CallCount, ["total_cputime"] = share, ["total_time"] = share,
                ["estimated_time_to_regain_access"] = f.EstimatedMinutes,
            }),
        };
        yield return new("X-Business-Use-Case-Usage", usage.ToJsonString(Json.Options));
        if (f.RetryAfterSeconds is { } retry) yield return new("Retry-After", retry.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The answer with every object or array at the top level set to null ({"data":null} without one).</summary>
    private static string Nullify(GraphResponse? normal)
    {
        if (normal?.Body is not JsonObject obj) return "{\"data\":null}";
        var copy = new JsonObject();
        foreach (var (name, value) in obj)
            copy[name] = value is JsonObject or JsonArray ? null : value?.DeepClone();
        return copy.ToJsonString(Json.Options);
    }

    private static async Task WriteHugeAsync(HttpContext ctx, FaultSpec fault)
    {
        long size = Math.Max(fault.BodyBytes, 16);
        ctx.Response.StatusCode = fault.Status;
        ctx.Response.ContentType = ResponseWriter.JsonContentType;
        ctx.Response.ContentLength = size;
        byte[] head = Encoding.ASCII.GetBytes("{\"data\":\"");
        byte[] tail = Encoding.ASCII.GetBytes("\"}");
        byte[] chunk = Enumerable.Repeat((byte)'x', 64 * 1024).ToArray();
        await ctx.Response.Body.WriteAsync(head, ctx.RequestAborted);
        long left = size - head.Length - tail.Length;
        while (left > 0)
        {
            int n = (int)Math.Min(left, chunk.Length);
            await ctx.Response.Body.WriteAsync(chunk.AsMemory(0, n), ctx.RequestAborted);
            left -= n;
        }
        await ctx.Response.Body.WriteAsync(tail, ctx.RequestAborted);
    }
}
