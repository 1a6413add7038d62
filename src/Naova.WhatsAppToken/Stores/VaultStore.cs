using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Rotation;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// A SecretManagement vault as a token store: any registered vault, through SecretManagement's commands, under
    /// what the vault's registration says of it (<see cref="VaultTraits"/>): metadata only where it is kept, Key Vault's
    /// names, and no name removed where a delete is soft.
    /// </summary>
    internal sealed class VaultStore : TokenStore
    {
        private readonly string _vault;
        private VaultTraits? _traits;

        public VaultStore(PSCmdlet cmdlet, string vault)
            : base(cmdlet) => _vault = vault;

        /// <summary>Asked of the registration once per store; its extension's answer is cached for the process.</summary>
        private VaultTraits Traits => _traits ??= VaultTraits.Of(_vault);

        public override WaTokenPlace Place(string name) => StoredTokenReader.VaultPlace(_vault, name);

        // Azure Key Vault names allow only letters, digits and dashes: a name without underscores keeps its style.
        public override string PreviousNameOf(string name) => name.IndexOf('_') >= 0 ? name + "_PREVIOUS" : name + "-PREVIOUS";

        // SecretManagement's vault names do not depend on case.
        private string VaultKey => "VAULT|" + _vault.ToUpperInvariant();

        /// <summary>
        /// The vault; for a SecretStore vault, the folder of the user's one store file, which every SecretStore vault of
        /// the user shares: a write to any of them writes that whole file, so they take one lock.
        /// </summary>
        public override string StoreKey => _storeKey ??= IsSecretStore ? "SECRETSTORE|" + SecretStoreCache.Folder().ToUpperInvariant() : VaultKey;

        private string? _storeKey;

        // A secret's journal stays the vault's own: two SecretStore vaults may each hold a secret of one name.
        public override string KeyOf(string name) => VaultKey + "|" + name.ToUpperInvariant();

        private bool IsSecretStore => string.Equals(Traits.Module, SecretStoreCache.Module, StringComparison.OrdinalIgnoreCase);

        public override string Arguments(string name) => "-Vault " + UnsavedTokens.Quote(_vault) + " -Name " + UnsavedTokens.Quote(name);

        public override WaToken? Read(string name, out bool missing, out ErrorRecord? error)
        {
            missing = false;
            // A name the vault refuses holds nothing: said as such, before a rotation asks Meta for anything.
            if (Traits.Refuses(name, out _))
            {
                error = Error(new VaultFailure(VaultFailureKind.NameRefused, null, null), name).ToErrorRecord(Place(name).ToString());
                return null;
            }
            Fresh();
            var token = new StoredTokenReader(Cmdlet).FromVault(_vault, name, out error);
            missing = token == null && error != null && error.FullyQualifiedErrorId.StartsWith("SecretNotFound", StringComparison.Ordinal);
            return token;
        }

        public override ErrorRecord? CheckDestination()
        {
            // -WhatIf writes nothing, and SecretStore's Test-SecretVault writes the store: under -WhatIf a SecretStore
            // vault is listed instead (a locked one can not be either), a read that needs no lock.
            bool listOnly = IsSecretStore && Confirmation.IsWhatIf(Cmdlet);
            RotationLock? held = null;
            if (IsSecretStore && !listOnly)
            {
                // Otherwise SecretStore's Test-SecretVault writes the store (a secret, then removes it) from the copy this
                // process holds: so it runs under the store's lock, as any write, waiting LockWait. A state folder that
                // can not be used leaves the check without it (the command's own lock then says so).
                held = TakeLock(Messages.Get("Target.Vault", _vault), out var busy, out _);
                if (busy != null) return busy.ToErrorRecord(_vault);
            }
            using (held)
            {
                Fresh();
                var failure = SecretManagementBridge.CheckVault(_vault, listOnly);
                return failure == null ? null : TokenStoreError.FromVault(failure, _vault, string.Empty, writing: true).ToErrorRecord(_vault);
            }
        }

        public override string NameItTakes(string name) => Traits.Refuses(name, out string taken) ? taken : name;

        public override ErrorRecord? CheckDestination(string name)
        {
            var error = CheckDestination();
            if (error != null || !Traits.Refuses(name, out _)) return error;
            return Error(new VaultFailure(VaultFailureKind.NameRefused, null, null), name).ToErrorRecord(Place(name).ToString());
        }

        /// <summary>
        /// Removes the secret, except a rotation's kept copy in a vault whose delete is soft (Azure Key Vault): a deleted
        /// secret keeps its name taken until it is recovered or purged, so the next rotation could not keep its token
        /// there. The copy, revoked, stays as it is; the next rotation writes over it as a new version.
        /// </summary>
        public override bool KeepsRevokedCopy => Traits.SoftDeletes;

        public override ErrorRecord? Remove(string name)
        {
            if (IsPreviousName(name) && KeepsRevokedCopy) return null;
            Fresh();
            var failure = SecretManagementBridge.RemoveSecret(_vault, name);
            return failure == null ? null : Error(failure, name).ToErrorRecord(Place(name).ToString());
        }

        public override WaToken? Read(string name, System.Collections.IDictionary? listed, out ErrorRecord? error)
        {
            Fresh();
            return new StoredTokenReader(Cmdlet).FromVault(_vault, name, out error, listed);
        }

        public override string? Holder(string fingerprint, out ErrorRecord? error)
        {
            error = null;
            Fresh();
            var names = SecretManagementBridge.SecretNames(_vault, out var listFailure);
            if (listFailure != null)
            {
                error = Error(listFailure, "*").ToErrorRecord(_vault);
                return null;
            }
            foreach (string name in names!)
            {
                // A secret that can not be read, or is not text, holds no token: another rotation reads it as this one does.
                var value = SecretManagementBridge.GetSecret(_vault, name, out _);
                string? held = value switch
                {
                    System.Security.SecureString secure => TokenFingerprint.Of(secure),
                    string text => TokenFingerprint.Of(text),
                    _ => null,
                };
                if (held == fingerprint) return name;
            }
            return null;
        }

        public override string ConfirmTarget(string name) => Messages.Get("Target.VaultSecret", _vault, name);

        public override string ConfirmAction(string fingerprint, bool noClobber) =>
            Messages.Get(noClobber ? "Action.SaveToVaultNoClobber" : "Action.SaveToVault", fingerprint);

        public override TokenWrite Write(string name, WaToken token, bool noClobber)
        {
            Fresh();
            var failure = SetProven(name, token, noClobber, out bool withMetadata);
            // The secret -NoClobber found may be this very token: saving it again is no change, as for a .env.
            if (failure?.Kind == VaultFailureKind.SecretExists && Holds(name, token)) return TokenWrite.Done(Messages.Get("Verbose.VaultUnchanged", token.Fingerprint, _vault, name));
            if (failure != null) return TokenWrite.Failed(Error(failure, name, token));
            return TokenWrite.Done(withMetadata
                ? Messages.Get("Verbose.SavedToVault", token.Fingerprint, _vault, name, string.Join(", ", TokenMetadata.ToHashtable(token, token.Fingerprint).Keys.Cast<string>().OrderBy(k => k, StringComparer.Ordinal)))
                : Messages.Get("Verbose.SavedToVaultBare", token.Fingerprint, _vault, name, Module));
        }

        private bool Holds(string name, WaToken token) =>
            SecretManagementBridge.GetSecret(_vault, name, out var failure) is System.Security.SecureString secret && failure == null && TokenFingerprint.Of(secret) == token.Fingerprint;

        /// <summary>
        /// Set-Secret proven by read-back, with the token's metadata only where the vault keeps it (known from its
        /// extension before the write: SecretManagement removes a secret it could not describe, and Key Vault would then
        /// keep the name deleted). Save-WaToken and the rotation both write through here.
        /// </summary>
        private VaultFailure? SetProven(string name, WaToken token, bool noClobber, out bool withMetadata)
        {
            withMetadata = Traits.KeepsMetadata;
            if (Traits.Refuses(name, out _)) return new VaultFailure(VaultFailureKind.NameRefused, null, null);
            var metadata = withMetadata ? TokenMetadata.ToHashtable(token, token.Fingerprint) : null;
            return SecretManagementBridge.SetSecretProven(_vault, name, token.Token, metadata, noClobber);
        }

        /// <summary>
        /// SecretStore's copy of its store in this process, read again from the file before a read or a write: under the
        /// store's lock, a write then starts from what another process last wrote, not from what this one read before.
        /// </summary>
        private void Fresh()
        {
            if (IsSecretStore && SecretStoreCache.Refresh() is string why) Cmdlet.WriteVerbose(why);
        }

        /// <summary>The vault's extension module, for the words that say why a secret went without metadata.</summary>
        internal string Module => Traits.Module;

        /// <summary>A failure on <paramref name="name"/> in words, the token (when one was written) kept out of them.</summary>
        internal TokenStoreError Error(VaultFailure failure, string name, WaToken? token = null) =>
            TokenStoreError.FromVault(failure, _vault, name, writing: true, secret: token == null ? null : SecretText.Reveal(token.Token), keyVaultName: Traits.KeyVaultName);
    }
}
