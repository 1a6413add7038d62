namespace Naova.WhatsAppToken
{
    /// <summary>
    /// What a store's write did: why it failed, or what changed, in words for -Verbose, and a warning about what it
    /// found (a .env that sets the variable twice). Save-WaToken says them; a rotation reads only the failure.
    /// </summary>
    internal sealed class TokenWrite
    {
        private TokenWrite(TokenStoreError? error, string? change, string? warning)
        {
            Error = error;
            Change = change;
            Warning = warning;
        }

        /// <summary>Why the token is not stored; null once it reads back from the store.</summary>
        public TokenStoreError? Error { get; }

        /// <summary>What changed (or that nothing had to), for -Verbose.</summary>
        public string? Change { get; }

        public string? Warning { get; }

        /// <summary>Whether -NoClobber refused the write: another token has that name (saving again needs no -NoClobber).</summary>
        public bool Exists => Error?.Reason == "SecretExists" || Error?.Reason == "EnvVariableExists";

        public static TokenWrite Failed(TokenStoreError error) => new TokenWrite(error, null, null);

        public static TokenWrite Done(string change, string? warning = null) => new TokenWrite(null, change, warning);
    }
}
