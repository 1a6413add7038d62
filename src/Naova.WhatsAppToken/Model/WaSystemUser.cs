namespace Naova.WhatsAppToken
{
    public enum WaSystemUserRole
    {
        Admin,
        Employee,
    }

    /// <summary>A system user of a business. Pipes into Grant-WaAssets and New-WaToken by its Id.</summary>
    public sealed class WaSystemUser
    {
        public string Id { get; internal set; } = string.Empty;

        public string Name { get; internal set; } = string.Empty;

        /// <summary>Admin or Employee, or Meta's own word if it sends another.</summary>
        public string Role { get; internal set; } = string.Empty;

        public string BusinessId { get; internal set; } = string.Empty;

        /// <summary>When Meta created it (Meta's created_time).</summary>
        public System.DateTimeOffset? CreatedTime { get; internal set; }

        /// <summary>True when this run created it; false when it already existed and was reused.</summary>
        public bool Created { get; internal set; }

        public WaConnection? Connection { get; internal set; }

        public override string ToString() => $"{Name} ({Id}, {Role})";
    }
}
