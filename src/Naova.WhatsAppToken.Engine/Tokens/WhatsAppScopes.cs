using System;
using System.Collections.Generic;
using System.Linq;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>Token scopes (what a token may do), as opposed to asset tasks (what a user may do on an asset).</summary>
    public static class WhatsAppScopes
    {
        public const string BusinessManagement = "business_management";
        public const string WhatsAppBusinessManagement = "whatsapp_business_management";
        public const string WhatsAppBusinessMessaging = "whatsapp_business_messaging";

        /// <summary>The three scopes a permanent WhatsApp token needs.</summary>
        public static readonly IReadOnlyList<string> Required = new[] { BusinessManagement, WhatsAppBusinessManagement, WhatsAppBusinessMessaging };

        /// <summary>Scopes the module knows; Meta adds new ones, so unknown ones are sent with a warning, not refused.</summary>
        public static readonly IReadOnlyList<string> Known = new[]
        {
            BusinessManagement, WhatsAppBusinessManagement, WhatsAppBusinessMessaging,
            "ads_management", "ads_read", "catalog_management", "pages_messaging", "pages_read_engagement",
            "pages_manage_metadata", "public_profile", "read_insights", "whatsapp_business_manage_events",
        };

        public static bool IsKnown(string scope) => Known.Contains(scope, StringComparer.Ordinal);

        public static IReadOnlyList<string> Normalize(IEnumerable<string> scopes) =>
            scopes.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Tasks a user is given on an asset (WABA or app).</summary>
    public static class AssetTasks
    {
        // Meta's spec enum for POST /{waba-id}/assigned_users (whatsappbusinessaccountassigned_users_tasks_enum_param in
        // Meta's enum_types.json, shipped in src/Naova.WhatsAppToken.Emulator/Specs/). docs/graph-api.md adds VIEW_INSIGHTS, MANAGE_USERS and MANAGE_BILLING from
        // solution-partner pages; the spec lacks them, and the spec wins: they are sent, if asked for, with the warning
        // any task this list lacks gets (Meta refuses them where its enum holds).
        public static readonly IReadOnlyList<string> WhatsAppBusinessAccount = new[]
        {
            "MANAGE", "DEVELOP", "MANAGE_TEMPLATES", "MANAGE_PHONE", "VIEW_COST", "MANAGE_EXTENSIONS",
            "VIEW_PHONE_ASSETS", "MANAGE_PHONE_ASSETS", "VIEW_TEMPLATES", "MESSAGING",
        };

        public static readonly IReadOnlyList<string> App = new[] { "MANAGE", "DEVELOP" };

        public static bool IsKnownWabaTask(string task) => WhatsAppBusinessAccount.Contains(task, StringComparer.Ordinal);

        public static IReadOnlyList<string> Normalize(IEnumerable<string> tasks) =>
            tasks.Select(t => t.Trim().ToUpperInvariant()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }
}
