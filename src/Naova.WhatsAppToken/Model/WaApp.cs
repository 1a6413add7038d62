namespace Naova.WhatsAppToken
{
    /// <summary>An app of the business, owned or shared by a client. Its AppId is what Connect-WaBusiness, Grant-WaAssets and New-WaToken take.</summary>
    public sealed class WaApp
    {
        public string AppId { get; internal set; } = string.Empty;

        public string? Name { get; internal set; }

        public WaAssetOwnership Ownership { get; internal set; }

        /// <summary>True for the app the connection was made with (the default app of Grant-WaAssets and New-WaToken).</summary>
        public bool IsConnectionApp { get; internal set; }

        public string BusinessId { get; internal set; } = string.Empty;

        public WaConnection? Connection { get; internal set; }

        /// <summary>A fresh object per write: listed ones are cached for the next pipeline record, and output objects belong to the caller.</summary>
        internal WaApp Clone() => (WaApp)MemberwiseClone();

        public override string ToString() => $"{Name ?? AppId} ({AppId}, {Ownership})";
    }
}
