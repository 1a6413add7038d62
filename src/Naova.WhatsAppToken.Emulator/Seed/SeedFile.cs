using System.Text.Json;

namespace Naova.WhatsAppToken.Emulator.Seed;

/// <summary>The shape of seed.json (see README.md next to it).</summary>
internal sealed class SeedFile
{
    public SeedBusiness Business { get; set; } = new();
    public List<SeedApp> Apps { get; set; } = new();
    public List<SeedPerson> People { get; set; } = new();
    public List<SeedWaba> Wabas { get; set; } = new();
    public List<SeedSystemUser> SystemUsers { get; set; } = new();

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public const string DefaultFileName = "seed.json";

    /// <summary>Loads the seed; returns where it came from (a path, or the embedded copy).</summary>
    public static (SeedFile Seed, string Source) Load(string? path)
    {
        if (path is not null)
            return (Parse(File.ReadAllText(path), path), Path.GetFullPath(path));

        string nextToAssembly = Path.Combine(AppContext.BaseDirectory, DefaultFileName);
        string? assemblyDir = Path.GetDirectoryName(typeof(SeedFile).Assembly.Location);
        foreach (string? candidate in new[] { assemblyDir is null ? null : Path.Combine(assemblyDir, DefaultFileName), nextToAssembly })
        {
            if (candidate is not null && File.Exists(candidate))
                return (Parse(File.ReadAllText(candidate), candidate), candidate);
        }

        // A project that references the emulator may not have the file copied: use the embedded one.
        using Stream stream = typeof(SeedFile).Assembly.GetManifestResourceStream("Naova.WhatsAppToken.Emulator.seed.json")
            ?? throw new FileNotFoundException("seed.json was neither next to the assembly nor embedded in it.");
        using var reader = new StreamReader(stream);
        return (Parse(reader.ReadToEnd(), "embedded:seed.json"), "embedded:seed.json");
    }

    private static SeedFile Parse(string json, string source)
    {
        SeedFile seed = JsonSerializer.Deserialize<SeedFile>(json, JsonOptions)
            ?? throw new InvalidDataException($"The seed file {source} is empty.");
        if (string.IsNullOrEmpty(seed.Business.Id))
            throw new InvalidDataException($"The seed file {source} has no business.id.");
        if (seed.Apps.Count == 0)
            throw new InvalidDataException($"The seed file {source} has no app.");
        return seed;
    }
}

internal sealed class SeedBusiness
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public bool RequireExpiringTokens { get; set; }
    public DateTimeOffset? CreatedTime { get; set; }
}

internal sealed class SeedApp
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Secret { get; set; } = "";
    public bool RequireAppSecretProof { get; set; } = true;
    public string Relation { get; set; } = "owned";
}

internal sealed class SeedPerson
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "EMPLOYEE";
    public string? AppId { get; set; }
    /// <summary>"administrator" or "developer" of that app, or none: debug_token accepts only those as callers.</summary>
    public string? AppRole { get; set; }
    public string Token { get; set; } = "";
    public List<string> Scopes { get; set; } = new();
    public DateTimeOffset? ExpiresAt { get; set; }
}

internal sealed class SeedWaba
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Relation { get; set; } = "owned";
    public SeedOwner? OwnerBusiness { get; set; }
    public string Currency { get; set; } = "USD";
    public string TimezoneId { get; set; } = "1";
    public string MessageTemplateNamespace { get; set; } = "";
    public string AccountReviewStatus { get; set; } = "APPROVED";
    public List<SeedPhoneNumber> PhoneNumbers { get; set; } = new();
    public List<SeedAssignment> AssignedUsers { get; set; } = new();
}

internal sealed class SeedOwner
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

internal sealed class SeedPhoneNumber
{
    public string Id { get; set; } = "";
    public string DisplayPhoneNumber { get; set; } = "";
    public string VerifiedName { get; set; } = "";
    public string QualityRating { get; set; } = "GREEN";
    public string CodeVerificationStatus { get; set; } = "VERIFIED";
    public string Status { get; set; } = "CONNECTED";
}

internal sealed class SeedAssignment
{
    public string User { get; set; } = "";
    public List<string> Tasks { get; set; } = new();
}

internal sealed class SeedSystemUser
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "EMPLOYEE";
    public DateTimeOffset? CreatedTime { get; set; }
    public List<string> InstalledApps { get; set; } = new();
}
