using System.Net;

namespace Naova.WhatsAppToken.Emulator;

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

    /// <summary>POST /{app-id}/assigned_users exists (third-party reading), or answers an error.</summary>
    public bool AppAssignedUsersEdge { get; set; } = true;

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
