namespace Naova.WhatsAppToken.Emulator.State;

// The mutable model. Only touched under EmulatorState.Sync.

internal sealed class Business
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public bool RequireExpiringTokens { get; set; }
    public DateTimeOffset CreatedTime { get; init; }
    public List<SystemUser> SystemUsers { get; } = new();
    public List<Person> People { get; } = new();
    public List<App> Apps { get; } = new();
    public List<Waba> Wabas { get; } = new();
}

internal sealed class App
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Secret { get; init; }
    public bool RequireAppSecretProof { get; init; }
    /// <summary>"owned" or "client" (the business's relation to the app).</summary>
    public string Relation { get; init; } = "owned";
}

internal sealed class Person
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool IsAdmin { get; init; }
    /// <summary>App id -> "administrator" or "developer": the app roles this person holds.</summary>
    public Dictionary<string, string> AppRoles { get; } = new(StringComparer.Ordinal);

    public string? AppRoleIn(string appId) => AppRoles.TryGetValue(appId, out string? role) ? role : null;
}

internal sealed class SystemUser
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    /// <summary>ADMIN or EMPLOYEE.</summary>
    public required string Role { get; init; }
    public DateTimeOffset CreatedTime { get; init; }
    public string? CreatedById { get; init; }
    public string? CreatedByName { get; init; }
    public List<string> InstalledAppIds { get; } = new();
    /// <summary>App id to tasks, from POST /{app}/assigned_users.</summary>
    public Dictionary<string, string[]> AppTasks { get; } = new();
    public bool IsAdmin => Role == "ADMIN";
}

internal sealed class Waba
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>"owned" or "client".</summary>
    public string Relation { get; init; } = "owned";
    public string OwnerBusinessId { get; init; } = "";
    public string OwnerBusinessName { get; init; } = "";
    public string Currency { get; init; } = "USD";
    public string TimezoneId { get; init; } = "1";
    public string MessageTemplateNamespace { get; init; } = "";
    public string AccountReviewStatus { get; init; } = "APPROVED";
    public List<PhoneNumber> PhoneNumbers { get; } = new();
    /// <summary>User id (system user or person) to tasks, in assignment order.</summary>
    public List<KeyValuePair<string, string[]>> Assignments { get; } = new();

    public string[]? TasksOf(string userId) =>
        Assignments.FirstOrDefault(a => a.Key == userId).Value;
}

internal sealed class PhoneNumber
{
    public required string Id { get; init; }
    public required string WabaId { get; init; }
    public string DisplayPhoneNumber { get; init; } = "";
    public string VerifiedName { get; init; } = "";
    public string QualityRating { get; init; } = "GREEN";
    public string CodeVerificationStatus { get; init; } = "VERIFIED";
    public string Status { get; init; } = "CONNECTED";
}

internal sealed class IssuedToken
{
    public required string Text { get; init; }
    public required string Fingerprint { get; init; }
    /// <summary>USER or SYSTEM_USER.</summary>
    public required string Type { get; init; }
    public required string UserId { get; init; }
    public required string AppId { get; init; }
    public required string BusinessId { get; init; }
    public required string[] Scopes { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    /// <summary>null: never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The WABAs its user could see when it was made; later grants are not picked up.</summary>
    public required string[] WabaIdsAtIssue { get; init; }
    public bool Revoked { get; set; }
    /// <summary>Set when invalidated early (a simulated security event); the 190 subcode to answer.</summary>
    public int? InvalidSubcode { get; set; }
    public string? InvalidMessage { get; set; }
}
