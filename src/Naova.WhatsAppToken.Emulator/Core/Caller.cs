using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

internal enum CallerKind { App, Person, SystemUser }

/// <summary>Who is calling: an app token, a person's USER token or a SYSTEM_USER token.</summary>
internal sealed class Caller
{
    public required CallerKind Kind { get; init; }
    public required App App { get; init; }
    public IssuedToken? Token { get; init; }
    public string? UserId => Token?.UserId;

    public static Caller Resolve(World world, string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text)) throw GraphErrors.MissingToken();
        text = text.Trim();
        if (text.Contains('|')) return ResolveAppToken(world, text);
        if (!world.TokensByText.TryGetValue(text, out IssuedToken? token)) throw GraphErrors.CannotParseToken();
        if (TokenCheck.Problem(token, now) is { } problem) throw TokenCheck.ToException(problem);
        App app = world.FindApp(token.AppId) ?? throw GraphErrors.CannotParseToken();
        return new Caller { Kind = token.Type == "SYSTEM_USER" ? CallerKind.SystemUser : CallerKind.Person, App = app, Token = token };
    }

    /// <summary>"APPID|APPSECRET".</summary>
    public static Caller ResolveAppToken(World world, string text)
    {
        string[] parts = text.Split('|', 2);
        App app = world.FindApp(parts[0]) ?? throw GraphErrors.CannotParseToken();
        if (parts[1] != app.Secret) throw GraphErrors.InvalidToken(null, "Invalid OAuth access token signature.");
        return new Caller { Kind = CallerKind.App, App = app };
    }

    public bool IsUser => Kind != CallerKind.App;

    public bool HasScope(string scope) => Token?.Scopes.Contains(scope) == true;

    public void RequireScope(string scope)
    {
        if (!HasScope(scope)) throw GraphErrors.MissingScope(scope);
    }

    /// <summary>A person admin of the business, or its ADMIN system user.</summary>
    public bool IsBusinessAdmin(World world) => UserId is { } id && world.IsBusinessAdmin(id);

    public void RequireUser()
    {
        if (!IsUser)
            throw GraphErrors.Permission("(#200) This call needs a user or system user access token, not an app access token");
    }
}
