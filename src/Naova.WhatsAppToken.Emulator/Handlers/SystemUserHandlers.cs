using System.Globalization;
using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>GET/POST /{business-id}/system_users and GET /{system-user-id} (docs/graph-api.md section 1).</summary>
internal static class SystemUserHandlers
{
    private static readonly string[] ListDefaults = { "id", "name", "role" };

    public static GraphResponse List(Call c)
    {
        c.RequireScope(Catalog.BusinessManagement);
        NodeFields<SystemUser> fields = Projections.SystemUser(c.World);
        return GraphResponse.Ok(Paging.Page(c, c.Business.SystemUsers, u => u.Id, u => fields.Project(u, c.P, ListDefaults, c.ItemFields)));
    }

    public static GraphResponse Get(Call c, SystemUser user)
    {
        c.RequireScope(Catalog.BusinessManagement);
        return GraphResponse.Ok(Projections.SystemUser(c.World).Project(user, c.P));
    }

    /// <summary>Creates a system user, or renames one when system_user_id is given.</summary>
    public static GraphResponse CreateOrRename(Call c)
    {
        c.RequireScope(Catalog.BusinessManagement);
        if (c.P.GetNonEmpty("system_user_id") is { } id) return Rename(c, id);

        string name = c.Required("name");
        string role = c.P.GetNonEmpty("role") ?? "EMPLOYEE";
        if (role is not ("ADMIN" or "EMPLOYEE"))
            throw GraphErrors.Param("(#100) Param role must be one of {ADMIN, EMPLOYEE}");
        c.RequireAdmin("create system users");
        bool hasAdmin = c.Business.SystemUsers.Any(u => u.IsAdmin);
        if (role == "ADMIN" && !hasAdmin && c.Caller.Kind != CallerKind.Person)
        {
            throw GraphErrors.Permission(
                "(#200) The first admin system user of a business can only be created with a business admin person's token",
                userTitle: "Not a business admin");
        }
        CheckLimits(c, role);

        var user = new SystemUser
        {
            Id = c.World.NewId(), Name = name, Role = role, CreatedTime = c.Now,
            CreatedById = c.Caller.UserId, CreatedByName = c.Caller.UserId is { } by ? c.World.NameOfUser(by) : null,
        };
        c.Business.SystemUsers.Add(user);
        return GraphResponse.Ok(new JsonObject { ["id"] = user.Id });
    }

    private static GraphResponse Rename(Call c, string id)
    {
        SystemUser user = c.World.FindSystemUser(id)
            ?? throw GraphErrors.Param($"(#100) Param system_user_id must be a system user of business {c.Business.Id}");
        string name = c.Required("name");
        c.RequireAdmin("rename system users");
        user.Name = name;
        return GraphResponse.Success();
    }

    private static void CheckLimits(Call c, string role)
    {
        int total = c.Business.SystemUsers.Count;
        if (total >= c.Options.MaxSystemUsers)
        {
            GraphErrorWording w = c.Options.SystemUserLimitReached;
            string message = w.Message.Replace("{business}", c.Business.Id).Replace("{count}", total.ToString(CultureInfo.InvariantCulture))
                .Replace("{max}", c.Options.MaxSystemUsers.ToString(CultureInfo.InvariantCulture));
            throw GraphErrors.Error(400, GraphErrors.OAuth, w.Code, message, w.Subcode, userTitle: w.UserTitle, userMessage: w.UserMessage);
        }
        int admins = c.Business.SystemUsers.Count(u => u.IsAdmin);
        if (role == "ADMIN" && admins >= c.Options.MaxAdminSystemUsers)
        {
            throw GraphErrors.Error(400, GraphErrors.OAuth, 100,
                $"(#100) Business {c.Business.Id} already has {admins} admin system user(s), the most it can have ({c.Options.MaxAdminSystemUsers})",
                userTitle: "Admin system user limit reached",
                userMessage: "A business can have only one admin system user. Reuse it, or create an EMPLOYEE system user.");
        }
    }
}
