using System;
using System.IO;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// One place that holds tokens by name (a SecretManagement vault, or the variables of one .env file). Get-, Save-,
    /// Test- and Update-WaToken read and write stored tokens only through here, so each does it as the others do; a new
    /// kind of store is one more subclass (and its parameter set on <see cref="WaStoreCmdlet"/>).
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

        /// <summary>
        /// The token under <paramref name="name"/>, given what the store's listing said of it already (Get-SecretInfo's
        /// metadata, when the caller has it), so the store is not asked twice.
        /// </summary>
        public virtual WaToken? Read(string name, System.Collections.IDictionary? listed, out ErrorRecord? error) => Read(name, out _, out error);

        /// <summary>
        /// Stores <paramref name="token"/> under <paramref name="name"/>, proven by reading it back; with
        /// <paramref name="noClobber"/>, another token there is refused (the same token again is no change). Save-WaToken
        /// and the rotation both write through here.
        /// </summary>
        public abstract TokenWrite Write(string name, WaToken token, bool noClobber);

        /// <summary>Stores <paramref name="token"/> under <paramref name="name"/> (replacing what is there); null, or why it failed.</summary>
        public ErrorRecord? Write(string name, WaToken token) => Write(name, token, noClobber: false).Error?.ToErrorRecord(token.Fingerprint);

        /// <summary>
        /// The name whose token has <paramref name="fingerprint"/>, among every secret or variable of the store (each
        /// read here, nothing sent anywhere); null when none holds it, or with <paramref name="error"/> when the store
        /// could not be read through.
        /// </summary>
        public abstract string? Holder(string fingerprint, out ErrorRecord? error);

        /// <summary>What a confirmation names as the target of a write to <paramref name="name"/>.</summary>
        public abstract string ConfirmTarget(string name);

        /// <summary>What a confirmation says a write of the token <paramref name="fingerprint"/> does.</summary>
        public abstract string ConfirmAction(string fingerprint, bool noClobber);

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

        /// <summary>
        /// <see cref="CheckDestination()"/>, and whether the store takes <paramref name="name"/> (Azure Key Vault refuses
        /// a name with an underscore): asked before Meta makes the token, so a name the store would refuse costs nothing.
        /// </summary>
        public virtual ErrorRecord? CheckDestination(string name) => CheckDestination();

        /// <summary>The name the store would take for <paramref name="name"/>: the same, or Key Vault's spelling, for a retry command.</summary>
        public virtual string NameItTakes(string name) => name;

        /// <summary>
        /// The store itself, in words that are the same in every language and session: the kind, and the vault's name or
        /// the .env's real path (every link followed, the folders' too; a SecretStore vault: the folder of its store file).
        /// Rotations and saves of any secret of one store take its lock: the store is written as a whole (a .env, a
        /// SecretStore file), so two writers at once would lose one write.
        /// </summary>
        public abstract string StoreKey { get; }

        /// <summary>
        /// How long a check that writes the store (SecretStore's Test-SecretVault writes a secret and removes it) waits for
        /// the store's lock, and the reason of its error when the lock is not taken: the command's -LockTimeoutSeconds and
        /// its own busy error (RotationInProgress for Update-WaToken).
        /// </summary>
        public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(60);

        public string BusyReason { get; set; } = "StoreBusy";

        /// <summary>
        /// The store's lock (<see cref="StoreKey"/>, the one a rotation takes), waited for up to <see cref="LockWait"/>, the
        /// wait said in Verbose naming <paramref name="where"/>. Null with <paramref name="busy"/> when another process held
        /// it all that time; null with <paramref name="notTaken"/> when the state folder can not be used (the caller then
        /// goes on without it, as a rotation does).
        /// </summary>
        public Engine.Rotation.RotationLock? TakeLock(object where, out TokenStoreError? busy, out Exception? notTaken)
        {
            busy = null;
            notTaken = null;
            int seconds = (int)LockWait.TotalSeconds;
            try
            {
                var held = Engine.Rotation.RotationLock.Take(StoreKey, LockWait, who => Cmdlet.WriteVerbose(Messages.Get("Verbose.SaveLockWait", where, who, seconds)),
                    (Cmdlet as WaCmdlet)?.CancelToken ?? System.Threading.CancellationToken.None, out string holder);
                if (held == null)
                    busy = new TokenStoreError(BusyReason, ErrorCategory.ResourceBusy, Messages.Get("Error.SaveStoreBusy", where, holder, seconds), Messages.Get("Remedy.SaveStoreBusy"), null);
                return held;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                notTaken = ex;
                return null;
            }
        }

        /// <summary>One secret of the store in the same culture-free words: the journal of its rotation is named by it.</summary>
        public virtual string KeyOf(string name) => StoreKey + "|" + name.ToUpperInvariant();

        /// <summary>
        /// Whether a rotation's kept copy stays, revoked, when the rotation ends (a vault whose delete is soft: removing it
        /// would keep its name taken from the next rotation, which writes over it instead).
        /// </summary>
        public virtual bool KeepsRevokedCopy => false;

        /// <summary>Where a rotation keeps the token it replaces: the name with _PREVIOUS (a .env variable allows only letters, digits and underscores).</summary>
        public virtual string PreviousNameOf(string name) => name + "_PREVIOUS";

        /// <summary>Whether a name is a rotation's kept token, in either style.</summary>
        public static bool IsPreviousName(string name) =>
            name.EndsWith("_PREVIOUS", StringComparison.OrdinalIgnoreCase) || name.EndsWith("-PREVIOUS", StringComparison.OrdinalIgnoreCase);

        public static TokenStore ForVault(PSCmdlet cmdlet, string vault) => new VaultStore(cmdlet, vault);

        /// <summary>The store that holds <paramref name="place"/>, to read it (a write goes through <see cref="ForEnvFile"/>'s checks).</summary>
        public static TokenStore Holding(PSCmdlet cmdlet, WaTokenPlace place) =>
            place.IsEnvFile ? new EnvFileStore(cmdlet, place.EnvFile!) : (TokenStore)new VaultStore(cmdlet, place.Vault!);

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
    }
}
