using Naova.WhatsAppToken.Emulator.Seed;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>
/// The ids and secrets the emulator was seeded with, so tests and runbooks need not hard-code them.
/// The first owned app, the first ADMIN and EMPLOYEE people, the first owned WABA with a number and
/// the first other WABA are surfaced as named properties.
/// </summary>
public sealed class EmulatorSeed
{
    internal EmulatorSeed(SeedFile seed, string source)
    {
        SeedSource = source;
        BusinessId = seed.Business.Id;
        BusinessName = seed.Business.Name;
        SeedApp app = seed.Apps.FirstOrDefault(a => a.Relation == "owned") ?? seed.Apps[0];
        AppId = app.Id;
        AppName = app.Name;
        AppSecret = app.Secret;
        SeedPerson? admin = seed.People.FirstOrDefault(p => p.Role == "ADMIN");
        SeedPerson? employee = seed.People.FirstOrDefault(p => p.Role != "ADMIN");
        AdminUserId = admin?.Id ?? "";
        AdminUserName = admin?.Name ?? "";
        AdminUserToken = admin?.Token ?? "";
        EmployeeUserId = employee?.Id ?? "";
        EmployeeUserName = employee?.Name ?? "";
        EmployeeUserToken = employee?.Token ?? "";
        SeedWaba? waba = seed.Wabas.FirstOrDefault(w => w.PhoneNumbers.Count > 0) ?? seed.Wabas.FirstOrDefault();
        WabaId = waba?.Id ?? "";
        WabaName = waba?.Name ?? "";
        PhoneNumberId = waba?.PhoneNumbers.FirstOrDefault()?.Id ?? "";
        DisplayPhoneNumber = waba?.PhoneNumbers.FirstOrDefault()?.DisplayPhoneNumber ?? "";
        SecondWabaId = seed.Wabas.FirstOrDefault(w => w != waba)?.Id ?? "";
        WabaIds = seed.Wabas.Select(w => w.Id).ToArray();
        AppIds = seed.Apps.Select(a => a.Id).ToArray();
    }

    /// <summary>Full path of the seed file, or "embedded:seed.json" when the embedded copy was used.</summary>
    public string SeedSource { get; }
    public string BusinessId { get; }
    public string BusinessName { get; }
    public string AppId { get; }
    public string AppName { get; }
    public string AppSecret { get; }
    /// <summary>"APPID|APPSECRET", the app token accepted by debug_token and oauth.</summary>
    public string AppToken => AppId + "|" + AppSecret;
    /// <summary>The business admin person (USER token, never expires).</summary>
    public string AdminUserId { get; }
    public string AdminUserName { get; }
    public string AdminUserToken { get; }
    /// <summary>The non-admin (EMPLOYEE) person.</summary>
    public string EmployeeUserId { get; }
    public string EmployeeUserName { get; }
    public string EmployeeUserToken { get; }
    /// <summary>The owned WABA that has the phone number.</summary>
    public string WabaId { get; }
    public string WabaName { get; }
    public string PhoneNumberId { get; }
    public string DisplayPhoneNumber { get; }
    /// <summary>The second WABA (a client WABA in the shipped seed), with no number.</summary>
    public string SecondWabaId { get; }
    public IReadOnlyList<string> WabaIds { get; }
    public IReadOnlyList<string> AppIds { get; }

    /// <summary>No secrets: safe to print.</summary>
    public override string ToString() =>
        $"business {BusinessId} ({BusinessName}), app {AppId}, admin person {AdminUserId}, employee person {EmployeeUserId}, " +
        $"WABA {WabaId} with phone number {PhoneNumberId}, second WABA {SecondWabaId}";
}
