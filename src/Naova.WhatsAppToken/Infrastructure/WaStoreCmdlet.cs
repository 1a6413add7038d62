using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Base of the cmdlets that name a stored token (Get-, Save-, Test-, Update-WaToken): the store parameters,
    /// declared here once (-Vault/-Name for a SecretManagement vault, -EnvFile/-Variable for a .env), and the place an
    /// input names. A piped object that carries its place (StoredIn) is acted on there; one that is neither a token
    /// nor a stored secret (Get-SecretInfo output) is refused; a piped place and an explicit one that disagree are an error.
    /// </summary>
    public abstract class WaStoreCmdlet : WaGraphCmdlet
    {
        internal const string VaultSet = "Vault";
        internal const string EnvFileSet = "EnvFile";

        private static readonly string[] StoreParameters = { nameof(Vault), nameof(Name), nameof(EnvFile), nameof(Variable) };

        /// <summary>The store parameters given on the command line (not bound from the pipeline).</summary>
        private readonly HashSet<string> _given = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary><para type="description">The SecretManagement vault that holds the token (see Get-SecretVault); binds from the VaultName of Get-SecretInfo output. When omitted, SecretManagement's default vault, as Get-Secret and Set-Secret use it (Set-SecretVaultDefault sets it).</para></summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = VaultSet)]
        [Alias("VaultName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.VaultCompleter))]
        public string Vault { get; set; } = string.Empty;

        /// <summary><para type="description">The secret's name in the vault (default WHATSAPP_ACCESS_TOKEN); binds from the Name of Get-SecretInfo output.</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Value = StoredTokenReader.DefaultName)]
        [ArgumentCompleter(typeof(Completion.SecretNameCompleter))]
        public string Name { get; set; } = StoredTokenReader.DefaultName;

        /// <summary><para type="description">The .env file that holds the token. A relative path starts at PowerShell's current location.</para></summary>
        // By property name too: with Connection binding from the pipeline in every set, PowerShell binds Get-SecretInfo
        // output (Name, VaultName) only when every set takes something from the pipeline.
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EnvFileSet)]
        [ValidateNotNullOrEmpty]
        public string EnvFile { get; set; } = string.Empty;

        /// <summary><para type="description">The variable in the .env file (default WHATSAPP_ACCESS_TOKEN).</para></summary>
        [Parameter(ParameterSetName = EnvFileSet)]
        [ValidateEnvVariableName]
        [PSDefaultValue(Value = StoredTokenReader.DefaultName)]
        public string Variable { get; set; } = StoredTokenReader.DefaultName;

        /// <summary><para type="description">The stored token to act on, usually piped: Get-WaToken, Save-WaToken or Update-WaToken output, a Test-WaToken report, or Get-SecretInfo output. The command acts where the object says the token is kept (its StoredIn, or the VaultName and Name of a listed secret); -Vault, -Name, -EnvFile or -Variable that name another place are an error. Anything else (a system user, a WhatsApp Business Account, a string) is refused.</para></summary>
        // The one parameter that takes the piped object itself, whatever it is: the command sorts it (PipedInput), so
        // the syntax shows no parameter that only exists for the pipeline to bind (DontShow does not hide one there).
        [Parameter(ValueFromPipeline = true, ParameterSetName = VaultSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = EnvFileSet)]
        public virtual PSObject? InputObject { get; set; }

        /// <summary>Whether the place comes from -Vault/-Name (or the default vault) rather than -EnvFile.</summary>
        internal bool InVaultSet => ParameterSetName != EnvFileSet;

        /// <summary>Whether a store parameter was given on the command line.</summary>
        internal bool Given(string parameter) => _given.Contains(parameter);

        protected override void BeginProcessing()
        {
            // At BeginProcessing only the command line is bound: what comes later came from the pipeline.
            foreach (string parameter in StoreParameters)
                if (MyInvocation.BoundParameters.ContainsKey(parameter)) _given.Add(parameter);
            base.BeginProcessing();
        }

        /// <summary>What the record's piped object is to this command.</summary>
        internal PipedInput Piped() => PipedInput.Of(InputObject);

        /// <summary>
        /// The place this record names: the piped object's own place, else the store parameters (the default vault when
        /// -Vault is not given). Null when the input names no place this command can act on; its error is written.
        /// </summary>
        internal WaTokenPlace? PlaceOfRecord()
        {
            var piped = Piped();
            if (piped.Kind == PipedKind.Other || (piped.Kind == PipedKind.Token && piped.Place == null))
            {
                WriteError(PipedInput.Refusal(this, piped));
                return null;
            }
            if (piped.Place != null) return Agreeing(piped.Place);
            return GivenPlace();
        }

        /// <summary>
        /// Whether the record's piped object is refused, its error written: neither a token nor a stored secret, or
        /// kept in a place other than the one the parameters name.
        /// </summary>
        internal bool RefusedInput()
        {
            var piped = Piped();
            if (piped.Kind != PipedKind.Other) return piped.Place != null && Agreeing(piped.Place) == null;
            WriteError(PipedInput.Refusal(this, piped));
            return true;
        }

        /// <summary>The place the store parameters name; null with the error written.</summary>
        internal WaTokenPlace? GivenPlace()
        {
            var place = GivenPlace(out var error);
            if (place == null) WriteError(error!);
            return place;
        }

        /// <summary>The place the store parameters name (the default vault without -Vault); null with why not.</summary>
        internal WaTokenPlace? GivenPlace(out ErrorRecord? error)
        {
            if (!InVaultSet)
            {
                string? path = EnvFilePath.Resolve(this, EnvFile, out var pathError);
                error = pathError?.ToErrorRecord(EnvFile);
                return path == null ? null : WaTokenPlace.InEnvFile(path, Variable);
            }
            string? vault = DefaultVault.Resolve(Vault, out error);
            return vault == null ? null : WaTokenPlace.InVault(vault, Name);
        }

        /// <summary>A piped place, unless a store parameter given on the command line names another one.</summary>
        internal WaTokenPlace? Agreeing(WaTokenPlace piped)
        {
            string? conflict = null;
            if (piped.IsEnvFile)
            {
                if (Given(nameof(Vault)) || Given(nameof(Name))) conflict = Given(nameof(Vault)) ? "-Vault " + UnsavedTokens.Quote(Vault) : "-Name " + UnsavedTokens.Quote(Name);
                else if (Given(nameof(Variable)) && !string.Equals(Variable, piped.Variable, StringComparison.Ordinal)) conflict = "-Variable " + Variable;
                else if (Given(nameof(EnvFile)))
                {
                    string? path = EnvFilePath.Resolve(this, EnvFile, out _);
                    if (!string.Equals(path, piped.EnvFile, StringComparison.Ordinal)) conflict = "-EnvFile " + UnsavedTokens.Quote(path ?? EnvFile);
                }
            }
            else if (Given(nameof(EnvFile)) || Given(nameof(Variable)))
            {
                conflict = Given(nameof(EnvFile)) ? "-EnvFile " + UnsavedTokens.Quote(EnvFile) : "-Variable " + Variable;
            }
            else if (Given(nameof(Vault)) && !string.Equals(Vault, piped.Vault, StringComparison.OrdinalIgnoreCase))
            {
                conflict = "-Vault " + UnsavedTokens.Quote(Vault);
            }
            else if (Given(nameof(Name)) && !string.Equals(Name, piped.Name, StringComparison.OrdinalIgnoreCase))
            {
                conflict = "-Name " + UnsavedTokens.Quote(Name);
            }
            if (conflict == null) return piped;
            WriteError(PipedInput.Conflict(this, piped, conflict));
            return null;
        }

        /// <summary>The token a record brings itself (a SecureString, or an object's Token), or null.</summary>
        internal SecureString? PipedToken() => Piped().Token;
    }
}
