using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>
/// Apps as assets of a system user: install, list (docs/graph-api.md section 2). POST /{app-id}/assigned_users, seen
/// only in third-party code, is not served: Application.json gives the app node no such edge.
/// </summary>
internal static class AppAssetHandlers
{
    // The task a user holds on an app when nothing more was granted.
    private static readonly string[] ManageOnly = { "MANAGE" };
    private static readonly string[] AssignedAppDefaults = { "id", "name", "tasks", "permitted_tasks", "can_be_removed" };

    /// <summary>POST /{system-user-id}/applications business_app=APPID.</summary>
    public static GraphResponse Install(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        App app = AppOfBusiness(c, c.Required("business_app"), "business_app");
        c.RequireAdmin("install apps for system users");
        if (!user.InstalledAppIds.Contains(app.Id)) user.InstalledAppIds.Add(app.Id);
        return GraphResponse.Success();
    }

    /// <summary>GET /{system-user-id}/assigned_apps.</summary>
    public static GraphResponse AssignedApps(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        App[] apps = user.InstalledAppIds.Select(c.World.FindApp).OfType<App>().ToArray();
        NodeFields<App> fields = Projections.App()
            .Add("tasks", a => ToArray(user.AppTasks.TryGetValue(a.Id, out var tasks) ? tasks : ManageOnly))
            .Add("permitted_tasks", _ => ToArray(Catalog.AppTasks))
            .Add("can_be_removed", _ => true);
        return GraphResponse.Ok(Paging.Page(c, apps, a => a.Id,
            a => fields.Project(a, c.P, AssignedAppDefaults, c.ItemFields)));
    }

    /// <summary>GET /{business-id}/owned_apps or /client_apps.</summary>
    public static GraphResponse BusinessApps(Call c, string relation)
    {
        c.RequireScope(Catalog.BusinessManagement);
        NodeFields<App> fields = Projections.App();
        App[] apps = c.Business.Apps.Where(a => a.Relation == relation).ToArray();
        return GraphResponse.Ok(Paging.Page(c, apps, a => a.Id, a => fields.Project(a, c.P, allowed: c.ItemFields)));
    }

    public static App AppOfBusiness(Call c, string appId, string parameter) =>
        c.World.FindApp(appId)
        ?? throw GraphErrors.Param($"(#100) Param {parameter} must be the id of an app of business {c.Business.Id}");

    public static JsonArray ToArray(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)i).ToArray());
}
