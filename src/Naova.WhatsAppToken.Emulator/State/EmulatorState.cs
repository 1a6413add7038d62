using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>
/// Thread-safe read access to what the emulator holds, for assertions, plus the few runtime
/// switches a test needs (early token invalidation, a business that requires expiring tokens).
/// Every answer is a snapshot; token texts never leave it, only fingerprints.
/// </summary>
public sealed class EmulatorState
{
    internal EmulatorState(World world) => World = world;

    /// <summary>The one lock the core takes for each request.</summary>
    internal object Sync { get; } = new();

    internal World World { get; }

    public string BusinessId => World.Business.Id;

    /// <summary>The node type of an id, as Meta's specs name it ("Business", "SystemUser", ...), or null.</summary>
    public string? NodeTypeOf(string id)
    {
        lock (Sync)
        {
            if (id == World.Business.Id) return "Business";
            if (World.FindSystemUser(id) is not null) return "SystemUser";
            if (World.FindPerson(id) is not null) return "User";
            if (World.FindWaba(id) is not null) return "WhatsAppBusinessAccount";
            if (World.FindPhoneNumber(id) is not null) return Spec.GraphSurface.PhoneNumber;
            if (World.FindApp(id) is not null) return "Application";
            return null;
        }
    }

    public IReadOnlyList<SystemUserRecord> GetSystemUsers(string? businessId = null)
    {
        lock (Sync)
        {
            if (businessId is not null && businessId != World.Business.Id) return Array.Empty<SystemUserRecord>();
            return World.Business.SystemUsers.Select(ToRecord).ToArray();
        }
    }

    public SystemUserRecord? FindSystemUser(string id)
    {
        lock (Sync) return World.FindSystemUser(id) is { } u ? ToRecord(u) : null;
    }

    /// <summary>WABA id to (user id to tasks), for every WABA of the business.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> GetWabaAssignments()
    {
        lock (Sync)
        {
            return World.Business.Wabas.ToDictionary(
                w => w.Id,
                w => (IReadOnlyDictionary<string, IReadOnlyList<string>>)w.Assignments.ToDictionary(
                    a => a.Key, a => (IReadOnlyList<string>)a.Value.ToArray()));
        }
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> GetWabaAssignments(string wabaId) =>
        GetWabaAssignments().TryGetValue(wabaId, out var users)
            ? users
            : new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Every token issued or seeded, in issue order.</summary>
    public IReadOnlyList<TokenRecord> GetTokens()
    {
        lock (Sync) return World.Tokens.Select(ToRecord).ToArray();
    }

    public IReadOnlyList<TokenRecord> GetTokensOf(string userId)
    {
        lock (Sync) return World.Tokens.Where(t => t.UserId == userId).Select(ToRecord).ToArray();
    }

    /// <summary>Looks a token up by the text a test got from an API answer.</summary>
    public TokenRecord? FindToken(string tokenText)
    {
        lock (Sync) return World.TokensByText.TryGetValue(tokenText, out var t) ? ToRecord(t) : null;
    }

    public TokenRecord? FindTokenByFingerprint(string fingerprint)
    {
        lock (Sync) return World.Tokens.FirstOrDefault(t => t.Fingerprint == fingerprint) is { } t ? ToRecord(t) : null;
    }

    /// <summary>
    /// Simulates Meta invalidating a token early (app secret reset, security event): callers then get
    /// 190 with <paramref name="subcode"/> (467 invalid session, 460 password changed, ...).
    /// </summary>
    public bool InvalidateToken(string tokenText, int subcode = 467, string? message = null)
    {
        lock (Sync)
        {
            if (!World.TokensByText.TryGetValue(tokenText, out var t)) return false;
            Invalidate(t, subcode, message);
            return true;
        }
    }

    public bool InvalidateTokenByFingerprint(string fingerprint, int subcode = 467, string? message = null)
    {
        lock (Sync)
        {
            IssuedToken? t = World.Tokens.FirstOrDefault(x => x.Fingerprint == fingerprint);
            if (t is null) return false;
            Invalidate(t, subcode, message);
            return true;
        }
    }

    public bool GetRequireExpiringTokens(string? businessId = null)
    {
        lock (Sync) return World.Business.RequireExpiringTokens;
    }

    public void SetRequireExpiringTokens(string businessId, bool value)
    {
        lock (Sync)
        {
            if (businessId != World.Business.Id) throw new ArgumentException($"Unknown business {businessId}.", nameof(businessId));
            World.Business.RequireExpiringTokens = value;
        }
    }

    private static void Invalidate(IssuedToken t, int subcode, string? message)
    {
        t.InvalidSubcode = subcode;
        t.InvalidMessage = message;
    }

    private SystemUserRecord ToRecord(SystemUser u) =>
        new(u.Id, u.Name, u.Role, u.CreatedTime, World.Business.Id, u.CreatedById, u.InstalledAppIds.ToArray());

    private TokenRecord ToRecord(IssuedToken t) =>
        new(t.Fingerprint, t.Type, t.UserId, t.AppId, t.BusinessId, t.Scopes.ToArray(), t.IssuedAt, t.ExpiresAt,
            t.Revoked, t.InvalidSubcode is not null, World.VisibleWabaIds(t));
}
