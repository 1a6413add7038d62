namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>What a rotation does, or did, to a stored token.</summary>
    public enum RotationAction
    {
        /// <summary>A 60-day token with more than RenewWithin days left: nothing is changed.</summary>
        NotDue,

        /// <summary>A 60-day token exchanged for a new one (fb_exchange_token).</summary>
        Renewed,

        /// <summary>A new token made for the same system user, app and scopes.</summary>
        Remade,

        /// <summary>An unfinished rotation finished: the stored token verified, the previous one revoked.</summary>
        Resumed,
    }
}
