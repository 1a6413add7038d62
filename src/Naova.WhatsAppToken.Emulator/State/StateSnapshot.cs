using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.Handlers;

namespace Naova.WhatsAppToken.Emulator.State;

/// <summary>GET /_emulator/state: everything but secrets (token texts, the app secret).</summary>
internal static class StateSnapshot
{
    public static JsonObject Build(EmulatorState state, DateTimeOffset now)
    {
        lock (state.Sync)
        {
            World w = state.World;
            return new JsonObject
            {
                ["now"] = Projections.Time(now),
                ["business"] = new JsonObject
                {
                    ["id"] = w.Business.Id, ["name"] = w.Business.Name, ["requireExpiringTokens"] = w.Business.RequireExpiringTokens,
                },
                ["apps"] = Array(w.Business.Apps, a => new JsonObject
                {
                    ["id"] = a.Id, ["name"] = a.Name, ["relation"] = a.Relation, ["requireAppSecretProof"] = a.RequireAppSecretProof,
                }),
                ["people"] = Array(w.Business.People, p => new JsonObject { ["id"] = p.Id, ["name"] = p.Name, ["admin"] = p.IsAdmin }),
                ["systemUsers"] = Array(w.Business.SystemUsers, u => new JsonObject
                {
                    ["id"] = u.Id, ["name"] = u.Name, ["role"] = u.Role, ["createdTime"] = Projections.Time(u.CreatedTime),
                    ["installedApps"] = AppAssetHandlers.ToArray(u.InstalledAppIds),
                }),
                ["wabas"] = Array(w.Business.Wabas, x => new JsonObject
                {
                    ["id"] = x.Id, ["name"] = x.Name, ["relation"] = x.Relation,
                    ["phoneNumbers"] = AppAssetHandlers.ToArray(x.PhoneNumbers.Select(n => n.Id)),
                    ["assignedUsers"] = Array(x.Assignments, a => new JsonObject
                    {
                        ["user"] = a.Key, ["tasks"] = AppAssetHandlers.ToArray(a.Value),
                    }),
                }),
                ["tokens"] = Array(w.Tokens, t => new JsonObject
                {
                    ["fingerprint"] = t.Fingerprint, ["type"] = t.Type, ["userId"] = t.UserId, ["appId"] = t.AppId,
                    ["scopes"] = AppAssetHandlers.ToArray(t.Scopes), ["issuedAt"] = Projections.Time(t.IssuedAt),
                    ["expiresAt"] = t.ExpiresAt is { } at ? Projections.Time(at) : null,
                    ["revoked"] = t.Revoked, ["invalidated"] = t.InvalidSubcode is not null,
                    ["valid"] = TokenCheck.Problem(t, now) is null,
                    ["visibleWabaIds"] = AppAssetHandlers.ToArray(w.VisibleWabaIds(t)),
                }),
            };
        }
    }

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonObject> project) =>
        new(items.Select(i => (JsonNode?)project(i)).ToArray());
}
