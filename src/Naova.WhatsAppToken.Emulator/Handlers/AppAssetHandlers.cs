using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>Apps as assets of a system user: install, assign with tasks, list (graph-api.md section 2).</summary>
internal static class AppAssetHandlers
{
    /// <summary>POST /{system-user-id}/applications business_app=APPID.</summary>
    public static GraphResponse Install(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        App app = AppOfBusiness(c, c.Required("business_app"), "business_app");
        c.RequireAdmin("install apps for system users");
        if (!user.InstalledAppIds.Contains(app.Id)) user.InstalledAppIds.Add(app.Id);
        return GraphResponse.Success();
    }

    /// <summary>POST /{app-id}/assigned_users user=ID tasks=["MANAGE"] business=ID (third-party reading; per option).</summary>
    public static GraphResponse Assign(Call c, App app)
    {
        if (!c.Options.AppAssignedUsersEdge) throw GraphErrors.Unsupported(c.Method, app.Id);
        c.RequireScope(Catalog.BusinessManagement);
        string userId = c.Required("user");
        string[] tasks = Catalog.Tasks(c.P, Catalog.AppTasks);
        if (c.P.GetNonEmpty("business") is { } business && business != c.Business.Id)
            throw GraphErrors.Param($"(#100) Param business must be the business that owns app {app.Id}");
        SystemUser user = c.World.FindSystemUser(userId)
            ?? throw GraphErrors.Param($"(#100) Param user must be a system user of business {c.Business.Id}");
        c.RequireAdmin("assign apps");
        user.AppTasks[app.Id] = tasks;
        if (!user.InstalledAppIds.Contains(app.Id)) user.InstalledAppIds.Add(app.Id);
        return GraphResponse.Success();
    }

    /// <summary>GET /{system-user-id}/assigned_apps.</summary>
    public static GraphResponse AssignedApps(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        App[] apps = user.InstalledAppIds.Select(c.World.FindApp).OfType<App>().ToArray();
        return GraphResponse.Ok(Paging.Page(c, apps, a => a.Id, a => new JsonObject
        {
            ["id"] = a.Id,
            ["name"] = a.Name,
            ["tasks"] = ToArray(user.AppTasks.TryGetValue(a.Id, out var tasks) ? tasks : new[] { "MANAGE" }),
            ["permitted_tasks"] = ToArray(Catalog.AppTasks),
            ["can_be_removed"] = true,
        }));
    }

    /// <summary>GET /{business-id}/owned_apps or /client_apps.</summary>
    public static GraphResponse BusinessApps(Call c, string relation)
    {
        c.RequireScope(Catalog.BusinessManagement);
        NodeFields<App> fields = Projections.App();
        App[] apps = c.Business.Apps.Where(a => a.Relation == relation).ToArray();
        return GraphResponse.Ok(Paging.Page(c, apps, a => a.Id, a => fields.Project(a, c.P)));
    }

    public static App AppOfBusiness(Call c, string appId, string parameter) =>
        c.World.FindApp(appId)
        ?? throw GraphErrors.Param($"(#100) Param {parameter} must be the id of an app of business {c.Business.Id}");

    public static JsonArray ToArray(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)i).ToArray());
}
