using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>GET /oauth/access_token (fb_exchange_token) and GET /oauth/revoke (docs/graph-api.md section 3).</summary>
internal static class OAuthHandlers
{
    /// <summary>A new 60-day token for a still-valid one; the old one keeps working until its own expiry.</summary>
    public static GraphResponse Exchange(GraphRequest r, World world, DateTimeOffset now)
    {
        GraphParameters p = r.Parameters;
        string grant = p.GetNonEmpty("grant_type") ?? throw GraphErrors.Required("grant_type");
        if (grant != "fb_exchange_token")
            throw GraphErrors.Param($"(#100) Unsupported grant_type {grant}: the emulator supports fb_exchange_token");
        App app = Client(world, p);
        string text = p.GetNonEmpty("fb_exchange_token") ?? throw GraphErrors.Required("fb_exchange_token");
        IssuedToken old = Lookup(world, text, now);
        if (old.AppId != app.Id)
            throw GraphErrors.Param($"(#100) fb_exchange_token was not issued to app {app.Id}");

        DateTimeOffset expires = now + TokenHandlers.SixtyDays;
        IssuedToken token = world.AddToken(TokenText.New(), old.Type, old.UserId, old.AppId, old.Scopes, now, expires,
            old.WabaIdsAtIssue);
        return GraphResponse.Ok(new JsonObject
        {
            ["access_token"] = token.Text,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)(expires - now).TotalSeconds,
        });
    }

    /// <summary>GET /oauth/revoke client_id, client_secret, revoke_token, access_token.</summary>
    public static GraphResponse Revoke(GraphRequest r, World world, DateTimeOffset now)
    {
        GraphParameters p = r.Parameters;
        App app = Client(world, p);
        string text = p.GetNonEmpty("revoke_token") ?? throw GraphErrors.Required("revoke_token");
        if (!world.TokensByText.TryGetValue(text, out IssuedToken? token)) throw GraphErrors.CannotParseToken();
        if (token.AppId != app.Id) throw GraphErrors.Param($"(#100) revoke_token was not issued to app {app.Id}");
        token.Revoked = true;
        return GraphResponse.Ok(new JsonObject { ["success"] = "true" });
    }

    /// <summary>client_id and client_secret must name an app and its secret.</summary>
    private static App Client(World world, GraphParameters p)
    {
        string id = p.GetNonEmpty("client_id") ?? throw GraphErrors.Required("client_id");
        string secret = p.GetNonEmpty("client_secret") ?? throw GraphErrors.Required("client_secret");
        App app = world.FindApp(id)
            ?? throw GraphErrors.Error(400, GraphErrors.OAuth, 101, "Error validating application. Invalid application ID.");
        if (secret != app.Secret) throw GraphErrors.Error(400, GraphErrors.OAuth, 1, "Error validating client secret.");
        return app;
    }

    private static IssuedToken Lookup(World world, string text, DateTimeOffset now)
    {
        if (!world.TokensByText.TryGetValue(text, out IssuedToken? token)) throw GraphErrors.CannotParseToken();
        if (TokenCheck.Problem(token, now) is { } problem) throw TokenCheck.ToException(problem);
        return token;
    }
}
