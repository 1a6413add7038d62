using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>WABAs as assets: assign, list, unassign, and the business's WABA lists (docs/graph-api.md section 2).</summary>
internal static class WabaAssetHandlers
{
    private static readonly string[] AssignedDefaults = { "id", "name", "tasks" };

    /// <summary>POST /{waba-id}/assigned_users user=ID tasks=[...]; assigning again replaces the tasks.</summary>
    public static GraphResponse Assign(Call c, Waba waba)
    {
        c.RequireScope(Catalog.BusinessManagement);
        string userId = c.Required("user");
        string[] tasks = Catalog.Tasks(c.P, Catalog.WabaTasks);
        RequireUserOfBusiness(c, userId);
        c.RequireAdmin("assign WhatsApp Business Accounts");
        c.RequireWabaAccess(waba);
        int at = waba.Assignments.FindIndex(a => a.Key == userId);
        if (at >= 0) waba.Assignments[at] = new(userId, tasks);
        else waba.Assignments.Add(new(userId, tasks));
        return GraphResponse.Success();
    }

    /// <summary>GET /{waba-id}/assigned_users business=ID.</summary>
    public static GraphResponse List(Call c, Waba waba)
    {
        c.RequireScope(Catalog.BusinessManagement);
        string business = c.Required("business");
        if (business != c.Business.Id)
            throw GraphErrors.Param($"(#100) Param business must be a business that can access WhatsApp Business Account {waba.Id}");
        c.RequireWabaAccess(waba);
        var fields = Projections.AssignedUser(c.World);
        return GraphResponse.Ok(Paging.Page(c, waba.Assignments, a => a.Key, a => fields.Project(a, c.P, allowed: c.ItemFields)));
    }

    /// <summary>DELETE /{waba-id}/assigned_users user=ID; removing an absent grant still succeeds.</summary>
    public static GraphResponse Unassign(Call c, Waba waba)
    {
        c.RequireScope(Catalog.BusinessManagement);
        string userId = c.Required("user");
        RequireUserOfBusiness(c, userId);
        c.RequireAdmin("remove WhatsApp Business Account access");
        c.RequireWabaAccess(waba);
        waba.Assignments.RemoveAll(a => a.Key == userId);
        return GraphResponse.Success();
    }

    /// <summary>GET /{system-user-id}/assigned_whatsapp_business_accounts: explicit grants only.</summary>
    public static GraphResponse AssignedToUser(Call c, string userId)
    {
        c.RequireScope(Catalog.BusinessManagement);
        Waba[] wabas = c.Business.Wabas.Where(w => w.TasksOf(userId) is not null).ToArray();
        NodeFields<Waba> fields = Projections.Waba().Add("tasks", w => AppAssetHandlers.ToArray(w.TasksOf(userId)!));
        return GraphResponse.Ok(Paging.Page(c, wabas, w => w.Id, w => fields.Project(w, c.P, AssignedDefaults, c.ItemFields)));
    }

    /// <summary>GET /{business-id}/owned_whatsapp_business_accounts or /client_whatsapp_business_accounts.</summary>
    public static GraphResponse BusinessWabas(Call c, string relation)
    {
        c.RequireScope(Catalog.BusinessManagement);
        string[] visible = c.Caller.Token is { } token ? c.World.VisibleWabaIds(token) : Array.Empty<string>();
        Waba[] wabas = c.Business.Wabas.Where(w => w.Relation == relation && visible.Contains(w.Id)).ToArray();
        NodeFields<Waba> fields = Projections.Waba();
        return GraphResponse.Ok(Paging.Page(c, wabas, w => w.Id, w => fields.Project(w, c.P, allowed: c.ItemFields)));
    }

    private static void RequireUserOfBusiness(Call c, string userId)
    {
        if (c.World.FindSystemUser(userId) is null && c.World.FindPerson(userId) is null)
            throw GraphErrors.Param($"(#100) Param user must be a user or system user of business {c.Business.Id}");
    }
}
