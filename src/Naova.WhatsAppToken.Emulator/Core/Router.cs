using Naova.WhatsAppToken.Emulator.Handlers;
using Naova.WhatsAppToken.Emulator.Spec;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// Which handler answers (node type, edge, method), once <see cref="SpecGate"/> has held the call to Meta's spec of
/// that node; anything else is 100/33 ("Unsupported get request").
/// </summary>
internal static class Router
{
    public static GraphResponse Dispatch(Call c, string? edge)
    {
        World w = c.World;
        string id = c.NodeId;
        string m = c.Method;

        if (id == w.Business.Id)
        {
            SpecGate.Check(c, "Business", edge);
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
            SpecGate.Check(c, "SystemUser", edge);
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
            SpecGate.Check(c, "User", edge);
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.Person(c, person),
                ("business_users", "GET") => NodeReadHandlers.PersonBusinessUsers(c, person),
                ("assigned_whatsapp_business_accounts", "GET") => WabaAssetHandlers.AssignedToUser(c, person.Id),
                _ => throw Unsupported(c),
            };
        }
        if (w.FindWaba(id) is { } waba)
        {
            SpecGate.Check(c, "WhatsAppBusinessAccount", edge);
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
        if (w.FindPhoneNumber(id) is { } number)
        {
            SpecGate.Check(c, GraphSurface.PhoneNumber, edge);
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.PhoneNumber(c, number),
                _ => throw Unsupported(c),
            };
        }
        if (w.FindApp(id) is { } app)
        {
            // POST /{app-id}/assigned_users is seen in third-party code only: Application.json has no such edge.
            SpecGate.Check(c, "Application", edge);
            return (edge, m) switch
            {
                (null, "GET") => NodeReadHandlers.App(c, app),
                _ => throw Unsupported(c),
            };
        }
        throw Unsupported(c);
    }

    private static GraphException Unsupported(Call c) => GraphErrors.Unsupported(c.Method, c.NodeId);
}
