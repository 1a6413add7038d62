namespace Naova.WhatsAppToken.Emulator;

public enum FaultKind
{
    /// <summary>An HTTP status with a Graph error envelope (code, subcode, is_transient, message).</summary>
    GraphError,
    /// <summary>A 200 that carries an error envelope.</summary>
    ErrorIn200,
    /// <summary>Any body with any content type.</summary>
    RawBody,
    /// <summary>An HTML error page (a proxy in front of Graph).</summary>
    Html,
    EmptyBody,
    TruncatedJson,
    InvalidJson,
    /// <summary>A JSON body labelled text/html.</summary>
    WrongContentType,
    /// <summary>A JSON body of <see cref="FaultSpec.BodyBytes"/> bytes.</summary>
    HugeBody,
    /// <summary>Nulls where objects are expected ({"data":null}).</summary>
    NullObjects,
    /// <summary>The connection is aborted without an answer.</summary>
    DropConnection,
    /// <summary>A rate-limit error (code 4, 80008, 613...) with X-App-Usage, X-Business-Use-Case-Usage, Retry-After.</summary>
    Throttle,
    /// <summary>A normal answer with extra headers (e.g. X-App-Usage at 95%).</summary>
    ExtraHeaders,
}

/// <summary>
/// One injected fault. Build it with the static methods. By default it replaces the answer before
/// the request is handled (nothing changes in the state); <see cref="AfterHandling"/> = true handles
/// the request first (so a token can be made and its answer lost) and then spoils the answer.
/// </summary>
public sealed record FaultSpec
{
    public FaultKind Kind { get; init; }
    public int Status { get; init; } = 500;
    public int Code { get; init; } = 1;
    public int? Subcode { get; init; }
    public bool? IsTransient { get; init; }
    public string? Message { get; init; }
    public string Type { get; init; } = "OAuthException";
    public string? ContentType { get; init; }
    public string? Body { get; init; }
    public long BodyBytes { get; init; }
    public int CallCount { get; init; } = 100;
    public int EstimatedMinutes { get; init; } = 5;
    public int? RetryAfterSeconds { get; init; }
    public string UsageType { get; init; } = "whatsapp_business_management";
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public bool AfterHandling { get; init; }

    public static FaultSpec GraphError(int status, int code, int? subcode = null, bool? isTransient = null,
        string? message = null, string type = "OAuthException") =>
        new() { Kind = FaultKind.GraphError, Status = status, Code = code, Subcode = subcode, IsTransient = isTransient, Message = message, Type = type };

    public static FaultSpec ErrorIn200(int code = 1, int? subcode = null, bool? isTransient = null, string? message = null) =>
        new() { Kind = FaultKind.ErrorIn200, Status = 200, Code = code, Subcode = subcode, IsTransient = isTransient, Message = message };

    public static FaultSpec Raw(int status, string contentType, string body) =>
        new() { Kind = FaultKind.RawBody, Status = status, ContentType = contentType, Body = body };

    public static FaultSpec Html(int status = 502) => new() { Kind = FaultKind.Html, Status = status };

    public static FaultSpec EmptyBody(int status = 200) => new() { Kind = FaultKind.EmptyBody, Status = status };

    public static FaultSpec TruncatedJson(int status = 200) => new() { Kind = FaultKind.TruncatedJson, Status = status };

    public static FaultSpec InvalidJson(int status = 200) => new() { Kind = FaultKind.InvalidJson, Status = status };

    public static FaultSpec WrongContentType(int status = 200, string contentType = "text/html; charset=utf-8") =>
        new() { Kind = FaultKind.WrongContentType, Status = status, ContentType = contentType };

    public static FaultSpec HugeBody(long bytes, int status = 200) =>
        new() { Kind = FaultKind.HugeBody, Status = status, BodyBytes = bytes };

    public static FaultSpec NullObjects(int status = 200) => new() { Kind = FaultKind.NullObjects, Status = status };

    public static FaultSpec DropConnection() => new() { Kind = FaultKind.DropConnection, Status = 0 };

    /// <summary>
    /// A throttling error: code 4 (app), 80008 (WhatsApp Business Management use case), 613 (custom), 17, 32...
    /// with X-App-Usage, X-Business-Use-Case-Usage (estimated_time_to_regain_access in minutes) and, when
    /// given, Retry-After.
    /// </summary>
    public static FaultSpec Throttle(int code = 4, int? subcode = null, int estimatedMinutes = 5,
        int? retryAfterSeconds = null, int status = 400, int callCount = 100, string? message = null) =>
        new()
        {
            Kind = FaultKind.Throttle, Status = status, Code = code, Subcode = subcode, IsTransient = true,
            EstimatedMinutes = estimatedMinutes, RetryAfterSeconds = retryAfterSeconds, CallCount = callCount, Message = message,
        };

    public static FaultSpec ExtraHeaders(IReadOnlyDictionary<string, string> headers) =>
        new() { Kind = FaultKind.ExtraHeaders, Status = 200, Headers = headers, AfterHandling = true };

    /// <summary>A normal answer whose X-App-Usage says the app used <paramref name="callCount"/>% of its limit.</summary>
    public static FaultSpec AppUsage(int callCount) => ExtraHeaders(new Dictionary<string, string>
    {
        ["X-App-Usage"] = $"{{\"call_count\":{callCount},\"total_cputime\":{callCount / 2},\"total_time\":{callCount / 2}}}",
    });
}
