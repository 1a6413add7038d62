using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Gives a system user the app and WhatsApp Business Accounts it needs, and says what it holds.</para>
    /// <para type="description">Business Settings step 2. Installs the app for the system user (token generation needs it), assigns each WhatsApp Business Account with the given tasks (asset tasks such as MANAGE; token scopes are New-WaToken's -Scope), then reads back what the user holds. Tasks already held are kept; running it again changes nothing. A token does not see assets granted after it was made: after a change, make a new token.</para>
    /// </summary>
    /// <example title="Give the system user the app and the WhatsApp Business Account (Business Settings step 2)">
    ///   <code>
    /// Get-WaSystemUser -Name naova-whatsapp-service |
    ///   Grant-WaAssets -WhatsAppBusinessAccount 789012345678901 -Task MANAGE
    ///   </code>
    ///   <para>Installs the connection's app for the system user and assigns it the WhatsApp Business Account with the MANAGE task, then reads back what it holds. Tasks are what the user may do on the asset; token scopes are New-WaToken's -Scope. Running it again changes nothing.</para>
    /// </example>
    /// <example title="Grant two accounts, then make a token that sees them">
    ///   <code>
    /// $user = New-WaSystemUser -Name naova-whatsapp-service -Role Employee
    /// $user | Grant-WaAssets -WhatsAppBusinessAccount 789012345678901, 789012345678902 -Task MANAGE, DEVELOP -Verbose
    /// $user | New-WaToken -Expiration Never | Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>An Employee system user only reaches the accounts granted to it. A token does not see assets granted after it was made, so Grant-WaAssets warns when it changed something: make the token after the grants, as here.</para>
    /// </example>
    /// <example title="See what would change, without changing it">
    ///   <code>
    /// Grant-WaAssets -SystemUserId 61550000000001 -WhatsAppBusinessAccount 789012345678901 -WhatIf
    ///   </code>
    ///   <para>-WhatIf says which app would be installed and which account assigned with which tasks; what is already held is only read.</para>
    /// </example>
    [Cmdlet(VerbsSecurity.Grant, "WaAssets", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaAssetGrant))]
    public sealed class GrantWaAssetsCommand : WaGraphCmdlet
    {
        /// <summary><para type="description">The system user's id; binds from the Id of New-WaSystemUser or Get-WaSystemUser output.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.SystemUserIdCompleter))]
        public string SystemUserId { get; set; } = string.Empty;

        /// <summary><para type="description">WhatsApp Business Account ids to assign; binds from the WhatsAppBusinessAccountId of Get-WaWhatsAppAccount output. Omit to only install the app.</para></summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("WhatsAppBusinessAccount", "WabaId", "Waba")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.WhatsAppAccountCompleter))]
        public string[] WhatsAppBusinessAccountId { get; set; } = Array.Empty<string>();

        /// <summary><para type="description">Asset tasks on each WhatsApp Business Account (default MANAGE). Unknown tasks are sent with a warning, since Meta adds new ones.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateTask]
        [ArgumentCompleter(typeof(Completion.TaskCompleter))]
        [PSDefaultValue(Value = new[] { "MANAGE" })]
        public string[] Task { get; set; } = { "MANAGE" };

        /// <summary><para type="description">The app to install; defaults to the connection's app.</para></summary>
        [Parameter]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.AppIdCompleter))]
        public string? AppId { get; set; }

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            var client = ClientFor(connection);
            string appId = AppId ?? connection.AppId;
            var tasks = AssetTasks.Normalize(Task);
            foreach (var unknown in tasks.Where(t => !AssetTasks.IsKnownWabaTask(t)))
                WriteWarning(Messages.Get("Warning.UnknownTask", unknown, string.Join(", ", AssetTasks.WhatsAppBusinessAccount)));
            if (SystemUserId == WaSystemUser.PlannedId && Confirmation.IsWhatIf(this))
            {
                WritePlan(connection, client, appId, tasks);
                return;
            }
            var progress = new ProgressRecord(1, Messages.Get("Progress.Grant.Activity", SystemUserId), Messages.Get("Progress.Grant.ReadUser"));
            try
            {
                WriteProgress(progress);
                var user = Run(ct => client.GetSystemUserAsync(SystemUserId, ct));
                // Every WABA is read before anything changes: a list with one unknown id changes nothing at all.
                var holders = new List<IReadOnlyList<AssignedUser>>();
                foreach (var wabaId in WhatsAppBusinessAccountId)
                {
                    try
                    {
                        holders.Add(Run(ct => client.GetWhatsAppAccountUsersAsync(wabaId, ct)));
                    }
                    catch (GraphApiException ex)
                    {
                        WriteGraphError(ex, wabaId);
                        return;
                    }
                }
                var changes = new List<string>();
                Step(progress, Messages.Get("Progress.Grant.App", appId), 1);
                bool installed = EnsureAppInstalled(client, appId, changes);
                for (int i = 0; i < WhatsAppBusinessAccountId.Length; i++)
                {
                    Step(progress, Messages.Get("Progress.Grant.Waba", WhatsAppBusinessAccountId[i]), 2 + i);
                    EnsureAssigned(client, WhatsAppBusinessAccountId[i], holders[i], tasks, changes);
                }
                Step(progress, Messages.Get("Progress.Grant.ReadBack"), 2 + WhatsAppBusinessAccountId.Length);
                var held = Run(ct => client.GetAssignedWhatsAppAccountsAsync(SystemUserId, ct));
                if (changes.Count > 0 && _mayHaveTokens) WriteWarning(Messages.Get("Warning.TokensDoNotSeeNewGrants", user.Name ?? SystemUserId));
                else if (changes.Count > 0) WriteVerbose(Messages.Get("Verbose.NoTokensYet", user.Name ?? SystemUserId));
                var grant = new WaAssetGrant
                {
                    SystemUserId = SystemUserId,
                    SystemUserName = user.Name,
                    Role = Map.RoleName(user.Role),
                    AppId = appId,
                    AppInstalled = installed,
                    WhatsAppBusinessAccounts = held.Select(w => new WaAccountGrant
                    {
                        WhatsAppBusinessAccountId = w.Id,
                        Name = w.Name,
                        Tasks = (w.Tasks ?? new List<string>()).ToArray(),
                    }).ToArray(),
                    Connection = connection,
                };
                grant.AddChanges(changes);
                WriteObject(grant);
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, SystemUserId);
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        /// <summary>
        /// -WhatIf for the user New-WaSystemUser -WhatIf would create: nothing of it to read, so every grant is one it
        /// would make. The accounts are read all the same, so a wrong id shows now rather than on the real run.
        /// </summary>
        private void WritePlan(WaConnection connection, GraphClient client, string appId, IReadOnlyList<string> tasks)
        {
            string target = Messages.Get("Target.SystemUserId", "(" + Messages.Get("Target.PlannedSystemUser") + ")");
            foreach (var wabaId in WhatsAppBusinessAccountId)
            {
                try
                {
                    Run(ct => client.GetWhatsAppAccountUsersAsync(wabaId, ct));
                }
                catch (GraphApiException ex)
                {
                    WriteGraphError(ex, wabaId);
                    return;
                }
            }
            Confirmation.ShouldProcess(this, target, Messages.Get("Action.InstallApp", appId));
            foreach (var wabaId in WhatsAppBusinessAccountId)
                Confirmation.ShouldProcess(this, target, Messages.Get("Action.AssignWaba", wabaId, string.Join(",", tasks)));
            WriteObject(new WaAssetGrant
            {
                SystemUserId = SystemUserId,
                AppId = appId,
                WhatsAppBusinessAccounts = WhatsAppBusinessAccountId.Select(id => new WaAccountGrant { WhatsAppBusinessAccountId = id, Tasks = tasks.ToArray() }).ToArray(),
                Connection = connection,
            });
        }

        private void Step(ProgressRecord progress, string status, int step)
        {
            progress.StatusDescription = status;
            progress.PercentComplete = Math.Min(100, step * 100 / (WhatsAppBusinessAccountId.Length + 3));
            WriteProgress(progress);
        }

        private bool _mayHaveTokens = true;

        private bool EnsureAppInstalled(GraphClient client, string appId, List<string> changes)
        {
            var apps = Run(ct => client.GetAssignedAppsAsync(SystemUserId, ct));
            // Meta makes a system user's tokens only for an app installed for it: with none installed, it has no token yet.
            _mayHaveTokens = apps.Any();
            if (apps.Any(a => a.Id == appId))
            {
                WriteVerbose(Messages.Get("Verbose.AppAlreadyInstalled", appId, SystemUserId));
                return true;
            }
            if (!Confirmation.ShouldProcess(this, Messages.Get("Target.SystemUserId", SystemUserId), Messages.Get("Action.InstallApp", appId))) return false;
            Run(ct => client.InstallAppAsync(SystemUserId, appId, ct));
            changes.Add(Messages.Get("Change.AppInstalled", appId));
            return true;
        }

        private void EnsureAssigned(GraphClient client, string wabaId, IReadOnlyList<AssignedUser> holders, IReadOnlyList<string> tasks, List<string> changes)
        {
            var current = holders.FirstOrDefault(u => u.Id == SystemUserId)?.Tasks ?? new List<string>();
            var missing = tasks.Where(t => !current.Contains(t, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (missing.Length == 0)
            {
                WriteVerbose(Messages.Get("Verbose.WabaAlreadyAssigned", wabaId, SystemUserId, string.Join(",", current)));
                return;
            }
            var wanted = current.Concat(missing).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (!Confirmation.ShouldProcess(this, Messages.Get("Target.SystemUserId", SystemUserId), Messages.Get("Action.AssignWaba", wabaId, string.Join(",", wanted)))) return;
            Run(ct => client.AssignWhatsAppAccountAsync(wabaId, SystemUserId, wanted, ct));
            changes.Add(Messages.Get("Change.WabaAssigned", wabaId, string.Join(",", wanted)));
        }
    }
}
