using System;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Rotation;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Generates a system-user token, straight into a SecureString: the text is never shown.</para>
    /// <para type="description">Business Settings step 3. Asks Meta for a token for the system user and app, with the three WhatsApp scopes by default and no expiry, signed with appsecret_proof. Meta gives the token once: pipe the output to Save-WaToken. The output names the token by its fingerprint only. Some businesses must use expiring tokens: use -Expiration SixtyDays there, and renew it. Stopped (Ctrl+C) after the request left, it warns that Meta may hold a never-expiring token and how to revoke it; the next New-WaToken for the same system user and app in the same process takes the token Meta issued then, rather than making a second one. A token an earlier session's Save-WaToken could not save, and whose session then ended (pwsh -File from cron, a runbook), is recorded in the state folder by its fingerprint (never its text): the next New-WaToken for that system user and app, in any process, gives that token again when Meta still holds it as the system user's latest valid token, with a warning naming it (when it was kept, and the save it was meant for), instead of making a second one; a newer token made since, or the kept one no longer valid, removes the record and a token is made as usual; a kept token of another lifetime than -Expiration, or short of a scope asked for, is revoked (nothing holds it) and the token asked for is made.</para>
    /// </summary>
    /// <example title="Generate a permanent token straight into a vault (Business Settings step 3)">
    ///   <code>
    /// Get-WaSystemUser -Name naova-whatsapp-service |
    ///   New-WaToken -Expiration Never |
    ///   Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>Asks Meta for a token for the system user and the connection's app, with the three WhatsApp scopes (business_management, whatsapp_business_management, whatsapp_business_messaging) and no expiry. Meta gives the token only once: it goes from the answer into the vault as a SecureString and is never shown; the output names it by its fingerprint.</para>
    /// </example>
    /// <example title="A business that must use expiring tokens">
    ///   <code>
    /// Get-WaSystemUser -Name naova-whatsapp-service |
    ///   New-WaToken -Expiration SixtyDays |
    ///   Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>When Meta answers that the business must use expiring system user tokens, make a 60-day token and renew it before it lapses; Test-WaToken warns in time.</para>
    /// </example>
    /// <example title="See what would be generated, without generating it">
    ///   <code>
    /// New-WaToken -SystemUserId 61550000000001 -Scope whatsapp_business_messaging, whatsapp_business_management -WhatIf
    ///   </code>
    ///   <para>-WhatIf names the system user, the app, the lifetime and the scopes of the token that would be made. A token without business_management is reported by Test-WaToken as missing a scope.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "WaToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaToken))]
    public sealed class NewWaTokenCommand : WaGraphCmdlet
    {
        /// <summary><para type="description">The system user's id; binds from New-WaSystemUser or Grant-WaAssets output.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.SystemUserIdCompleter))]
        public string SystemUserId { get; set; } = string.Empty;

        /// <summary><para type="description">The system user's name, recorded with the token.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [ArgumentCompleter(typeof(Completion.SystemUserNameCompleter))]
        public string? SystemUserName { get; set; }

        /// <summary><para type="description">The app the token is for; defaults to the connection's app.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.AppIdCompleter))]
        public string? AppId { get; set; }

        /// <summary><para type="description">Token scopes (permissions); default business_management, whatsapp_business_management, whatsapp_business_messaging.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateScope]
        [ArgumentCompleter(typeof(Completion.ScopeCompleter))]
        [PSDefaultValue(Value = new[] { WhatsAppScopes.BusinessManagement, WhatsAppScopes.WhatsAppBusinessManagement, WhatsAppScopes.WhatsAppBusinessMessaging })]
        public string[] Scope { get; set; } = WhatsAppScopes.Required.ToArray();

        /// <summary><para type="description">Never (default, a permanent token) or SixtyDays.</para></summary>
        [Parameter]
        [PSDefaultValue(Value = WaTokenExpiration.Never)]
        public WaTokenExpiration Expiration { get; set; } = WaTokenExpiration.Never;

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            var client = ClientFor(connection);
            string appId = AppId ?? connection.AppId;
            var scopes = WhatsAppScopes.Normalize(Scope);
            foreach (var unknown in scopes.Where(s => !WhatsAppScopes.IsKnown(s)))
                WriteWarning(Messages.Get("Warning.UnknownScope", unknown));
            // A token without the WhatsApp scopes can not send a message or read a WABA: Meta makes it all the same.
            var missing = WhatsAppScopes.Required.Where(r => !scopes.Contains(r, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (missing.Length > 0) WriteWarning(Messages.Get("Warning.WhatsAppScopesMissing", string.Join(", ", missing)));
            // The user New-WaSystemUser -WhatIf would create has no id yet: named, with what becomes of it.
            string id = SystemUserId == WaSystemUser.PlannedId && Confirmation.IsWhatIf(this) ? Messages.Get("Target.PlannedSystemUser") : SystemUserId;
            string who = SystemUserName != null ? $"{SystemUserName} ({id})" : id;
            string lifetime = Messages.Get(Expiration == WaTokenExpiration.Never ? "Lifetime.Never" : "Lifetime.SixtyDays");
            if (!Confirmation.ShouldProcess(this, Messages.Get("Target.Token", who, appId), Messages.Get("Action.CreateToken", lifetime, string.Join(", ", scopes)))) return;
            try
            {
                DebugTokenData? kept = null;
                var created = Unanswered(client, connection, appId, scopes, who) ?? KeptUnsaved(client, connection, appId, scopes, who, out kept)
                    ?? Ask(client, connection, appId, scopes, who);
                // By Meta's clock (its Date header, as every other date here), to the second as Meta keeps it: a local
                // clock that is off would date the token, and a 60-day token's expiry, wrongly.
                // A token kept by an earlier session is described as Meta's debug_token does, not as this call asked.
                var issued = DebugTokenData.FromUnix(kept?.IssuedAt) ?? DateTimeOffset.FromUnixTimeSeconds(client.ServerNow.ToUnixTimeSeconds());
                var lifetimeMade = kept == null ? Expiration : DebugTokenData.FromUnix(kept.ExpiresAt) == null ? WaTokenExpiration.Never : WaTokenExpiration.SixtyDays;
                var token = new WaToken
                {
                    Token = created.Token,
                    Fingerprint = TokenFingerprint.Of(created.Token),
                    SystemUserId = SystemUserId,
                    SystemUserName = SystemUserName,
                    BusinessId = connection.BusinessId,
                    AppId = appId,
                    Scopes = kept?.Scopes?.ToArray() ?? scopes.ToArray(),
                    Expiration = lifetimeMade,
                    IssuedAt = issued,
                    ExpiresAt = kept != null ? DebugTokenData.FromUnix(kept.ExpiresAt) : Expiration == WaTokenExpiration.SixtyDays ? issued.AddDays(60) : (DateTimeOffset?)null,
                    Connection = connection,
                };
                if (created.Recovered) WriteWarning(Messages.Get("Warning.TokenRecovered", token.Fingerprint, who));
                WriteVerbose(Messages.Get("Verbose.TokenCreated", token.Fingerprint, who));
                WriteObject(token);
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, who);
            }
        }

        private string Key(WaConnection connection, string appId) => UnansweredTokenRequests.Key(connection, SystemUserId, appId);

        /// <summary>
        /// The token an earlier New-WaToken for this system user and app asked for and was stopped (Ctrl+C) before
        /// Meta's answer came back, when Meta made it then; null when there was no such request or Meta made nothing.
        /// </summary>
        private CreatedToken? Unanswered(GraphClient client, WaConnection connection, string appId, System.Collections.Generic.IReadOnlyList<string> scopes, string who)
        {
            string key = Key(connection, appId);
            if (!(UnansweredTokenRequests.Take(key) is UnansweredTokenRequests.Request request)) return null;
            WriteVerbose(Messages.Get("Verbose.LookingForUnanswered", who, request.AskedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
            try
            {
                var found = Run(ct => client.FindUnansweredTokenAsync(SystemUserId, appId, scopes, request.AskedAt, request.StoppedAt, ct));
                return found == null ? null : new CreatedToken(found, true);
            }
            catch (Exception ex) when (ex is GraphApiException || ex is PipelineStoppedException)
            {
                UnansweredTokenRequests.Restore(key, request); // not known yet: the next run looks again
                throw;
            }
        }

        /// <summary>
        /// The token an earlier session kept unsaved for this system user and app (its Save-WaToken failed, and the
        /// process, with its $WaUnsavedToken, ended), when Meta still gives it as the system user's latest valid token:
        /// taken instead of making a second one, with a warning naming it. The state folder's record names it by its
        /// fingerprint only; it stays until a save forgets it. A newer token made since, or the kept one no longer
        /// valid, removes the record; Meta unreachable leaves it for the next run. A token this session still holds in
        /// $WaUnsavedToken is not taken: that is where it is saved from.
        /// </summary>
        private CreatedToken? KeptUnsaved(GraphClient client, WaConnection connection, string appId, System.Collections.Generic.IReadOnlyList<string> scopes, string who,
            out DebugTokenData? kept)
        {
            kept = null;
            string key = Key(connection, appId);
            if (!string.Equals(appId, connection.AppId, StringComparison.Ordinal)) return null; // Meta fetches the connection's app's tokens only
            UnsavedTokenRecord? record = null;
            UnsavedTokens.OnStateFolder(this, () => record = UnsavedTokenRecord.Read(key));
            if (record == null || UnsavedTokens.Current(this).Any(t => string.Equals(t.Fingerprint, record.Fingerprint, StringComparison.OrdinalIgnoreCase))) return null;
            string keptAt = record.KeptAtTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture);
            WriteVerbose(Messages.Get("Verbose.LookingForKept", record.Fingerprint, who, keptAt));
            System.Security.SecureString latest;
            try
            {
                latest = Run(ct => client.FetchLatestTokenAsync(SystemUserId, appId, scopes, ct));
            }
            catch (GraphApiException none) when (none.IsGraphAnswer && none.Code == 100)
            {
                return Drop(key, record, who); // no valid token at all: the kept one is gone
            }
            var data = Run(ct => client.DebugTokenAsync(latest, ct));
            if (!data.IsValid || !string.Equals(TokenFingerprint.Of(latest), record.Fingerprint, StringComparison.OrdinalIgnoreCase)) return Drop(key, record, who);
            var keptScopes = data.Scopes ?? new System.Collections.Generic.List<string>();
            bool expires = (data.ExpiresAt ?? 0) > 0;
            if (expires != (Expiration == WaTokenExpiration.SixtyDays) || scopes.Any(s => !keptScopes.Contains(s, StringComparer.OrdinalIgnoreCase)))
            {
                // Not the token asked for (another lifetime, a scope short): given, it would surprise; left, nobody
                // holds it. It is revoked (this run holds its text now), and the token asked for is made.
                bool revoked = true;
                try
                {
                    Run(ct => client.RevokeTokenAsync(latest, ct));
                }
                catch (GraphApiException)
                {
                    revoked = false;
                }
                string its = Messages.Get(expires ? "Lifetime.SixtyDays" : "Lifetime.Never") + "; " + string.Join(", ", keptScopes);
                WriteWarning(Messages.Get(revoked ? "Warning.KeptUnsavedNotAskedRevoked" : "Warning.KeptUnsavedNotAskedNotRevoked", record.Fingerprint, who, keptAt, its, SystemUserId));
                if (revoked) UnsavedTokens.OnStateFolder(this, () => UnsavedTokenRecord.Remove(key, record.Fingerprint));
                return null;
            }
            kept = data;
            WriteWarning(Messages.Get("Warning.TokenKeptUnsaved", record.Fingerprint, who, keptAt, "Save-WaToken " + record.SaveArguments));
            return new CreatedToken(latest, false);
        }

        /// <summary>The kept token is no longer Meta's latest valid one: its record goes, and a token is made as usual.</summary>
        private CreatedToken? Drop(string key, UnsavedTokenRecord record, string who)
        {
            WriteVerbose(Messages.Get("Verbose.KeptNotLatest", record.Fingerprint, who));
            UnsavedTokens.OnStateFolder(this, () => UnsavedTokenRecord.Remove(key, record.Fingerprint));
            return null;
        }

        /// <summary>
        /// Asks Meta for the token. Stopped (Ctrl+C) once the request may have left, Meta may hold a never-expiring token
        /// that only its answer would have named: the request is remembered for the next New-WaToken of this system
        /// user and app (in this process) to find, and the host is told, as the pipeline's own streams are closed by then.
        /// </summary>
        private CreatedToken Ask(GraphClient client, WaConnection connection, string appId, System.Collections.Generic.IReadOnlyList<string> scopes, string who)
        {
            var askedAt = DateTimeOffset.UtcNow;
            try
            {
                return Run(ct => client.CreateSystemUserTokenAsync(SystemUserId, appId, scopes, Expiration == WaTokenExpiration.SixtyDays, ct));
            }
            catch (PipelineStoppedException)
            {
                UnansweredTokenRequests.Remember(Key(connection, appId), askedAt);
                Host?.UI?.WriteWarningLine(Messages.Get("Warning.StoppedWhileAsking", who, askedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), SystemUserId));
                throw;
            }
        }
    }
}
