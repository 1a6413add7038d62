using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>Meta's error envelope, and the errors the emulator answers most.</summary>
internal static class GraphErrors
{
    public const string OAuth = "OAuthException";
    public const string Method = "GraphMethodException";

    public static JsonObject Envelope(string type, int code, string message, int? subcode = null,
        bool? isTransient = null, string? userTitle = null, string? userMessage = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code };
        if (subcode is not null) error["error_subcode"] = subcode;
        if (isTransient is not null) error["is_transient"] = isTransient;
        if (userTitle is not null) error["error_user_title"] = userTitle;
        if (userMessage is not null) error["error_user_msg"] = userMessage;
        error["fbtrace_id"] = TokenText.NewTraceId();
        return new JsonObject { ["error"] = error };
    }

    public static GraphException Error(int status, string type, int code, string message, int? subcode = null,
        bool? isTransient = null, string? userTitle = null, string? userMessage = null) =>
        new(new GraphResponse(status, Envelope(type, code, message, subcode, isTransient, userTitle, userMessage)), message);

    /// <summary>Code 100, invalid parameter.</summary>
    public static GraphException Param(string message) => Error(400, OAuth, 100, message);

    public static GraphException Required(string name) => Param($"(#100) The parameter {name} is required");

    /// <summary>100/33: the object does not exist, can not be seen, or has no such operation.</summary>
    public static GraphException Unsupported(string method, string id) => Error(400, Method, 100,
        $"Unsupported {method.ToLowerInvariant()} request. Object with ID '{id}' does not exist, cannot be loaded " +
        "due to missing permissions, or does not support this operation. Please read the Graph API documentation " +
        "at https://developers.facebook.com/docs/graph-api", subcode: 33);

    /// <summary>Code 200 family: a permission the caller lacks (HTTP 403, as Graph answers it).</summary>
    public static GraphException Permission(string message, string? userTitle = null, string? userMessage = null) =>
        Error(403, OAuth, 200, message, userTitle: userTitle, userMessage: userMessage);

    public static GraphException MissingScope(string scope) =>
        Permission($"(#200) Requires {scope} permission to manage the object");

    public static GraphException MissingToken() =>
        Error(400, OAuth, 104, "An access token is required to request this resource.");

    public static GraphException InvalidToken(int? subcode, string message) => Error(400, OAuth, 190, message, subcode);

    public static GraphException CannotParseToken() =>
        InvalidToken(null, "Invalid OAuth access token - Cannot parse access token");
}
