namespace Naova.WhatsAppToken.Emulator.Spec;

/// <summary>
/// One operation the emulator serves (or the conformance check accepts): a method on a node or an edge, the
/// params it takes, and the fields its answer (or each listed item) may be asked for. <see cref="Fields"/> is
/// null where fields are not checked (writes). <see cref="Source"/> says where each fact comes from.
/// </summary>
public sealed record GraphOperation(
    string NodeType, string Method, string? Edge, IReadOnlyList<ParamSpec> Params, IReadOnlySet<string>? Fields,
    string ItemType, string Source)
{
    public string Endpoint => Edge is null ? $"/{{{NodeType}}}" : NodeType == GraphSurface.Root ? "/" + Edge : $"/{{{NodeType}}}/{Edge}";
}

/// <summary>A field an edge adds to the items it lists that the item's node spec does not have.</summary>
public sealed record EdgeAddedField(string NodeType, string Edge, string Field, string Reference);

/// <summary>
/// The Graph surface the module drives: Meta's specs (Specs/*.json) first; then, in one place, what the specs do
/// not say and where it comes from: fields that an edge adds, edges that Meta's SDK models on User but a system
/// user id answers, and the endpoints the specs lack (held to docs/graph-api.md).
/// </summary>
public static class GraphSurface
{
    /// <summary>Node type of the root endpoints (debug_token, oauth/*, the batch POST /).</summary>
    public const string Root = "(root)";

    /// <summary>Not in the shipped specs: the phone number node, held to docs/graph-api.md sections 2 and 8.</summary>
    public const string PhoneNumber = "WhatsAppBusinessPhoneNumber";

    private const string GraphApiMd = "docs/graph-api.md";

    /// <summary>
    /// Params any Graph call may carry (Graph API "Using the Graph API", paging, appsecret_proof, batch). "id" too: Meta's
    /// own Node SDK sends the node's id in the body of every edge POST (createEdge merges the object's data into the
    /// params), so Graph takes it.
    /// </summary>
    public static readonly IReadOnlySet<string> CommonParams = new HashSet<string>(StringComparer.Ordinal)
    {
        "access_token", "appsecret_proof", "appsecret_time", "fields", "limit", "after", "before", "summary",
        "method", "pretty", "suppress_http_code", "locale", "debug", "format", "id",
    };

    /// <summary>Every field an edge adds, with the reference page that documents it ("fields added by this edge").</summary>
    public static readonly IReadOnlyList<EdgeAddedField> EdgeAddedFields = new[]
    {
        new EdgeAddedField("Business", "system_users", "role",
            "https://developers.facebook.com/docs/marketing-api/reference/business/system_users/ (and docs/graph-api.md section 1)"),
        new EdgeAddedField("WhatsAppBusinessAccount", "assigned_users", "tasks",
            "https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/assigned_users/"),
        new EdgeAddedField("SystemUser", "assigned_whatsapp_business_accounts", "tasks",
            "https://developers.facebook.com/docs/graph-api/reference/system-user/assigned_whatsapp_business_accounts/"),
        new EdgeAddedField("User", "assigned_whatsapp_business_accounts", "tasks",
            "https://developers.facebook.com/docs/graph-api/reference/user/assigned_whatsapp_business_accounts/"),
    };

    /// <summary>
    /// Edges of User.json that a system user id answers: Meta's SDKs call them on a User object built from the
    /// system user's id, and the System Users guide documents them on /{system-user-id}.
    /// </summary>
    public static readonly IReadOnlyList<(string Method, string Edge)> SystemUserEdgesFromUser = new[]
    {
        ("POST", "applications"), ("POST", "access_tokens"), ("DELETE", "access_tokens"),
    };

    private const string SystemUsersGuide =
        "User.json, on a system user id per https://developers.facebook.com/docs/business-management-apis/system-users/install-apps-and-generate-tokens";

    private static readonly string[] PhoneFields =
    {
        "id", "display_phone_number", "verified_name", "quality_rating", "code_verification_status", "status",
        "name_status", "platform_type", "throughput", "messaging_limit_tier", "account_mode",
        "is_official_business_account", "is_pin_enabled",
    };

    private static readonly string[] DebugTokenFields =
    {
        "app_id", "application", "type", "expires_at", "data_access_expires_at", "is_valid", "issued_at", "scopes",
        "granular_scopes", "user_id", "profile_id", "error", "metadata",
    };

