using System.Net;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>How the emulator words an error Meta does not document: its code, message and the user-facing title and text.</summary>
public sealed record GraphErrorWording(int Code, string Message, string? UserTitle = null, string? UserMessage = null, int? Subcode = null);

public sealed class EmulatorOptions
{
    /// <summary>Default: the seed.json shipped next to the assembly (or the embedded copy).</summary>
    public string? SeedPath { get; set; }

    /// <summary>Per business, all roles.</summary>
    public int MaxSystemUsers { get; set; } = 10;

    public int MaxAdminSystemUsers { get; set; } = 1;

    /// <summary>Overrides the seed's per-business switch.</summary>
    public bool? RequireExpiringTokens { get; set; }

    /// <summary>Overrides the seed's per-app switch.</summary>
    public bool? RequireAppSecretProof { get; set; }

    /// <summary>false: debug_token items inside a batch fail (Meta does not document it).</summary>
    public bool DebugTokenInBatch { get; set; } = true;

    /// <summary>
    /// Meta documents neither code nor text for "this business must use expiring tokens": the answer is configurable
    /// so the client can be tested against more than one wording. {business} is replaced by the business id.
    /// </summary>
    public GraphErrorWording ExpiringTokensRequired { get; set; } = new(100,
        "(#100) Business {business} requires expiring system user access tokens: set set_token_expires_in_60_days=true " +
        "to get a 60-day token, and rotate it before it expires", "Expiring tokens required",
        "This business only allows system user tokens that expire. Create a 60-day token and rotate it.");

    /// <summary>Meta documents neither code nor text for "too many system users". {business}, {count}, {max} are replaced.</summary>
    public GraphErrorWording SystemUserLimitReached { get; set; } = new(100,
        "(#100) Business {business} already has {count} system users, the most it can have ({max})", "System user limit reached",
        "This business can not have more system users. Reuse an existing system user.");

    /// <summary>
    /// true (default): a POST with method=GET is served as that GET, as Meta documents for reads whose parameters must
    /// not sit in a URL. false: the other reading, where Graph goes by the HTTP method and a GET-only endpoint answers
    /// "Unsupported post request"; a client must then fall back on the documented GET.
    /// </summary>
    public bool HonourMethodOverride { get; set; } = true;

    /// <summary>
    /// Pages carry `paging.next` (and `previous`) links but no `paging.cursors`, as some Graph edges answer: a client
    /// must page by the link's `after`, not stop because cursors are missing.
    /// </summary>
    public bool OmitPagingCursors { get; set; }

    /// <summary>100 (subcode 33) or 200, for a token reading a WABA it can not see.</summary>
    public int NoAccessErrorCode { get; set; } = 100;

    /// <summary>Start value of the clock; default the real time.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Port on the loopback address; 0 (default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Loopback address to bind (127.0.0.1 or ::1); anything else is refused.</summary>
    internal IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Extra latency on every request, from the command line.</summary>
    internal TimeSpan InitialLatency { get; set; }
}
