using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken
{
    /// <summary>The variables of one .env file as a token store, each write one atomic replacement of the file.</summary>
    internal sealed class EnvFileStore : TokenStore
    {
        private readonly string _path;

        public EnvFileStore(PSCmdlet cmdlet, string path)
            : base(cmdlet) => _path = path;

        public override WaTokenPlace Place(string name) => StoredTokenReader.EnvFilePlace(_path, name);

        // Resolved once per command: every link followed costs a readlink, and the lock and journals of one run name one file.
        public override string StoreKey => _storeKey ??= "ENVFILE|" + AtomicFile.RealPath(_path).ToUpperInvariant();

        private string? _storeKey;

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
                // A link to a target whose folder is missing is named as a link, not as a folder of the link's own name.
                DotEnvFile.RefuseDanglingLink(_path);
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

        public override string? Holder(string fingerprint, out ErrorRecord? error)
        {
            error = null;
            try
            {
                var document = DotEnvFile.Load(_path);
                return document.Keys.Distinct(StringComparer.Ordinal).FirstOrDefault(key => document.Get(key) is string value && value.Length > 0 && TokenFingerprint.Of(value) == fingerprint);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                error = TokenStoreError.FromFile(ex, _path, writing: false).ToErrorRecord(_path);
                return null;
            }
        }

        public override string ConfirmTarget(string name) => Messages.Get("Target.EnvVariable", _path, name);

        public override string ConfirmAction(string fingerprint, bool noClobber) => Messages.Get("Action.SaveToEnvFile", fingerprint);

        public override TokenWrite Write(string name, WaToken token, bool noClobber)
        {
            // Checked again at each write: a file made read-only since would be replaced all the same by the rename.
            if (EnvFilePath.RefuseWrite(_path) is TokenStoreError refused) return TokenWrite.Failed(refused);
            DotEnvChange change;
            try
            {
                change = DotEnvFile.Set(_path, name, SecretText.Reveal(token.Token), noClobber);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                return TokenWrite.Failed(TokenStoreError.FromFile(ex, _path, writing: true));
            }
            if (change.Kind == DotEnvChangeKind.Refused)
            {
                return TokenWrite.Failed(new TokenStoreError("EnvVariableExists", ErrorCategory.ResourceExists, Messages.Get("Error.EnvVariableExists", _path, name, change.Line),
                    Messages.Get("Remedy.EnvVariableExists"), null));
            }
            if (EnvWriteProof.Check(_path, name, token) is TokenStoreError unproven) return TokenWrite.Failed(unproven);
            string? warning = null;
            if (change.Kind == DotEnvChangeKind.Replaced && change.Occurrences.Count > 1)
            {
                string lines = string.Join(", ", change.Occurrences.Select(l => l.ToString(CultureInfo.CurrentCulture)));
                warning = Messages.Get("Warning.EnvDuplicates", _path, name, change.Occurrences.Count, lines, change.Line);
            }
            string said = change.Kind == DotEnvChangeKind.Unchanged ? "Verbose.EnvUnchanged"
                : change.Kind == DotEnvChangeKind.Replaced ? "Verbose.EnvReplaced"
                : change.CreatedFile ? "Verbose.EnvCreated" : "Verbose.EnvAdded";
            return TokenWrite.Done(Messages.Get(said, token.Fingerprint, name, change.Line, _path), warning);
        }
    }
}
