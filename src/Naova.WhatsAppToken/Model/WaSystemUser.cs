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

        /// <summary>
        /// True for the user New-WaSystemUser -WhatIf would create: it does not exist, its Id is <see cref="PlannedId"/>,
        /// and Grant-WaAssets and New-WaToken -WhatIf take it to say what they would do for it.
        /// </summary>
        public bool Planned { get; internal set; }

        /// <summary>The Id of a planned user: no Meta object has it (Meta's ids are positive).</summary>
        public const string PlannedId = "0";

        public WaConnection? Connection { get; internal set; }

        public override string ToString() => $"{Name} ({Id}, {Role})";
    }
}
