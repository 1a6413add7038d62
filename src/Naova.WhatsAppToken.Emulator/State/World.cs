using System.Security.Cryptography;
using Naova.WhatsAppToken.Emulator.Seed;

namespace Naova.WhatsAppToken.Emulator.State;

/// <summary>Everything the emulator knows, and the rules that read across it (who sees which WABA).</summary>
internal sealed class World
{
    public required Business Business { get; init; }
    public Dictionary<string, IssuedToken> TokensByText { get; } = new(StringComparer.Ordinal);
    /// <summary>Issue order, for listing.</summary>
    public List<IssuedToken> Tokens { get; } = new();

    public static World FromSeed(SeedFile seed, DateTimeOffset now, EmulatorOptions options)
    {
        var business = new Business
        {
            Id = seed.Business.Id,
            Name = seed.Business.Name,
            RequireExpiringTokens = options.RequireExpiringTokens ?? seed.Business.RequireExpiringTokens,
            CreatedTime = seed.Business.CreatedTime ?? now.AddYears(-1),
        };
        foreach (SeedApp a in seed.Apps)
        {
            business.Apps.Add(new App
            {
                Id = a.Id, Name = a.Name, Secret = a.Secret, Relation = a.Relation,
                RequireAppSecretProof = options.RequireAppSecretProof ?? a.RequireAppSecretProof,
            });
        }
        foreach (SeedPerson p in seed.People)
        {
            var person = new Person { Id = p.Id, Name = p.Name, IsAdmin = p.Role == "ADMIN" };
            if (p.AppRole is { Length: > 0 } appRole) person.AppRoles[p.AppId ?? business.Apps[0].Id] = appRole;
            business.People.Add(person);
        }
        foreach (SeedWaba w in seed.Wabas)
            business.Wabas.Add(ToWaba(w, business));
        foreach (SeedSystemUser s in seed.SystemUsers)
        {
            var user = new SystemUser { Id = s.Id, Name = s.Name, Role = s.Role, CreatedTime = s.CreatedTime ?? now };
            user.InstalledAppIds.AddRange(s.InstalledApps);
            business.SystemUsers.Add(user);
        }

        var world = new World { Business = business };
        foreach (SeedPerson p in seed.People.Where(p => p.Token.Length > 0))
        {
            world.AddToken(p.Token, "USER", p.Id, p.AppId ?? business.Apps[0].Id, p.Scopes.ToArray(),
                now, p.ExpiresAt);
        }
        return world;
    }

    private static Waba ToWaba(SeedWaba w, Business business)
    {
        var waba = new Waba
        {
            Id = w.Id, Name = w.Name, Relation = w.Relation,
            OwnerBusinessId = w.OwnerBusiness?.Id ?? business.Id,
            OwnerBusinessName = w.OwnerBusiness?.Name ?? business.Name,
            Currency = w.Currency, TimezoneId = w.TimezoneId,
            MessageTemplateNamespace = w.MessageTemplateNamespace, AccountReviewStatus = w.AccountReviewStatus,
        };
        foreach (SeedPhoneNumber n in w.PhoneNumbers)
        {
            waba.PhoneNumbers.Add(new PhoneNumber
            {
                Id = n.Id, WabaId = w.Id, DisplayPhoneNumber = n.DisplayPhoneNumber, VerifiedName = n.VerifiedName,
                QualityRating = n.QualityRating, CodeVerificationStatus = n.CodeVerificationStatus, Status = n.Status,
            });
        }
        foreach (SeedAssignment a in w.AssignedUsers)
            waba.Assignments.Add(new(a.User, a.Tasks.ToArray()));
        return waba;
    }

    public IssuedToken AddToken(string text, string type, string userId, string appId, string[] scopes,
        DateTimeOffset issuedAt, DateTimeOffset? expiresAt, string[]? wabaIds = null)
    {
        var token = new IssuedToken
        {
            Text = text, Fingerprint = TokenText.Fingerprint(text), Type = type, UserId = userId, AppId = appId,
            BusinessId = Business.Id, Scopes = scopes, IssuedAt = issuedAt, ExpiresAt = expiresAt,
            WabaIdsAtIssue = wabaIds ?? WabaAccessOf(userId).ToArray(),
        };
        TokensByText[text] = token;
        Tokens.Add(token);
        return token;
    }

    public App? FindApp(string id) => Business.Apps.FirstOrDefault(a => a.Id == id);
    public SystemUser? FindSystemUser(string id) => Business.SystemUsers.FirstOrDefault(u => u.Id == id);
    public Person? FindPerson(string id) => Business.People.FirstOrDefault(p => p.Id == id);
    public Waba? FindWaba(string id) => Business.Wabas.FirstOrDefault(w => w.Id == id);

    public PhoneNumber? FindPhoneNumber(string id) =>
        Business.Wabas.SelectMany(w => w.PhoneNumbers).FirstOrDefault(n => n.Id == id);

    public string? NameOfUser(string id) => FindSystemUser(id)?.Name ?? FindPerson(id)?.Name;

    public bool IsBusinessAdmin(string userId) =>
        FindPerson(userId)?.IsAdmin == true || FindSystemUser(userId)?.IsAdmin == true;

    /// <summary>An admin (person or ADMIN system user) sees every WABA; others only those assigned to them.</summary>
    public IEnumerable<string> WabaAccessOf(string userId) =>
        IsBusinessAdmin(userId)
            ? Business.Wabas.Select(w => w.Id)
            : Business.Wabas.Where(w => w.TasksOf(userId) is not null).Select(w => w.Id);

    /// <summary>What the token sees now: what it saw when made, less what its user lost since.</summary>
    public string[] VisibleWabaIds(IssuedToken token)
    {
        var now = WabaAccessOf(token.UserId).ToHashSet(StringComparer.Ordinal);
        return token.WabaIdsAtIssue.Where(now.Contains).ToArray();
    }

    public bool SeesEveryWaba(IssuedToken token) =>
        Business.Wabas.All(w => VisibleWabaIds(token).Contains(w.Id));

    /// <summary>A new numeric id of realistic length (15 or 16 digits) not used yet.</summary>
    public string NewId()
    {
        while (true)
        {
            int digits = RandomNumberGenerator.GetInt32(15, 17);
            var id = new char[digits];
            id[0] = '1';
            for (int i = 1; i < digits; i++) id[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
            string text = new(id);
            if (!IdExists(text)) return text;
        }
    }

    private bool IdExists(string id) =>
        id == Business.Id || FindApp(id) is not null || FindSystemUser(id) is not null || FindPerson(id) is not null
        || FindWaba(id) is not null || FindPhoneNumber(id) is not null;
}
