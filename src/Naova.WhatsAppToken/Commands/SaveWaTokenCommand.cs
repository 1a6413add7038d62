using System;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Rotation;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Stores a token in a SecretManagement vault or a .env file, straight from New-WaToken, without showing it.</para>
    /// <para type="description">With -Vault, stores the token as a SecureString with SecretManagement's Set-Secret, so any registered vault works (SecretStore, Az.KeyVault, KeePass, ...). Where the vault keeps metadata, the secret carries what the token is: BusinessId, SystemUserId, SystemUserName, AppId, Scopes, IssuedAt, Expires (a date, or "never") and Fingerprint; a vault that keeps no metadata (its extension's Set-Secret takes no -Metadata and it has no Set-SecretInfo, as Az.KeyVault's) gets the secret alone, known from its registration before anything is written, so SecretManagement never writes a secret and removes it again. Azure Key Vault (a vault registered with Az.KeyVault) takes names of letters, digits and dashes only: a -Name it would refuse stops the pipeline before a token is made, naming the one it takes (WHATSAPP-ACCESS-TOKEN for WHATSAPP_ACCESS_TOKEN); a name Key Vault holds deleted (its delete is soft) is an error that gives the Az commands to recover or purge it. With -EnvFile, sets the variable in a dotenv file: every other byte of the file stays as it was, and the file is replaced in one step (a temporary file beside it, then a rename), so it is never half written; a new file is readable by its owner only, on Unix. When the variable appears several times, the last one (the one dotenv loaders use) is replaced.</para>
    /// <para type="description">The token goes on down the pipeline with StoredIn saying where it is, so Test-WaToken can follow. -Verbose tells what changed; the token's text is never shown, only its fingerprint.</para>
    /// <para type="description">The destination is checked before anything upstream makes a token: SecretManagement present, the vault registered and answering Test-SecretVault (a locked vault does not), the .env's folder present and writable; otherwise the pipeline stops with an error and no token is made. Nothing is lost: when the token can still not be saved (the vault refusing the write, the secret existing under -NoClobber, the disk full), or is not saved because -WhatIf or a No at -Confirm said so, it is kept in the global variable $WaUnsavedToken (one token, or an array of them) with the name it was meant for, the error's TargetObject names the token (fingerprint, system user, app) without carrying it, and the message gives the command that saves it, such as: $WaUnsavedToken | Save-WaToken -Vault 'Production' -Name 'WHATSAPP_ACCESS_TOKEN'. A token leaves $WaUnsavedToken once it is saved; without -Name (or -Variable) it goes back to the name it was meant for, and a second, different token piped to the same name is refused rather than written over the first. A write counts only when the secret or variable reads back with the token's fingerprint: a vault that stopped to ask for a password nobody could give, or said nothing and kept nothing, is a failed save. An -EnvFile that is not a regular file (a FIFO, a device; a symbolic link to a regular file is fine) or is read-only is refused before anything upstream makes a token.</para>
    /// <para type="description">The write takes the store's lock, the one Update-WaToken takes (one per .env, by its real path; one per vault; one for all the SecretStore vaults of a user, which share one store file): a rotation or a save of the same store in another process is waited for, up to -LockTimeoutSeconds, so that neither write undoes the other; a token not written in that time is kept in $WaUnsavedToken. Before a SecretStore vault is read or written, SecretStore's copy of its store in this process is read again from its file, so the write starts from what another process last wrote; the check of a SecretStore vault before any token arrives (its Test-SecretVault writes to the store) runs under the same lock, and stops the pipeline with StoreBusy when the lock is not taken in time. Under -WhatIf, which writes nothing, a SecretStore vault is listed (Get-SecretInfo) instead, without the lock; a locked store can not be listed either.</para>
    /// </summary>
    /// <example title="Store a new token in a vault, straight from New-WaToken">
    ///   <code>
    /// Get-WaSystemUser -Name naova-whatsapp-service |
    ///   New-WaToken -Expiration Never |
    ///   Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN -Verbose
    ///   </code>
    ///   <para>The token goes from Meta's answer into the SecretManagement vault as a SecureString, with its metadata where the vault keeps it. -Verbose says where it went and names the token by its fingerprint, never by its text.</para>
    /// </example>
    /// <example title="Set the token in an application's .env file, then check it">
    ///   <code>
    /// Get-WaSystemUser -Name naova-whatsapp-service |
    ///   New-WaToken -Expiration Never |
    ///   Save-WaToken -EnvFile /srv/naova-whatsapp/.env -Variable WHATSAPP_ACCESS_TOKEN |
    ///   Test-WaToken
    ///   </code>
    ///   <para>Sets WHATSAPP_ACCESS_TOKEN in the .env file an application loads, leaving every other line as it was, and passes the token on to Test-WaToken, whose report says where the token is stored.</para>
    /// </example>
    /// <example title="Save a token that could not be saved the first time">
    ///   <code>
    /// $WaUnsavedToken | Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>When a save fails (a locked vault, a full disk) the token is kept in $WaUnsavedToken, and the error gives this command. Run it once the cause is fixed: Meta shows a token only once, so it is never lost.</para>
    /// </example>
    [Cmdlet(VerbsData.Save, "WaToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = VaultSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaToken))]
    public sealed class SaveWaTokenCommand : WaStoreCmdlet
    {

        /// <summary><para type="description">The token to store, as New-WaToken (or Get-WaToken) writes it.</para></summary>
        // Any object binds, so one that is not a token (a string, a system user) gets this command's own error.
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [Alias("Token")]
        public override PSObject? InputObject { get; set; }

        /// <summary><para type="description">Refuse to replace an existing secret or variable (the token is then kept in $WaUnsavedToken). Writing the same token again is not a change and succeeds.</para></summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary><para type="description">How long to wait for a rotation or a save of the same store in another process (Update-WaToken, Save-WaToken) to end before the write (default 60 seconds; 0 does not wait). A token not written in that time is kept in $WaUnsavedToken, with the command that saves it again.</para></summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        [PSDefaultValue(Value = 60)]
        public int LockTimeoutSeconds { get; set; } = 60;

        // What this command saved or tried to save, by place: a second token into one place would replace the first.
        private readonly System.Collections.Generic.Dictionary<WaTokenPlace, string> _places = new System.Collections.Generic.Dictionary<WaTokenPlace, string>();
        private bool _nameGiven;
        private bool _lockWarned;

        /// <summary>Where the tokens go: the vault or the .env the parameters name, checked before any token arrives.</summary>
        private TokenStore _store = null!;

        /// <summary>
        /// The destination is checked here, before any token arrives: PowerShell runs every BeginProcessing of a pipeline
        /// before the first ProcessRecord, so when the vault (the default one, without -Vault) is missing, unregistered
        /// or locked, or the .env can not take the token (its folder missing or not writable, a directory, a FIFO, a
        /// read-only file), the pipeline stops before the command that would make the token has run: no token is made
        /// that could not be saved, and no command to save it again repeats a bad name.
        /// </summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _nameGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Name)) || MyInvocation.BoundParameters.ContainsKey(nameof(Variable));
            ErrorRecord? error = null;
            TokenStore? store;
            if (ParameterSetName == EnvFileSet)
            {
                store = TokenStore.ForEnvFile(this, EnvFile, out error);
            }
            else
            {
                Vault = DefaultVault.Resolve(Vault, out error) ?? string.Empty;
                store = error == null ? TokenStore.ForVault(this, Vault) : null;
            }
            // Checking a SecretStore vault writes to it (Test-SecretVault), under the store's lock: waited for as the save's is.
            if (store != null) store.LockWait = TimeSpan.FromSeconds(LockTimeoutSeconds);
            // A -Name given is checked too (Azure Key Vault refuses an underscore); a name from $WaUnsavedToken, or the
            // default one, is known only when the token arrives, and checked then, before the write.
            error ??= _nameGiven && ParameterSetName == VaultSet ? store!.CheckDestination(Name) : store!.CheckDestination();
            if (error != null) ThrowTerminatingError(error);
            _store = store!;
        }

        protected override void ProcessRecord()
        {
            var token = InputObject?.BaseObject as WaToken;
            if (token == null && InputObject != null)
            {
                string what = InputObject.BaseObject is string ? "string" : InputObject.BaseObject.GetType().Name;
                var refused = Messages.Get("Error.NotAWaToken", what);
                WriteError(new ErrorRecord(new ArgumentException(refused, nameof(InputObject)), "NotATokenInput", ErrorCategory.InvalidArgument, InputObject.BaseObject is SecureString ? null : InputObject.BaseObject)
                {
                    ErrorDetails = new ErrorDetails(refused) { RecommendedAction = Messages.Get("Remedy.NotAWaToken") },
                });
                return;
            }
            if (token == null || SecretText.IsNullOrEmpty(token.Token))
            {
                var message = Messages.Get("Invalid.TokenMissing", nameof(InputObject));
                WriteError(new ErrorRecord(new ArgumentException(message, nameof(InputObject)), "EmptyToken", ErrorCategory.InvalidArgument, token)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.StoredTokenEmpty") },
                });
                return;
            }
            // The fingerprint is recomputed: it names the token in every message, and must be the token's own.
            string fingerprint = TokenFingerprint.Of(token.Token);
            if (token.Fingerprint != fingerprint)
            {
                token = token.StoredAt(token.StoredIn);
                token.Fingerprint = fingerprint;
            }
            // A token from $WaUnsavedToken goes back to the name it was meant for, unless a name is given.
            if (!_nameGiven)
            {
                if (ParameterSetName == VaultSet) Name = token.MeantFor ?? StoredTokenReader.DefaultName;
                else Variable = token.MeantFor != null && System.Text.RegularExpressions.Regex.IsMatch(token.MeantFor, "^[A-Za-z_][A-Za-z0-9_]*$") ? token.MeantFor : StoredTokenReader.DefaultName;
            }
            Save(token, ParameterSetName == VaultSet ? Name : Variable);
        }

        private void Save(WaToken token, string name)
        {
            string again = _store.Arguments(name) + (NoClobber ? " -NoClobber" : string.Empty);
            if (SecondTokenInto(name, token)) return;
            // Kept before anything can go wrong, even Ctrl+C in the middle of a vault's Set-Secret; forgotten once saved.
            UnsavedTokens.Keep(this, token, again, name);
            if (!Confirmed(token, _store.ConfirmTarget(name), _store.ConfirmAction(token.Fingerprint, NoClobber), again)) return;
            if (!Lock(token, name, again, out var held)) return;
            TokenWrite written;
            using (held)
                written = _store.Write(name, token, NoClobber);
            if (written.Error != null)
            {
                // Saved again, the token goes where -NoClobber found another one only if that is meant: the command says so without it.
                // A name the store refuses is given as the one it takes.
                Fail(token, written.Error, _store.Arguments(_store.NameItTakes(name)) + (NoClobber && !written.Exists ? " -NoClobber" : string.Empty));
                return;
            }
            if (written.Warning != null) WriteWarning(written.Warning);
            WriteVerbose(written.Change);
            Saved(token, _store.Place(name));
        }

        /// <summary>
        /// The store's lock, the one Update-WaToken takes, held around the write: the store is written as a whole (a .env,
        /// SecretStore's one file), so a rotation or a save in another process writing at the same time could undo this
        /// write, or this one theirs. False when it was not taken in time: the token stays in $WaUnsavedToken. A state
        /// folder that can not be written is warned of (once), and the write goes on without the lock, as a rotation does.
        /// </summary>
        private bool Lock(WaToken token, string name, string again, out RotationLock? held)
        {
            held = _store.TakeLock(_store.Place(name), out var busy, out var notTaken);
            if (notTaken != null)
            {
                if (!_lockWarned) WriteWarning(Messages.Get("Warning.SaveLockNotTaken", StateFolder.Root, notTaken.Message, StateFolder.Variable));
                _lockWarned = true;
                return true;
            }
            if (busy == null) return true;
            Fail(token, busy, again);
            return false;
        }

        /// <summary>
        /// Refuses a second, different token into a place this command already took one for (several tokens piped to
        /// one name would overwrite each other): it stays in $WaUnsavedToken, with the command for the name it was meant for.
        /// </summary>
        private bool SecondTokenInto(string name, WaToken token)
        {
            var place = _store.Place(name);
            if (!_places.TryGetValue(place, out var taken))
            {
                _places[place] = token.Fingerprint;
                return false;
            }
            if (string.Equals(taken, token.Fingerprint, StringComparison.OrdinalIgnoreCase)) return false;
            string command = UnsavedTokens.Keep(this, token, _store.Arguments(token.MeantFor ?? name), token.MeantFor);
            string message = Messages.Get("Error.SeveralTokensOneName", token.Fingerprint, _store.ConfirmTarget(name), taken, command);
            WriteError(new ErrorRecord(new InvalidOperationException(message), "SeveralTokensOneName", ErrorCategory.InvalidOperation, token.WithoutSecret())
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.SeveralTokensOneName", command) },
            });
            return true;
        }

        /// <summary>ShouldProcess that keeps the token when the answer is no (or -WhatIf), or when the host can not ask.</summary>
        private bool Confirmed(WaToken token, string target, string action, string again)
        {
            bool go;
            try
            {
                go = ShouldProcess(target, action);
            }
            catch (Exception ex) when (Confirmation.HostCouldNotAsk(ex))
            {
                string command = UnsavedTokens.Keep(this, token, again);
                var message = Messages.Get("Error.ConfirmFailed", token.Fingerprint, ex.Message, command);
                WriteError(new ErrorRecord(new InvalidOperationException(message, ex), "ConfirmationFailed", ErrorCategory.PermissionDenied, token.WithoutSecret())
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.ConfirmFailed", command) },
                });
                return false;
            }
            if (!go) WriteWarning(Messages.Get("Warning.NotSavedKept", token.Fingerprint, UnsavedTokens.Keep(this, token, again)));
            return go;
        }

        private void Fail(WaToken token, TokenStoreError error, string again)
        {
            if (UnsavedTokens.Unreachable(this) is string where)
            {
                FailWhereNothingKeeps(token, error, where);
                return;
            }
            string command = UnsavedTokens.Keep(this, token, again);
            WriteError(error.ToErrorRecord(token.WithoutSecret(), Messages.Get("Error.NotSaved", token.Fingerprint, error.Message, command), Messages.Get("Remedy.SaveAgain", error.Remedy, command)));
        }

        /// <summary>
        /// A save that failed where $WaUnsavedToken ends with the runspace (ForEach-Object -Parallel, Start-Job): the token
        /// is revoked, so none is left valid at Meta with nobody holding it, and the error says so (or why it could not be).
        /// </summary>
        private void FailWhereNothingKeeps(WaToken token, TokenStoreError error, string where)
        {
            UnsavedTokens.Forget(this, token);
            string? notRevoked = RevokeHeldByNobody(token);
            string message = notRevoked == null
                ? Messages.Get("Error.NotSavedRevoked", token.Fingerprint, error.Message, where)
                : Messages.Get("Error.NotSavedNotRevoked", token.Fingerprint, error.Message, where, notRevoked, token.SystemUserId);
            WriteError(error.ToErrorRecord(token.WithoutSecret(), message, Messages.Get("Remedy.NotSavedRevoked", error.Remedy)));
        }

        private void Saved(WaToken token, WaTokenPlace place)
        {
            token.MeantFor = null;
            if (InputObject?.BaseObject is WaToken given) given.MeantFor = null;
            UnsavedTokens.Forget(this, token);
            WriteObject(token.StoredAt(place));
        }
    }
}
