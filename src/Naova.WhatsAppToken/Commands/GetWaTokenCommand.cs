using System.Management.Automation;
using Naova.WhatsAppToken.Engine;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a stored token back: from a SecretManagement vault or a .env file, as a SecureString with what the store kept about it.</para>
    /// <para type="description">With -Vault and -Name, reads the secret with SecretManagement's Get-Secret and its metadata with Get-SecretInfo (Get-SecretInfo output binds by property name: Get-SecretInfo -Vault Production | Get-WaToken). With -EnvFile, reads the variable's last assignment, the one dotenv loaders use. The output is the same kind of token object New-WaToken writes: the token as a SecureString, named by its fingerprint, with business, system user, app, scopes and expiry where the vault kept them (a .env keeps none). Metadata that describes another token (another fingerprint) is ignored with a warning. -AsPlainText returns the token's text instead; use it only where a program needs the text.</para>
    /// <para type="output" name="System.String">With -AsPlainText: the token's text, and nothing else. It shows wherever the string goes, so keep it out of logs and transcripts.</para>
    /// </summary>
    /// <example title="Read the stored token and what the vault kept about it">
    ///   <code>
    /// Get-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>Returns the token as a SecureString, named by its fingerprint, with the system user, app, scopes and expiry that Save-WaToken stored as the secret's metadata.</para>
    /// </example>
    /// <example title="Check every WhatsApp token of a vault">
    ///   <code>
    /// Get-SecretInfo -Vault Production -Name WHATSAPP_* | Get-WaToken | Test-WaToken
    ///   </code>
    ///   <para>Get-SecretInfo output binds to Get-WaToken by its VaultName and Name; each token then goes to Test-WaToken, which checks them all in one batch.</para>
    /// </example>
    /// <example title="Give the text to a program that needs it">
    ///   <code>
    /// $env:WHATSAPP_ACCESS_TOKEN = Get-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN -AsPlainText
    ///   </code>
    ///   <para>-AsPlainText returns the token's text, here only into the environment of the program started next. Use it only where a program needs the text, and keep it out of logs and transcripts.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "WaToken", DefaultParameterSetName = VaultSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaToken), ParameterSetName = new[] { VaultSet, EnvFileSet })]
    [OutputType(typeof(string))]
    public sealed class GetWaTokenCommand : WaCmdlet
    {
        private const string VaultSet = "Vault";
        private const string EnvFileSet = "EnvFile";

        /// <summary><para type="description">The SecretManagement vault that holds the token; binds from the VaultName of Get-SecretInfo output. When omitted, SecretManagement's default vault, as Get-Secret and Set-Secret use it (Set-SecretVaultDefault sets it).</para></summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = VaultSet)]
        [Alias("VaultName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.VaultCompleter))]
        public string Vault { get; set; } = string.Empty;

        /// <summary><para type="description">The secret's name (default WHATSAPP_ACCESS_TOKEN); binds from the Name of Get-SecretInfo output.</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Value = StoredTokenReader.DefaultName)]
        [ArgumentCompleter(typeof(Completion.SecretNameCompleter))]
        public string Name { get; set; } = StoredTokenReader.DefaultName;

        /// <summary><para type="description">The .env file that sets the token. A relative path starts at PowerShell's current location.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = EnvFileSet)]
        [ValidateNotNullOrEmpty]
        public string EnvFile { get; set; } = string.Empty;

        /// <summary><para type="description">The variable in the .env file (default WHATSAPP_ACCESS_TOKEN).</para></summary>
        [Parameter(ParameterSetName = EnvFileSet)]
        [ValidateEnvVariableName]
        [PSDefaultValue(Value = StoredTokenReader.DefaultName)]
        public string Variable { get; set; } = StoredTokenReader.DefaultName;

        /// <summary><para type="description">Return the token's text as a string instead of a token object. Only on explicit request: the text then shows wherever the string goes.</para></summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == VaultSet && !UseDefaultVault()) return;
            var reader = new StoredTokenReader(this);
            var token = ParameterSetName == VaultSet ? reader.FromVault(Vault, Name, out var error) : reader.FromEnvFile(EnvFile, Variable, out error);
            if (token == null)
            {
                WriteError(error!);
                return;
            }
            if (!AsPlainText)
            {
                WriteObject(token);
                return;
            }
            WriteVerbose(Messages.Get("Verbose.PlainText", token.Fingerprint));
            WriteObject(SecretText.Reveal(token.Token));
        }

        private bool UseDefaultVault()
        {
            Vault = DefaultVault.Resolve(Vault, out var error) ?? string.Empty;
            if (error != null) WriteError(error);
            return error == null;
        }
    }
}
