using System.Globalization;
using System.Text.Json.Nodes;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>The fields each node type answers, with Meta's default field sets.</summary>
internal static class Projections
{
    public static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    public static NodeFields<SystemUser> SystemUser(World world) =>
        new NodeFields<SystemUser>("SystemUser", "id", "name")
            .Add("id", u => u.Id)
            .Add("name", u => u.Name)
            .Add("role", u => u.Role)
            .Add("created_time", u => Time(u.CreatedTime))
            .Add("created_by", u => u.CreatedById is null ? null
                : new JsonObject { ["id"] = u.CreatedById, ["name"] = u.CreatedByName ?? world.NameOfUser(u.CreatedById) })
            .Add("finance_permission", u => u.IsAdmin ? "EDITOR" : null)
            .Add("ip_permission", _ => null);

    /// <summary>An item of GET /{waba-id}/assigned_users: AssignedUser.json's fields, plus tasks (added by the edge).</summary>
    public static NodeFields<KeyValuePair<string, string[]>> AssignedUser(World world) =>
        new NodeFields<KeyValuePair<string, string[]>>("AssignedUser", "id", "name", "tasks")
            .Add("id", a => a.Key)
            .Add("name", a => world.NameOfUser(a.Key))
            .Add("user_type", a => world.FindSystemUser(a.Key) is null ? "USER" : "SYSTEM_USER")
            .Add("business", _ => new JsonObject { ["id"] = world.Business.Id, ["name"] = world.Business.Name })
            .Add("tasks", a => new JsonArray(a.Value.Select(t => (JsonNode?)t).ToArray()));

    public static NodeFields<Person> Person() =>
        new NodeFields<Person>("User", "id", "name")
            .Add("id", p => p.Id)
            .Add("name", p => p.Name);

    /// <summary>A person as a user of <paramref name="business"/>: its role there (the emulator keeps one business).</summary>
    public static NodeFields<Person> BusinessUser(Business business) =>
        new NodeFields<Person>("BusinessUser", "id", "name")
            .Add("id", p => p.Id)
            .Add("name", p => p.Name)
            .Add("role", p => p.IsAdmin ? "ADMIN" : "EMPLOYEE")
            .Add("business", _ => new JsonObject { ["id"] = business.Id, ["name"] = business.Name });

    public static NodeFields<Business> Business() =>
        new NodeFields<Business>("Business", "id", "name")
            .Add("id", b => b.Id)
            .Add("name", b => b.Name)
            .Add("created_time", b => Time(b.CreatedTime))
            .Add("verification_status", _ => "verified")
            .Add("timezone_id", _ => 1);

    public static NodeFields<App> App() =>
        new NodeFields<App>("Application", "id", "name")
            .Add("id", a => a.Id)
            .Add("name", a => a.Name)
            .Add("link", a => $"https://www.facebook.com/games/?app_id={a.Id}");

    public static NodeFields<Waba> Waba() =>
        new NodeFields<Waba>("WhatsAppBusinessAccount", "id", "name")
            .Add("id", w => w.Id)
            .Add("name", w => w.Name)
            .Add("currency", w => w.Currency)
            .Add("timezone_id", w => w.TimezoneId)
            .Add("message_template_namespace", w => w.MessageTemplateNamespace)
            .Add("account_review_status", w => w.AccountReviewStatus)
            .Add("business_verification_status", _ => "verified")
            .Add("ownership_type", w => w.Relation == "owned" ? "SELF" : "CLIENT_OWNED")
            .Add("owner_business_info", w => new JsonObject { ["id"] = w.OwnerBusinessId, ["name"] = w.OwnerBusinessName })
            .Add("health_status", w => new JsonObject
            {
                ["can_send_message"] = "AVAILABLE",
                ["entities"] = new JsonArray(new JsonObject
                {
                    ["entity_type"] = "WABA", ["id"] = w.Id, ["can_send_message"] = "AVAILABLE",
                }),
            });

    public static readonly string[] PhoneDefaults =
        { "verified_name", "code_verification_status", "display_phone_number", "quality_rating", "platform_type", "throughput" };

    public static NodeFields<PhoneNumber> PhoneNumber() =>
        new NodeFields<PhoneNumber>("WhatsAppBusinessPhoneNumber", PhoneDefaults)
            .Add("id", n => n.Id)
            .Add("display_phone_number", n => n.DisplayPhoneNumber)
            .Add("verified_name", n => n.VerifiedName)
            .Add("quality_rating", n => n.QualityRating)
            .Add("code_verification_status", n => n.CodeVerificationStatus)
            .Add("status", n => n.Status)
            .Add("name_status", _ => "APPROVED")
            .Add("platform_type", _ => "CLOUD_API")
            .Add("throughput", _ => new JsonObject { ["level"] = "STANDARD" })
            .Add("messaging_limit_tier", _ => "TIER_1K")
            .Add("account_mode", _ => "LIVE")
            .Add("is_official_business_account", _ => false)
            .Add("is_pin_enabled", _ => false);
}