    /// <summary>Endpoints and edges that no shipped spec has, as docs/graph-api.md documents them.</summary>
    private static readonly GraphOperation[] BeyondSpecs =
    {
        new(Root, "GET", "debug_token", Params(("input_token", true)), Set(DebugTokenFields), "debug_token", GraphApiMd + " section 4"),
        new(Root, "GET", "oauth/access_token",
            Params(("grant_type", true), ("client_id", true), ("client_secret", true), ("fb_exchange_token", false), ("set_token_expires_in_60_days", false)),
            Set("access_token", "token_type", "expires_in"), "oauth", GraphApiMd + " section 3"),
        new(Root, "GET", "oauth/revoke",
            Params(("client_id", true), ("client_secret", true), ("revoke_token", true)), null, "oauth", GraphApiMd + " section 3"),
        new(Root, "POST", "", Params(("batch", true), ("include_headers", false)), null, "batch", GraphApiMd + " section 7"),
        new("SystemUser", "GET", "assigned_apps", Params(), Set("id", "name", "tasks", "permitted_tasks", "can_be_removed"),
            "Application", GraphApiMd + " section 2"),
        new(PhoneNumber, "GET", null, Params(), Set(PhoneFields), PhoneNumber, GraphApiMd + " sections 2 and 8"),
    };

    /// <summary>
    /// The items of GET /{user-id}/business_users (User.json's edge returns BusinessUser, whose spec is not shipped): the
    /// fields of Meta's Business User reference, https://developers.facebook.com/docs/marketing-api/reference/business-user/
    /// (docs/graph-api.md section 1).
    /// </summary>
    private static readonly string[] BusinessUserFields =
    {
        "id", "business", "email", "finance_permission", "first_name", "ip_permission", "last_name", "marked_for_removal",
        "name", "pending_email", "role", "tasks", "title", "two_fac_status",
    };

    /// <summary>Edges that list items of a type the specs do not ship: their fields are docs/graph-api.md's.</summary>
    private static readonly Dictionary<string, string[]> ItemFieldsBeyondSpecs = new(StringComparer.Ordinal)
    {
        ["WhatsAppBusinessAccountToNumberCurrentStatus"] = PhoneFields,
        ["BusinessUser"] = BusinessUserFields,
    };

    /// <summary>The operation for (node type, method, edge), or null when neither the specs nor docs/graph-api.md have it.</summary>
    public static GraphOperation? Find(string nodeType, string method, string? edge)
    {
        method = method.ToUpperInvariant();
        GraphOperation? beyond = BeyondSpecs.FirstOrDefault(o => o.NodeType == nodeType && o.Method == method && o.Edge == edge);
        if (beyond is not null) return beyond;
        MetaSpecs specs = MetaSpecs.Instance;
        NodeSpec? node = specs.Node(nodeType);
        if (node is null) return null;
        EdgeSpec? spec = node.Edge(method, edge);
        if (spec is null && nodeType == "SystemUser" && edge is not null && SystemUserEdgesFromUser.Contains((method, edge)))
        {
            spec = specs.RequireNode("User").Edge(method, edge);
            if (spec is not null) spec = spec with { Source = SystemUsersGuide };
        }
        if (spec is null) return null;
        string itemType = edge is null ? nodeType : spec.Returns ?? "Object";
        return new GraphOperation(nodeType, method, edge, spec.Params, method == "GET" ? FieldsOf(nodeType, edge, itemType) : null,
            itemType, spec.Source);
    }

    /// <summary>The fields a GET may ask for: the item node's spec fields, plus the fields this edge adds.</summary>
    public static IReadOnlySet<string>? FieldsOf(string nodeType, string? edge, string itemType)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        if (MetaSpecs.Instance.Node(itemType) is { } item) fields.UnionWith(item.Fields);
        else if (ItemFieldsBeyondSpecs.TryGetValue(itemType, out string[]? beyond)) fields.UnionWith(beyond);
        else return null;
        fields.Add("id");
        if (edge is not null)
            fields.UnionWith(EdgeAddedFields.Where(f => f.NodeType == nodeType && f.Edge == edge).Select(f => f.Field));
        return fields;
    }

    /// <summary>The fields GET /{id} answers for a node type, from its spec (or docs/graph-api.md for phone numbers).</summary>
    public static IReadOnlySet<string> NodeFields(string nodeType) =>
        FieldsOf(nodeType, null, nodeType) ?? Find(nodeType, "GET", null)?.Fields
        ?? throw new InvalidOperationException($"No fields are known for node type {nodeType}.");

    private static ParamSpec[] Params(params (string Name, bool Required)[] items) =>
        items.Select(i => new ParamSpec(i.Name, i.Required, "string")).ToArray();

    private static HashSet<string> Set(params string[] items) => new HashSet<string>(items, StringComparer.Ordinal);
}
