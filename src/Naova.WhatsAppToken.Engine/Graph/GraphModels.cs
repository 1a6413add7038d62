using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Naova.WhatsAppToken.Engine.Graph
{
    public sealed class SystemUserInfo
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("role")] public string? Role { get; set; }
        [JsonPropertyName("created_time")] public string? CreatedTime { get; set; }
    }

    public sealed class AssignedApp
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("tasks")] public List<string>? Tasks { get; set; }
    }

    public sealed class AssignedUser
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("tasks")] public List<string>? Tasks { get; set; }
    }

    public sealed class WhatsAppAccountInfo
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("tasks")] public List<string>? Tasks { get; set; }
        [JsonPropertyName("account_review_status")] public string? AccountReviewStatus { get; set; }
    }

    /// <summary>A person's place in one business: GET /{user-id}/business_users (docs/graph-api.md section 1).</summary>
    public sealed class BusinessUserInfo
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("role")] public string? Role { get; set; }
        [JsonPropertyName("business")] public AppInfo? Business { get; set; }
    }

    public sealed class AppInfo
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }
    }

    public sealed class PhoneNumberInfo
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("display_phone_number")] public string? DisplayPhoneNumber { get; set; }
        [JsonPropertyName("verified_name")] public string? VerifiedName { get; set; }
        [JsonPropertyName("quality_rating")] public string? QualityRating { get; set; }
        [JsonPropertyName("code_verification_status")] public string? CodeVerificationStatus { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
    }

    public sealed class DebugTokenError
    {
        [JsonPropertyName("code")] public int? Code { get; set; }
        [JsonPropertyName("subcode")] public int? Subcode { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
    }

    public sealed class GranularScope
    {
        [JsonPropertyName("scope")] public string Scope { get; set; } = string.Empty;

        /// <summary>Null when the scope covers every asset.</summary>
        [JsonPropertyName("target_ids")] public List<string>? TargetIds { get; set; }
    }

    /// <summary>
    /// The data of a debug_token answer, as it is on the wire. Times are Unix seconds; 0 means never. The engine gives the
    /// cmdlets <see cref="Tokens.TokenFacts"/> instead.
    /// </summary>
    public sealed class DebugTokenData
    {
        [JsonPropertyName("app_id")] public string? AppId { get; set; }
        [JsonPropertyName("application")] public string? Application { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("expires_at")] public long? ExpiresAt { get; set; }
        [JsonPropertyName("data_access_expires_at")] public long? DataAccessExpiresAt { get; set; }
        [JsonPropertyName("is_valid")] public bool IsValid { get; set; }
        [JsonPropertyName("issued_at")] public long? IssuedAt { get; set; }
        [JsonPropertyName("scopes")] public List<string>? Scopes { get; set; }
        [JsonPropertyName("granular_scopes")] public List<GranularScope>? GranularScopes { get; set; }
        [JsonPropertyName("user_id")] public string? UserId { get; set; }
        [JsonPropertyName("error")] public DebugTokenError? Error { get; set; }

        public static DateTimeOffset? FromUnix(long? seconds) => Tokens.TokenFacts.FromUnix(seconds);
    }

    internal sealed class GraphPage<T>
    {
        [JsonPropertyName("data")] public List<T>? Data { get; set; }
        [JsonPropertyName("paging")] public GraphPaging? Paging { get; set; }
    }

    internal sealed class GraphPaging
    {
        [JsonPropertyName("cursors")] public GraphCursors? Cursors { get; set; }
        [JsonPropertyName("next")] public string? Next { get; set; }
    }

    internal sealed class GraphCursors
    {
        [JsonPropertyName("after")] public string? After { get; set; }
    }
}
