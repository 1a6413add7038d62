namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// The Graph API versions and when each is in service (docs/graph-api.md: v21.0 to v26.0 in late 2026; v20.0 retired
/// 2026-09-24, v21.0 retires 2027-01-21). Meta keeps a version at least two years: where no retirement date is
/// published, release + 2 years is used. Judged by the emulator's clock.
/// </summary>
internal static class ApiVersions
{
    private static readonly (string Version, DateTimeOffset Released, DateTimeOffset Retires)[] Known =
    {
        ("v19.0", At("2024-01-23"), At("2026-05-21")),
        ("v20.0", At("2024-05-21"), At("2026-09-24")),
        ("v21.0", At("2024-10-02"), At("2027-01-21")),
        ("v22.0", At("2025-01-21"), At("2027-01-21").AddMonths(4)),
        ("v23.0", At("2025-05-29"), At("2027-05-29")),
        ("v24.0", At("2025-10-08"), At("2027-10-08")),
        ("v25.0", At("2026-02-18"), At("2028-02-18")),
        ("v26.0", At("2026-07-29"), At("2028-07-29")),
    };

    public static string Latest(DateTimeOffset now) => Known.Where(k => k.Released <= now).Select(k => k.Version).LastOrDefault() ?? "v26.0";

    /// <summary>Null when the version is in service at <paramref name="now"/>, else Meta's error for it.</summary>
    public static GraphException? Problem(string version, string relativePath, DateTimeOffset now)
    {
        var known = Known.FirstOrDefault(k => k.Version == version);
        if (known.Version is not null && known.Released <= now && now < known.Retires) return null;
        if ((known.Version is not null && now >= known.Retires) || IsOlderThanAll(version))
        {
            // The Marketing API's answer to a retired version (Business Management is part of it).
            return GraphErrors.Error(400, GraphErrors.OAuth, 2635,
                $"(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: {Latest(now)}.");
        }
        // A version that does not exist (yet) is not a version to Graph: it reads it as a path it can not resolve.
        return GraphErrors.Error(400, GraphErrors.OAuth, 2500, $"Unknown path components: /{version}/{relativePath}");
    }

    /// <summary>Versions Meta released and retired before v19.0: v1.0, v2.0-v2.12, v3.0-v3.3, v4.0 to v18.0.</summary>
    private static readonly HashSet<string> Retired = new(
        new[] { "v1.0" }
            .Concat(Enumerable.Range(0, 13).Select(i => $"v2.{i}"))
            .Concat(Enumerable.Range(0, 4).Select(i => $"v3.{i}"))
            .Concat(Enumerable.Range(4, 15).Select(i => $"v{i}.0")),
        StringComparer.Ordinal);

    private static bool IsOlderThanAll(string version) => Retired.Contains(version);

    private static DateTimeOffset At(string day) => DateTimeOffset.Parse(day + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
}
