using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken
{
    /// <summary>A SecretManagement vault as a token store: any registered vault, through SecretManagement's commands.</summary>
    internal sealed class VaultStore : TokenStore
    {
        private readonly string _vault;

        public VaultStore(PSCmdlet cmdlet, string vault)
            : base(cmdlet) => _vault = vault;

        public override WaTokenPlace Place(string name) => StoredTokenReader.VaultPlace(_vault, name);

        // Azure Key Vault names allow only letters, digits and dashes: a name without underscores keeps its style.
        public override string PreviousNameOf(string name) => name.IndexOf('_') >= 0 ? name + "_PREVIOUS" : name + "-PREVIOUS";

        public override string Arguments(string name) => "-Vault " + UnsavedTokens.Quote(_vault) + " -Name " + UnsavedTokens.Quote(name);

        public override WaToken? Read(string name, out bool missing, out ErrorRecord? error)
        {
            var token = new StoredTokenReader(Cmdlet).FromVault(_vault, name, out error);
            missing = token == null && error != null && error.FullyQualifiedErrorId.StartsWith("SecretNotFound", StringComparison.Ordinal);
            return token;
        }

        public override ErrorRecord? CheckDestination()
        {
            var failure = SecretManagementBridge.CheckVault(_vault);
            return failure == null ? null : TokenStoreError.FromVault(failure, _vault, string.Empty, writing: true).ToErrorRecord(_vault);
        }

        public override ErrorRecord? Remove(string name)
        {
            var failure = SecretManagementBridge.RemoveSecret(_vault, name);
            return failure == null ? null : TokenStoreError.FromVault(failure, _vault, name, writing: true).ToErrorRecord(Place(name).ToString());
        }

        public override WaToken? Read(string name, System.Collections.IDictionary? listed, out ErrorRecord? error) =>
            new StoredTokenReader(Cmdlet).FromVault(_vault, name, out error, listed);

        public override string ConfirmTarget(string name) => Messages.Get("Target.VaultSecret", _vault, name);

        public override string ConfirmAction(string fingerprint, bool noClobber) =>
            Messages.Get(noClobber ? "Action.SaveToVaultNoClobber" : "Action.SaveToVault", fingerprint);

        public override TokenWrite Write(string name, WaToken token, bool noClobber)
        {
            var failure = SetProven(name, token, noClobber, out bool withMetadata);
            // The secret -NoClobber found may be this very token: saving it again is no change, as for a .env.
            if (failure?.Kind == VaultFailureKind.SecretExists && Holds(name, token)) return TokenWrite.Done(Messages.Get("Verbose.VaultUnchanged", token.Fingerprint, _vault, name));
            if (failure != null) return TokenWrite.Failed(TokenStoreError.FromVault(failure, _vault, name, writing: true, secret: SecretText.Reveal(token.Token)));
            return TokenWrite.Done(withMetadata
                ? Messages.Get("Verbose.SavedToVault", token.Fingerprint, _vault, name, string.Join(", ", TokenMetadata.ToHashtable(token, token.Fingerprint).Keys.Cast<string>().OrderBy(k => k, StringComparer.Ordinal)))
                : Messages.Get("Verbose.SavedToVaultBare", token.Fingerprint, _vault, name));
        }

        private bool Holds(string name, WaToken token) =>
            SecretManagementBridge.GetSecret(_vault, name, out var failure) is System.Security.SecureString secret && failure == null && TokenFingerprint.Of(secret) == token.Fingerprint;

        /// <summary>
        /// Set-Secret proven by read-back, with the token's metadata where the vault keeps it: SecretManagement removes a
        /// secret it could not describe, so the token is then stored bare, with a warning (<paramref name="withMetadata"/>
        /// false).
        /// </summary>
        private VaultFailure? SetProven(string name, WaToken token, bool noClobber, out bool withMetadata)
        {
            var failure = SecretManagementBridge.SetSecretProven(_vault, name, token.Token, TokenMetadata.ToHashtable(token, token.Fingerprint), noClobber);
            withMetadata = failure?.Kind != VaultFailureKind.MetadataNotSupported;
            if (withMetadata) return failure;
            Cmdlet.WriteWarning(Messages.Get("Warning.MetadataNotSupported", _vault, token.Fingerprint, name));
            return SecretManagementBridge.SetSecretProven(_vault, name, token.Token, null, noClobber);
        }
    }
}
