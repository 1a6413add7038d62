using System;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Revokes a token at once, or every token of a system user.</para>
    /// <para type="description">With a token (a SecureString, or the output of New-WaToken or Get-WaToken), revokes that one token through /oauth/revoke with the app's id and secret, so the connection must hold the app secret. With -All -SystemUserId, revokes every token the system user has (DELETE /{system-user-id}/access_tokens): every application that uses one of them stops at once. Both are irreversible and ask for confirmation (ConfirmImpact High); a host that can not ask (a runbook) needs -Force (or -Confirm:$false). To replace a token without an outage, use Update-WaToken, which revokes the old token only after the new one is stored and verified.</para>
    /// </summary>
    /// <example title="Revoke the previous token in a runbook">
    ///   <code>Get-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN_PREVIOUS | Revoke-WaToken -Confirm:$false</code>
    ///   <para>Revokes the token kept under WHATSAPP_ACCESS_TOKEN_PREVIOUS without asking, as a runbook would.</para>
    /// </example>
    /// <example title="See what revoking every token of a system user would do">
    ///   <code>Revoke-WaToken -All -SystemUserId 61550000000001 -WhatIf</code>
    ///   <para>Shows what revoking every token of the system user would do, without doing it.</para>
    /// </example>
    [Cmdlet(VerbsSecurity.Revoke, "WaToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = OneSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaTokenRevocation))]
    public sealed class RevokeWaTokenCommand : WaGraphCmdlet
    {
        private const string OneSet = "Token";
        private const string AllSet = "All";

        /// <summary><para type="description">The token to revoke, as a SecureString; binds from the Token property of New-WaToken or Get-WaToken output.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = OneSet)]
        public SecureString Token { get; set; } = new SecureString();

        /// <summary><para type="description">Where the token is stored, bound from the StoredIn of Get-WaToken or Save-WaToken output: the confirmation, -WhatIf and -PassThru's output name it, so the prompt says which application's token it is. It is only shown, never sent.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = OneSet, DontShow = true)]
        public string? StoredIn { get; set; }

        /// <summary><para type="description">Revoke every token of the system user named by -SystemUserId, for every app.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <summary><para type="description">The system user whose tokens -All revokes; binds from the Id of Get-WaSystemUser output or the SystemUserId of a token.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = AllSet)]
        [Alias("Id")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.SystemUserIdCompleter))]
        public string SystemUserId { get; set; } = string.Empty;

        /// <summary><para type="description">Also write what was revoked to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary><para type="description">Revoke without asking for confirmation, as -Confirm:$false does (for runbooks, where nobody can answer). -WhatIf still only shows what would be revoked.</para></summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            if (ParameterSetName == AllSet) RevokeAll(connection);
            else RevokeOne(connection);
        }

        private void RevokeOne(WaConnection connection)
        {
            if (SecretText.IsNullOrEmpty(Token))
            {
                WriteError(new ErrorRecord(new ArgumentException(Messages.Get("Invalid.EmptyToken", nameof(Token))), "EmptyToken", ErrorCategory.InvalidArgument, null));
                return;
            }
            string fingerprint = TokenFingerprint.Of(Token);
            // Only a WhatsApp token goes to /oauth/revoke: never the app secret or a password piped in by mistake.
            if (!AuditGate.LooksLikeMetaToken(Token))
            {
                WriteError(AuditGate.NotAToken(this, Messages.Get("Target.TokenFingerprint", fingerprint)));
                return;
            }
            if (!connection.HasAppSecret)
            {
                var error = new ErrorRecord(new InvalidOperationException(Messages.Get("Error.AppSecretRequired", Messages.Get("Operation.RevokeToken"))),
                    "AppSecretRequired", ErrorCategory.InvalidOperation, fingerprint);
                error.ErrorDetails = new ErrorDetails(Messages.Get("Error.AppSecretRequired", Messages.Get("Operation.RevokeToken"))) { RecommendedAction = Messages.Get("Remedy.AppSecretRequired") };
                WriteError(error);
                return;
            }
            string target = string.IsNullOrEmpty(StoredIn) ? Messages.Get("Target.TokenFingerprint", fingerprint) : Messages.Get("Target.StoredToken", fingerprint, StoredIn);
            if (!Confirmed(target, Messages.Get("Action.RevokeToken"))) return;
            var client = ClientFor(connection);
            var token = Token;
            try
            {
                Run(ct => client.RevokeTokenAsync(token, ct));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, fingerprint);
                return;
            }
            WriteVerbose(Messages.Get("Verbose.TokenRevoked", fingerprint));
            if (PassThru) WriteObject(new WaTokenRevocation { Fingerprint = fingerprint, StoredIn = string.IsNullOrEmpty(StoredIn) ? null : StoredIn, RevokedAt = DateTimeOffset.Now, Connection = connection });
        }

        /// <summary>-Force answers the confirmation (unless -Confirm asks for it explicitly); -WhatIf is honoured either way.</summary>
        private bool Confirmed(string target, string action)
        {
            if (Force && !Confirmation.IsWhatIf(this) && !MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            return Confirmation.ShouldProcess(this, target, action);
        }

        private void RevokeAll(WaConnection connection)
        {
            if (!Confirmed(Messages.Get("Target.SystemUserTokens", SystemUserId), Messages.Get("Action.RevokeAllTokens"))) return;
            var client = ClientFor(connection);
            string user = SystemUserId;
            try
            {
                Run(ct => client.RevokeAllTokensAsync(user, ct));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, user);
                return;
            }
            WriteVerbose(Messages.Get("Verbose.AllTokensRevoked", user));
            if (PassThru) WriteObject(new WaTokenRevocation { SystemUserId = user, AllTokens = true, RevokedAt = DateTimeOffset.Now, Connection = connection });
        }
    }
}
