namespace Naova.WhatsAppToken
{
    /// <summary>Whether the business owns an asset or a client business shared it with it.</summary>
    public enum WaAssetOwnership
    {
        Owned,
        Client,
    }

    /// <summary>A phone number of a WhatsApp Business Account, as WhatsApp Manager shows it.</summary>
    public sealed class WaPhoneNumber
    {
        /// <summary>The id the Cloud API sends messages from (not the number itself).</summary>
        public string PhoneNumberId { get; internal set; } = string.Empty;

        public string? DisplayPhoneNumber { get; internal set; }

        public string? VerifiedName { get; internal set; }

        /// <summary>GREEN, YELLOW, RED or UNKNOWN.</summary>
        public string? QualityRating { get; internal set; }

        /// <summary>CONNECTED, PENDING, DISCONNECTED, ... as Meta says.</summary>
        public string? Status { get; internal set; }

        public string? CodeVerificationStatus { get; internal set; }

        public string WhatsAppBusinessAccountId { get; internal set; } = string.Empty;

        public override string ToString() => $"{DisplayPhoneNumber ?? PhoneNumberId} ({VerifiedName}, {QualityRating}, {Status})";
    }

    /// <summary>
    /// A WhatsApp Business Account of the business, owned or shared by a client, with its phone numbers.
    /// Its WhatsAppBusinessAccountId pipes into Grant-WaAssets -WhatsAppBusinessAccount. It deliberately has no Id
    /// property: Grant-WaAssets and New-WaToken take a system user's id from a property named Id.
    /// </summary>
    public sealed class WaWhatsAppAccount
    {
        public string WhatsAppBusinessAccountId { get; internal set; } = string.Empty;

        public string? Name { get; internal set; }

        public WaAssetOwnership Ownership { get; internal set; }

        /// <summary>The business that owns it: this business for owned accounts, the client for shared ones.</summary>
        public string? OwnerBusinessId { get; internal set; }

        public string? OwnerBusinessName { get; internal set; }

        /// <summary>APPROVED, PENDING or REJECTED.</summary>
        public string? AccountReviewStatus { get; internal set; }

        public string? Currency { get; internal set; }

        /// <summary>Null when the numbers were not read (-SkipPhoneNumber, or reading them failed); empty when it has none.</summary>
        public WaPhoneNumber[]? PhoneNumbers { get; internal set; }

        /// <summary>A fresh object per write: listed ones are cached for the next pipeline record, and output objects belong to the caller.</summary>
        internal WaWhatsAppAccount Clone() => (WaWhatsAppAccount)MemberwiseClone();

        /// <summary>The business this account was listed for (the connection's).</summary>
        public string BusinessId { get; internal set; } = string.Empty;

        public WaConnection? Connection { get; internal set; }

        public override string ToString() => $"{Name ?? WhatsAppBusinessAccountId} ({WhatsAppBusinessAccountId}, {Ownership})";
    }
}
