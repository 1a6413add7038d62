using System;
using System.IO;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken
{
    /// <summary>A .env write counts only when the variable reads back as the token written.</summary>
    internal static class EnvWriteProof
    {
        public static TokenStoreError? Check(string path, string variable, WaToken token)
        {
            try
            {
                string? value = DotEnvFile.Read(AtomicFile.ResolveTarget(path), variable);
                if (value != null && Engine.Tokens.TokenFingerprint.Of(value) == token.Fingerprint) return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                return TokenStoreError.FromFile(ex, path, writing: true);
            }
            return new TokenStoreError("EnvWriteNotProven", ErrorCategory.WriteError, Messages.Get("Error.EnvNotReadBack", path, variable), Messages.Get("Remedy.EnvNotReadBack"), null);
        }
    }
}
