using Naova.WhatsAppToken.Emulator.Spec;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>The scopes and tasks the emulator knows (docs/graph-api.md sections 2 and 3; WABA tasks from the spec).</summary>
internal static class Catalog
{
    public const string BusinessManagement = "business_management";
    public const string WhatsAppManagement = "whatsapp_business_management";
    public const string WhatsAppMessaging = "whatsapp_business_messaging";

    public static readonly string[] Scopes =
    {
        BusinessManagement, WhatsAppManagement, WhatsAppMessaging, "whatsapp_business_manage_events",
        "ads_management", "ads_read", "catalog_management", "pages_show_list", "pages_read_engagement",
        "pages_manage_metadata", "pages_messaging", "public_profile", "email", "read_insights",
        "instagram_basic", "instagram_manage_messages", "leads_retrieval",
    };

    /// <summary>The tasks POST /{waba-id}/assigned_users takes: its enum in Meta's spec (enum_types.json).</summary>
    public static readonly string[] WabaTasks =
        MetaSpecs.Instance.Enum("whatsappbusinessaccountassigned_users_tasks_enum_param")!.ToArray();

    public static readonly string[] AppTasks = { "MANAGE", "DEVELOP" };

    /// <summary>A required, non-empty list of known tasks.</summary>
    public static string[] Tasks(GraphParameters p, string[] known)
    {
        IReadOnlyList<string> tasks = p.GetList("tasks") ?? throw GraphErrors.Required("tasks");
        if (tasks.Count == 0) throw GraphErrors.Required("tasks");
        for (int i = 0; i < tasks.Count; i++)
        {
            if (!known.Contains(tasks[i], StringComparer.Ordinal))
                throw GraphErrors.Param($"(#100) Param tasks[{i}] must be one of {{{string.Join(", ", known)}}}");
        }
        return tasks.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>A required, non-empty list of known scopes.</summary>
    public static string[] ScopeList(GraphParameters p)
    {
        IReadOnlyList<string> scopes = p.GetList("scope") ?? throw GraphErrors.Required("scope");
        if (scopes.Count == 0) throw GraphErrors.Required("scope");
        foreach (string scope in scopes)
        {
            if (!Scopes.Contains(scope, StringComparer.Ordinal))
                throw GraphErrors.Param($"(#100) Invalid scope: {scope}");
        }
        return scopes.Distinct(StringComparer.Ordinal).ToArray();
    }
}
