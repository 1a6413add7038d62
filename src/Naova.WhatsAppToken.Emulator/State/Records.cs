namespace Naova.WhatsAppToken.Emulator;

/// <summary>A snapshot of a system user, for assertions.</summary>
public sealed record SystemUserRecord(
    string Id,
    string Name,
    string Role,
    DateTimeOffset CreatedTime,
    string BusinessId,
    string? CreatedById,
    IReadOnlyList<string> InstalledAppIds);

/// <summary>A snapshot of an issued token. Never carries the token text: only its fingerprint.</summary>
public sealed record TokenRecord(
    string Fingerprint,
    string Type,
    string UserId,
    string AppId,
    string BusinessId,
    IReadOnlyList<string> Scopes,
    DateTimeOffset IssuedAt,
    DateTimeOffset? ExpiresAt,
    bool Revoked,
    bool Invalidated,
    IReadOnlyList<string> VisibleWabaIds)
{
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } at && at <= now;

    public bool IsValidAt(DateTimeOffset now) => !Revoked && !Invalidated && !IsExpiredAt(now);
}
