using Naova.WhatsAppToken.Emulator.Handlers;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>Which handler answers (node type, edge, method); anything else is 100/33.</summary>
internal static class Router
{
    public static GraphResponse Dispatch(Call c, string? edge)
    {
        World w = c.World;
        string id = c.NodeId;
        string m = c.Method;

        if (id == w.Business.Id)
        {
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.Business(c),
                ("system_users", "GET") => SystemUserHandlers.List(c),
                ("system_users", "POST") => SystemUserHandlers.CreateOrRename(c),
                ("system_user_access_tokens", "POST") => TokenHandlers.CreateForBusiness(c),
                ("owned_whatsapp_business_accounts", "GET") => WabaAssetHandlers.BusinessWabas(c, "owned"),
                ("client_whatsapp_business_accounts", "GET") => WabaAssetHandlers.BusinessWabas(c, "client"),
                ("owned_apps", "GET") => AppAssetHandlers.BusinessApps(c, "owned"),
                ("client_apps", "GET") => AppAssetHandlers.BusinessApps(c, "client"),
                _ => throw Unsupported(c),
            };
        }
        if (w.FindSystemUser(id) is { } user)
        {
            return (edge, m) switch
            {
                (null, "GET") => SystemUserHandlers.Get(c, user),
                ("applications", "POST") => AppAssetHandlers.Install(c, user),
                ("assigned_apps", "GET") => AppAssetHandlers.AssignedApps(c, user),
                ("access_tokens", "POST") => TokenHandlers.Create(c, user),
                ("access_tokens", "DELETE") => TokenHandlers.RevokeAll(c, user),
                ("assigned_whatsapp_business_accounts", "GET") => WabaAssetHandlers.AssignedToUser(c, user.Id),
                _ => throw Unsupported(c),
            };
        }
        if (w.FindPerson(id) is { } person)
        {
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.Person(c, person),
                ("assigned_whatsapp_business_accounts", "GET") => WabaAssetHandlers.AssignedToUser(c, person.Id),
                _ => throw Unsupported(c),
            };
        }
        if (w.FindWaba(id) is { } waba)
        {
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.Waba(c, waba),
                ("phone_numbers", "GET") => NodeReadHandlers.PhoneNumbers(c, waba),
                ("assigned_users", "GET") => WabaAssetHandlers.List(c, waba),
                ("assigned_users", "POST") => WabaAssetHandlers.Assign(c, waba),
                ("assigned_users", "DELETE") => WabaAssetHandlers.Unassign(c, waba),
                _ => throw Unsupported(c),
            };
        }
        if (w.FindPhoneNumber(id) is { } number && edge is null && m == "GET")
            return NodeReadHandlers.PhoneNumber(c, number);
        if (w.FindApp(id) is { } app)
        {
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.App(c, app),
                ("assigned_users", "POST") => AppAssetHandlers.Assign(c, app),
                _ => throw Unsupported(c),
            };
        }
        throw Unsupported(c);
    }

    private static GraphException Unsupported(Call c) => GraphErrors.Unsupported(c.Method, c.NodeId);
}
