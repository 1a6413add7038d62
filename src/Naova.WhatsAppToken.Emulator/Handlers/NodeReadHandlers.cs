using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Handlers;

/// <summary>GET /{id} for each node type, and the liveness reads of docs/graph-api.md section 8.</summary>
internal static class NodeReadHandlers
{
    public static GraphResponse Business(Call c) =>
        GraphResponse.Ok(Projections.Business().Project(c.Business, c.P));

    public static GraphResponse Person(Call c, Person person) =>
        GraphResponse.Ok(Projections.Person().Project(person, c.P));

    /// <summary>
    /// GET /{user-id}/business_users (User.json): the businesses the person belongs to, with the person's role in each.
    /// Only the person reads their own here, which is all the module asks; what Graph answers another caller is not
    /// documented.
    /// </summary>
    public static GraphResponse PersonBusinessUsers(Call c, Person person)
    {
        c.RequireScope(Catalog.BusinessManagement);
        if (c.Caller.UserId != person.Id) throw GraphErrors.Unsupported("GET", person.Id);
        NodeFields<Person> fields = Projections.BusinessUser(c.Business);
        return GraphResponse.Ok(Paging.Page(c, new[] { person }, p => p.Id, p => fields.Project(p, c.P, allowed: c.ItemFields)));
    }

    public static GraphResponse App(Call c, App app) =>
        GraphResponse.Ok(Projections.App().Project(app, c.P));

    /// <summary>GET /{waba-id}?fields=id,name,account_review_status,health_status.</summary>
    public static GraphResponse Waba(Call c, Waba waba)
    {
        c.RequireWabaAccess(waba);
        c.RequireScope(Catalog.WhatsAppManagement);
        return GraphResponse.Ok(Projections.Waba().Project(waba, c.P));
    }

    /// <summary>GET /{waba-id}/phone_numbers: fields, limit 1-100, after.</summary>
    public static GraphResponse PhoneNumbers(Call c, Waba waba)
    {
        c.RequireWabaAccess(waba);
        c.RequireScope(Catalog.WhatsAppManagement);
        NodeFields<PhoneNumber> fields = Projections.PhoneNumber();
        return GraphResponse.Ok(Paging.Page(c, waba.PhoneNumbers, n => n.Id, n => fields.Project(n, c.P, allowed: c.ItemFields),
            defaultLimit: 25, maxLimit: 100, strictLimit: true));
    }

    /// <summary>GET /{phone-number-id}?fields=display_phone_number,verified_name,quality_rating,...</summary>
    public static GraphResponse PhoneNumber(Call c, PhoneNumber number)
    {
        Waba waba = c.World.FindWaba(number.WabaId)!;
        if (c.Caller.Token is not { } token || !c.World.VisibleWabaIds(token).Contains(waba.Id))
        {
            throw c.Options.NoAccessErrorCode == 200
                ? GraphErrors.Permission($"(#200) Permissions error: the access token can not access phone number {number.Id}")
                : GraphErrors.Unsupported(c.Method, number.Id);
        }
        c.RequireScope(Catalog.WhatsAppManagement);
        return GraphResponse.Ok(Projections.PhoneNumber().Project(number, c.P));
    }
}
