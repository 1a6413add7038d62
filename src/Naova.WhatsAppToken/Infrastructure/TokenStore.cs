using System;
using System.IO;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// One place that holds tokens by name (a SecretManagement vault, or the variables of one .env file), read and
    /// written through the same code as Get-WaToken and Save-WaToken (<see cref="StoredTokenReader"/>,
    /// <see cref="SecretManagementBridge"/>, <see cref="DotEnvFile"/>), so a rotation stores exactly as they do.
    /// </summary>
    internal abstract class TokenStore
    {
        protected TokenStore(PSCmdlet cmdlet) => Cmdlet = cmdlet;

        protected PSCmdlet Cmdlet { get; }

        /// <summary>Where <paramref name="name"/> is, in the words StoredIn uses.</summary>
        public abstract WaTokenPlace Place(string name);

        /// <summary>The arguments of Save-WaToken/Get-WaToken that name <paramref name="name"/> in this store.</summary>
        public abstract string Arguments(string name);

        /// <summary>The token kept under <paramref name="name"/>; null with <paramref name="missing"/> when there is none, or with an error.</summary>
        public abstract WaToken? Read(string name, out bool missing, out ErrorRecord? error);

        /// <summary>Stores <paramref name="token"/> under <paramref name="name"/> (replacing what is there); null, or why it failed.</summary>
        public abstract ErrorRecord? Write(string name, WaToken token);

        /// <summary>
        /// Forgets the token under <paramref name="name"/> (a rotation's kept copy, once revoked): a vault removes the
        /// secret; a .env keeps the variable, emptied, so no revoked token text stays in the file. Null, or why it failed.
        /// </summary>
        public abstract ErrorRecord? Remove(string name);

        /// <summary>
        /// Whether the store can take a token now, asked before Meta makes one: a vault registered and answering
        /// Test-SecretVault; a .env whose folder exists and can be written. Null, or why not.
        /// </summary>
        public abstract ErrorRecord? CheckDestination();

        /// <summary>Where a rotation keeps the token it replaces: the name with _PREVIOUS (a .env variable allows only letters, digits and underscores).</summary>
        public virtual string PreviousNameOf(string name) => name + "_PREVIOUS";

        /// <summary>Whether a name is a rotation's kept token, in either style.</summary>
        public static bool IsPreviousName(string name) =>
            name.EndsWith("_PREVIOUS", StringComparison.OrdinalIgnoreCase) || name.EndsWith("-PREVIOUS", StringComparison.OrdinalIgnoreCase);

        public static TokenStore ForVault(PSCmdlet cmdlet, string vault) => new VaultStore(cmdlet, vault);

        /// <summary>Null with an error when the path is not a file system path.</summary>
        public static TokenStore? ForEnvFile(PSCmdlet cmdlet, string envFile, out ErrorRecord? error)
        {
            error = null;
            string? path = EnvFilePath.Resolve(cmdlet, envFile, out var pathError);
            pathError ??= path == null ? null : EnvFilePath.RefuseWrite(path);
            if (path != null && pathError == null) return new EnvFileStore(cmdlet, path);
            error = pathError!.ToErrorRecord(envFile);
            return null;
        }

        private sealed class VaultStore : TokenStore
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

            public override ErrorRecord? Write(string name, WaToken token)
            {
                var failure = SecretManagementBridge.SetSecretProven(_vault, name, token.Token, TokenMetadata.ToHashtable(token, token.Fingerprint), noClobber: false);
                if (failure?.Kind == VaultFailureKind.MetadataNotSupported)
                {
                    // As Save-WaToken does: SecretManagement removed the secret it could not describe; store it bare.
                    Cmdlet.WriteWarning(Messages.Get("Warning.MetadataNotSupported", _vault, token.Fingerprint, name));
                    failure = SecretManagementBridge.SetSecretProven(_vault, name, token.Token, null, noClobber: false);
                }
                return failure == null
                    ? null
                    : TokenStoreError.FromVault(failure, _vault, name, writing: true, secret: SecretText.Reveal(token.Token)).ToErrorRecord(token.Fingerprint);
            }
        }

        private sealed class EnvFileStore : TokenStore
        {
            private readonly string _path;

            public EnvFileStore(PSCmdlet cmdlet, string path)
                : base(cmdlet) => _path = path;

            public override WaTokenPlace Place(string name) => StoredTokenReader.EnvFilePlace(_path, name);

            public override string Arguments(string name) => "-EnvFile " + UnsavedTokens.Quote(_path) + " -Variable " + name;

            public override WaToken? Read(string name, out bool missing, out ErrorRecord? error)
            {
                var token = new StoredTokenReader(Cmdlet).FromEnvFile(_path, name, out error);
                // An emptied variable is a kept copy a completed rotation forgot (see Remove).
                missing = token == null && error != null && (error.FullyQualifiedErrorId.StartsWith("EnvVariableNotFound", StringComparison.Ordinal)
                    || (IsPreviousName(name) && error.FullyQualifiedErrorId.StartsWith("EmptyToken", StringComparison.Ordinal)));
                return token;
            }

            public override ErrorRecord? CheckDestination()
            {
                // The file is replaced through a temporary file beside it: its folder must exist and take a new file.
                string folder = Path.GetDirectoryName(AtomicFile.ResolveTarget(_path)) ?? ".";
                try
                {
                    if (!Directory.Exists(folder)) throw new DirectoryNotFoundException(folder);
                    string probe = Path.Combine(folder, ".naova-probe-" + Guid.NewGuid().ToString("N"));
                    using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                    {
                    }
                    return null;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    return TokenStoreError.FromFile(ex, _path, writing: true).ToErrorRecord(_path);
                }
            }

            public override ErrorRecord? Remove(string name)
            {
                try
                {
                    if (DotEnvFile.Read(_path, name) is string value && value.Length > 0) DotEnvFile.Set(_path, name, string.Empty);
                    return null;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
                {
                    return TokenStoreError.FromFile(ex, _path, writing: true).ToErrorRecord(Place(name).ToString());
                }
            }

            public override ErrorRecord? Write(string name, WaToken token)
            {
                try
                {
                    DotEnvFile.Set(_path, name, SecretText.Reveal(token.Token));
                    return EnvWriteProof.Check(_path, name, token)?.ToErrorRecord(token.Fingerprint);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
                {
                    return TokenStoreError.FromFile(ex, _path, writing: true).ToErrorRecord(token.Fingerprint);
                }
            }
        }
    }

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
