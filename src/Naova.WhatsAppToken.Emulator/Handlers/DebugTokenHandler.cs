using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>GET /debug_token?input_token=... (docs/graph-api.md section 4): 200 even for an invalid input token.</summary>
internal static class DebugTokenHandler
{
    private static readonly string[] TargetedScopes = { Catalog.WhatsAppManagement, Catalog.WhatsAppMessaging };

    public const string CallerRefused =
        "(#100) You must provide an app access token, or a user access token that is an owner or developer of the app";

    public static GraphResponse Handle(Call c)
    {
        string input = c.Required("input_token");
        if (!MayInspect(c)) throw GraphErrors.Param(CallerRefused);
        if (input.Contains('|')) return AppTokenData(c, input);
        if (!c.World.TokensByText.TryGetValue(input, out IssuedToken? token))
        {
            return Data(new JsonObject
            {
                ["error"] = Error(190, null, "Invalid OAuth access token - Cannot parse access token"),
                ["is_valid"] = false,
                ["scopes"] = new JsonArray(),
            });
        }
        App app = c.World.FindApp(token.AppId)!;
        if (app.Id != c.Caller.App.Id)
        {
            return Data(new JsonObject
            {
                ["error"] = Error(190, null, "The App_id in the input_token did not match the Viewing App"),
                ["is_valid"] = false,
                ["scopes"] = new JsonArray(),
            });
        }
        return Data(Describe(c, token, app));
    }

    /// <summary>
    /// docs/graph-api.md section 4: an app token, or a USER token of an administrator or developer of the app. A system
    /// user's token is neither (the emulator gives system users no app roles).
    /// </summary>
    private static bool MayInspect(Call c) => c.Caller.Kind switch
    {
        CallerKind.App => true,
        CallerKind.Person => c.Caller.UserId is { } id && c.World.FindPerson(id)?.AppRoleIn(c.Caller.App.Id) is not null,
        _ => false,
    };

    private static JsonObject Describe(Call c, IssuedToken token, App app)
    {
        TokenProblem? problem = TokenCheck.Problem(token, c.Now);
        long expires = token.ExpiresAt?.ToUnixTimeSeconds() ?? 0;
        var data = new JsonObject
        {
            ["app_id"] = app.Id,
            ["type"] = token.Type,
            ["application"] = app.Name,
            ["data_access_expires_at"] = expires,
            ["expires_at"] = expires,
            ["is_valid"] = problem is null,
            ["issued_at"] = token.IssuedAt.ToUnixTimeSeconds(),
            ["scopes"] = AppAssetHandlers.ToArray(token.Scopes),
            ["granular_scopes"] = GranularScopes(c.World, token),
            ["user_id"] = token.UserId,
        };
        if (problem is { } p) data["error"] = Error(p.Code, p.Subcode, p.Message);
        return data;
    }

    /// <summary>target_ids for the WhatsApp scopes lists the token's WABAs, and is left out when it sees them all.</summary>
    private static JsonArray GranularScopes(World world, IssuedToken token)
    {
        bool all = world.SeesEveryWaba(token);
        var result = new JsonArray();
        foreach (string scope in token.Scopes)
        {
            var entry = new JsonObject { ["scope"] = scope };
            if (!all && TargetedScopes.Contains(scope))
                entry["target_ids"] = AppAssetHandlers.ToArray(world.VisibleWabaIds(token));
            result.Add(entry);
        }
        return result;
    }

    private static GraphResponse AppTokenData(Call c, string input)
    {
        Caller app;
        try { app = Caller.ResolveAppToken(c.World, input); }
        catch (GraphException e)
        {
            string message = e.Message;
            return Data(new JsonObject { ["error"] = Error(190, null, message), ["is_valid"] = false, ["scopes"] = new JsonArray() });
        }
        return Data(new JsonObject
        {
            ["app_id"] = app.App.Id, ["type"] = "APP", ["application"] = app.App.Name, ["is_valid"] = true,
            ["scopes"] = new JsonArray(),
        });
    }

    private static JsonObject Error(int code, int? subcode, string message)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (subcode is not null) error["subcode"] = subcode;
        return error;
    }

    private static GraphResponse Data(JsonObject data) => GraphResponse.Ok(new JsonObject { ["data"] = data });
}
