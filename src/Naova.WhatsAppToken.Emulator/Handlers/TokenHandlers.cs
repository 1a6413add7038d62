using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>System-user token generation and revocation (docs/graph-api.md section 3).</summary>
internal static class TokenHandlers
{
    public static readonly TimeSpan SixtyDays = TimeSpan.FromDays(60);

    /// <summary>POST /{system-user-id}/access_tokens business_app, scope, appsecret_proof, set_token_expires_in_60_days.</summary>
    public static GraphResponse Create(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        App app = AppAssetHandlers.AppOfBusiness(c, c.Required("business_app"), "business_app");
        string[] scopes = Catalog.ScopeList(c.P);
        RequireTokenManager(c, user, "generate a token for");
        RequireInstalled(user, app);
        DateTimeOffset? expires = Expiry(c);
        IssuedToken token = c.World.AddToken(TokenText.New(), "SYSTEM_USER", user.Id, app.Id, scopes, c.Now, expires);
        return GraphResponse.Ok(new JsonObject { ["access_token"] = token.Text });
    }

    /// <summary>POST /{business-id}/system_user_access_tokens system_user_id, scope, asset[], fetch_only, set_token_expires_in_60_days.</summary>
    public static GraphResponse CreateForBusiness(Call c)
    {
        c.RequireScope(Catalog.BusinessManagement);
        string userId = c.Required("system_user_id");
        SystemUser user = c.World.FindSystemUser(userId)
            ?? throw GraphErrors.Param($"(#100) Param system_user_id must be a system user of business {c.Business.Id}");
        // Business.json gives this edge no business_app param: the token is for the caller's app.
        App app = c.Caller.App;
        string[] scopes = Catalog.ScopeList(c.P);
        RequireTokenManager(c, user, "generate a token for");
        RequireInstalled(user, app);

        if (c.P.GetBool("fetch_only"))
        {
            IssuedToken existing = c.World.Tokens.LastOrDefault(t =>
                    t.UserId == user.Id && t.AppId == app.Id && TokenCheck.Problem(t, c.Now) is null)
                ?? throw GraphErrors.Param($"(#100) System user {user.Id} has no valid token for app {app.Id} to fetch");
            return GraphResponse.Ok(new JsonObject { ["access_token"] = existing.Text });
        }

        string[] wabas = Assets(c, user);
        DateTimeOffset? expires = Expiry(c);
        IssuedToken token = c.World.AddToken(TokenText.New(), "SYSTEM_USER", user.Id, app.Id, scopes, c.Now, expires, wabas);
        return GraphResponse.Ok(new JsonObject { ["access_token"] = token.Text });
    }

    /// <summary>DELETE /{system-user-id}/access_tokens [business_app]: revokes all of that user's tokens.</summary>
    public static GraphResponse RevokeAll(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        RequireTokenManager(c, user, "revoke the tokens of");
        string? appId = c.P.GetNonEmpty("business_app");
        foreach (IssuedToken token in c.World.Tokens.Where(t => t.UserId == user.Id && (appId is null || t.AppId == appId)))
            token.Revoked = true;
        return GraphResponse.Ok(JsonValue.Create(true));
    }

    /// <summary>
    /// 60 days when asked; otherwise never, unless the business requires expiring tokens. Meta does not
    /// document that error's code: the emulator answers 100 with a message that names the fix.
    /// </summary>
    public static DateTimeOffset? Expiry(Call c)
    {
        if (c.P.GetBool("set_token_expires_in_60_days")) return c.Now + SixtyDays;
        if (!c.Business.RequireExpiringTokens) return null;
        GraphErrorWording w = c.Options.ExpiringTokensRequired;
        throw GraphErrors.Error(400, GraphErrors.OAuth, w.Code, w.Message.Replace("{business}", c.Business.Id), w.Subcode,
            userTitle: w.UserTitle, userMessage: w.UserMessage);
    }

    private static void RequireTokenManager(Call c, SystemUser user, string action)
    {
        if (c.Caller.IsBusinessAdmin(c.World) || c.Caller.UserId == user.Id) return;
        throw GraphErrors.Permission(
            $"(#200) Only a business admin, the business's admin system user or the system user itself can {action} system user {user.Id}",
            userTitle: "Not a business admin");
    }

    private static void RequireInstalled(SystemUser user, App app)
    {
        if (user.InstalledAppIds.Contains(app.Id)) return;
        throw GraphErrors.Param(
            $"(#100) Invalid business_app: app {app.Id} is not installed for system user {user.Id}. " +
            $"Install it first with POST /{user.Id}/applications business_app={app.Id}");
    }

    /// <summary>asset[]: WABA ids the token may see, each one the system user can see now; default all of those.</summary>
    private static string[] Assets(Call c, SystemUser user)
    {
        string[] access = c.World.WabaAccessOf(user.Id).ToArray();
        IReadOnlyList<string>? assets = c.P.GetList("asset");
        if (assets is null || assets.Count == 0) return access;
        foreach (string asset in assets)
        {
            if (!access.Contains(asset))
                throw GraphErrors.Param($"(#100) Param asset: {asset} is not an asset assigned to system user {user.Id}");
        }
        return assets.Distinct().ToArray();
    }
}
