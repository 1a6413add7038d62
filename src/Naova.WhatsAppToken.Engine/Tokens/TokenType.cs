namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>What kind of token debug_token says it is (its <c>type</c>: docs/graph-api.md, debug_token).</summary>
    public enum TokenType
    {
        /// <summary>A type Meta did not name, or one this module does not know yet (<see cref="TokenFacts.TypeName"/> keeps Meta's word).</summary>
        Unknown,

        /// <summary>SYSTEM_USER: a system user's token, the kind a production WhatsApp service uses.</summary>
        SystemUser,

        /// <summary>USER: a person's token (Graph API Explorer, Login), which expires.</summary>
        User,

        /// <summary>PAGE: a Page's token.</summary>
        Page,

        /// <summary>APP: an app token (app id and secret).</summary>
        App,
    }
}
