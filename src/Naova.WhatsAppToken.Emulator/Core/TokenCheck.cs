using System.Globalization;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>Whether an issued token still works, and the 190 error (code, subcode, message) when not.</summary>
internal readonly record struct TokenProblem(int Code, int? Subcode, string Message);

internal static class TokenCheck
{
    public const string LoggedOut = "Error validating access token: The session is invalid because the user logged out.";

    public static TokenProblem? Problem(IssuedToken token, DateTimeOffset now)
    {
        if (token.InvalidSubcode is { } sub)
            return new TokenProblem(190, sub, token.InvalidMessage ?? DefaultInvalidMessage(sub));
        if (token.Revoked)
            return new TokenProblem(190, 467, LoggedOut);
        if (token.ExpiresAt is { } at && at <= now)
            return new TokenProblem(190, 463,
                $"Error validating access token: Session has expired on {Format(at)}. The current time is {Format(now)}.");
        return null;
    }

    public static GraphException ToException(TokenProblem p) => GraphErrors.InvalidToken(p.Subcode, p.Message);

    private static string DefaultInvalidMessage(int subcode) => subcode switch
    {
        460 => "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
        458 => "Error validating access token: The user has not authorized application.",
        492 => "Error validating access token: The session is invalid.",
        _ => LoggedOut,
    };

    /// <summary>Meta's style ("Tuesday, 14-Jul-26 05:00:00 PDT"), in UTC so it does not depend on the machine.</summary>
    private static string Format(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("dddd, dd-MMM-yy HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
