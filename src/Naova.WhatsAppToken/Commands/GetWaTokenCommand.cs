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
    public sealed class GetWaTokenCommand : WaStoreCmdlet
    {
        /// <summary><para type="description">Return the token's text as a string instead of a token object. Only on explicit request: the text then shows wherever the string goes.</para></summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void ProcessRecord()
        {
            // A piped token is read again where it is kept; a piped secret where Get-SecretInfo found it.
            var place = PlaceOfRecord();
            if (place == null) return;
            var token = TokenStore.Holding(this, place).Read(place.Key, out _, out var error);
            if (token == null)
            {
                WriteError(error!);
                return;
            }
            if (!AsPlainText)
            {
                // -Connection (or a piped object's) goes with the token, so Test-WaToken and Update-WaToken use it.
                if (Connection != null) token.Connection = Connection;
                WriteObject(token);
                return;
            }
            WriteVerbose(Messages.Get("Verbose.PlainText", token.Fingerprint));
            WriteObject(SecretText.Reveal(token.Token));
        }
    }
}
