using System.Text.Json.Serialization;

namespace Naova.WhatsAppToken.Engine.Graph
{
    public sealed class BusinessReference
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
    }

    /// <summary>A WhatsApp Business Account as the business's owned/client lists describe it.</summary>
    public sealed class WhatsAppAccountDetails
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("account_review_status")] public string? AccountReviewStatus { get; set; }
        [JsonPropertyName("currency")] public string? Currency { get; set; }
        [JsonPropertyName("owner_business_info")] public BusinessReference? OwnerBusiness { get; set; }

        /// <summary>Which list it came from; not part of Graph's answer.</summary>
        [JsonIgnore] public AssetOwnership Ownership { get; set; }
    }

    public sealed class BusinessAppInfo
    {
        [JsonPropertyName("id")] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("name")] public string? Name { get; set; }

        /// <summary>Which list it came from; not part of Graph's answer.</summary>
        [JsonIgnore] public AssetOwnership Ownership { get; set; }
    }
}
