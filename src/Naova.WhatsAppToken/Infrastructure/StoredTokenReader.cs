using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Reads a stored token back as a <see cref="WaToken"/>: from a SecretManagement vault (with the metadata the vault
    /// kept) or from a .env file. Shared by Get-WaToken and Test-WaToken; failures come back as ErrorRecords for the
    /// calling cmdlet to write.
    /// </summary>
    internal sealed class StoredTokenReader
    {
        public const string DefaultName = "WHATSAPP_ACCESS_TOKEN";

        private readonly PSCmdlet _cmdlet;

        public StoredTokenReader(PSCmdlet cmdlet) => _cmdlet = cmdlet;

        public static WaTokenPlace VaultPlace(string vault, string name) => WaTokenPlace.InVault(vault, name);

        public static WaTokenPlace EnvFilePlace(string path, string variable) => WaTokenPlace.InEnvFile(path, variable);

        /// <summary>The token under <paramref name="name"/>; <paramref name="knownMetadata"/> is what Get-SecretInfo said, when the caller asked already.</summary>
        public WaToken? FromVault(string vault, string name, out ErrorRecord? error, System.Collections.IDictionary? knownMetadata = null)
        {
            error = null;
            var place = VaultPlace(vault, name);
            var value = SecretManagementBridge.GetSecret(vault, name, out var failure);
            if (failure != null)
            {
                error = TokenStoreError.FromVault(failure, vault, name, writing: false).ToErrorRecord(place.ToString());
                return null;
            }
            SecureString? secret = value is SecureString secure ? secure : value is string text ? SecretText.ToSecureString(text) : null;
            if (secret == null)
            {
                error = new TokenStoreError("SecretNotText", ErrorCategory.InvalidType, Messages.Get("Error.SecretNotText", vault, name, value?.GetType().Name),
                    Messages.Get("Remedy.SecretNotText"), null).ToErrorRecord(place.ToString());
                return null;
            }
            var token = Token(secret, place, out error);
            if (token == null) return null;
            var metadata = knownMetadata ?? SecretManagementBridge.GetSecretMetadata(vault, name);
            if (metadata == null)
            {
                _cmdlet.WriteVerbose(Messages.Get("Verbose.MetadataUnreadable", vault, name));
            }
            else if (metadata.Count > 0)
            {
                string? described = TokenMetadata.FingerprintOf(metadata);
                if (described != null && !string.Equals(described, token.Fingerprint, StringComparison.OrdinalIgnoreCase))
                    _cmdlet.WriteWarning(Messages.Get("Warning.MetadataStale", vault, name, described, token.Fingerprint));
                else
                    TokenMetadata.Apply(metadata, token);
            }
            _cmdlet.WriteVerbose(Messages.Get("Verbose.TokenRead", token.Fingerprint, place));
            return token;
        }

        public WaToken? FromEnvFile(string envFile, string variable, out ErrorRecord? error)
        {
            error = null;
            string? path = EnvFilePath.Resolve(_cmdlet, envFile, out var pathError);
            if (path == null)
            {
                error = pathError!.ToErrorRecord(envFile);
                return null;
            }
            var place = EnvFilePlace(path, variable);
            string? value;
            try
            {
                value = DotEnvFile.Read(path, variable);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                error = TokenStoreError.FromFile(ex, path, writing: false).ToErrorRecord(place.ToString());
                return null;
            }
            if (value == null)
            {
                error = new TokenStoreError("EnvVariableNotFound", ErrorCategory.ObjectNotFound, Messages.Get("Error.EnvVariableNotFound", path, variable),
                    Messages.Get("Remedy.EnvVariableNotFound", path, variable), null).ToErrorRecord(place.ToString());
                return null;
            }
            var token = Token(SecretText.ToSecureString(value), place, out error);
            if (token != null) _cmdlet.WriteVerbose(Messages.Get("Verbose.TokenRead", token.Fingerprint, place));
            return token;
        }

        private static WaToken? Token(SecureString secret, WaTokenPlace place, out ErrorRecord? error)
        {
            error = null;
            if (SecretText.IsNullOrEmpty(secret))
            {
                error = new TokenStoreError("EmptyToken", ErrorCategory.InvalidData, Messages.Get("Error.StoredTokenEmpty", place), Messages.Get("Remedy.StoredTokenEmpty"), null)
                    .ToErrorRecord(place.ToString());
                return null;
            }
            return new WaToken
            {
                Token = secret,
                Fingerprint = TokenFingerprint.Of(secret),
                StoredIn = place,
            };
        }
    }
}
