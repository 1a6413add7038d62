using System;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a system user, or finds the one of that name: safe to run again.</para>
    /// <para type="description">Business Settings step 1. A system user of the same name (case-insensitive) is reused, never duplicated; the output's Created says which happened. The caller must be a business admin; the first Admin system user can only be made with a person's admin token. System users can not be deleted through the API.</para>
    /// </summary>
    /// <example title="Create the service's system user (Business Settings step 1)">
    ///   <code>
    /// New-WaSystemUser -Name naova-whatsapp-service -Role Admin
    ///   </code>
    ///   <para>Creates the system user, or returns the one that already has this name: the Created property says which. Running it again never makes a duplicate. An Admin system user sees every WhatsApp Business Account of the business; an Employee only the ones granted to it.</para>
    /// </example>
    /// <example title="The whole procedure in one pipeline">
    ///   <code>
    /// New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
    ///   Grant-WaAssets -WhatsAppBusinessAccount 789012345678901 -Task MANAGE |
    ///   New-WaToken -Expiration Never |
    ///   Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN |
    ///   Test-WaToken
    ///   </code>
    ///   <para>Replaces the four Business Settings steps: create the system user, give it the app and the WhatsApp Business Account, generate a token with the three WhatsApp scopes that never expires, keep it in a SecretManagement vault, and check it with the Access Token Debugger.</para>
    /// </example>
    /// <example title="See what would be created, without creating it">
    ///   <code>
    /// New-WaSystemUser -Name naova-whatsapp-service -Role Employee -WhatIf
    ///   </code>
    ///   <para>-WhatIf says which system user would be created in which business, and changes nothing.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "WaSystemUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaSystemUser))]
    public sealed class NewWaSystemUserCommand : WaGraphCmdlet
    {
        /// <summary><para type="description">The system user's name, e.g. naova-whatsapp-service.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 100)]
        [ArgumentCompleter(typeof(Completion.SystemUserNameCompleter))]
        public string Name { get; set; } = string.Empty;

        /// <summary><para type="description">Admin (sees every WhatsApp account of the business) or Employee (only the ones granted to it). Default Employee.</para></summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PSDefaultValue(Value = WaSystemUserRole.Employee)]
        public WaSystemUserRole Role { get; set; } = WaSystemUserRole.Employee;

        protected override void ProcessRecord()
        {
            // Meta would make a user whose name is blank or holds a control character, and system users can not be deleted.
            if (string.IsNullOrWhiteSpace(Name) || Name.Any(char.IsControl))
            {
                string message = Messages.Get("Invalid.SystemUserName", Name.Replace("\0", "\\0").Replace("\r", "\\r").Replace("\n", "\\n"));
                WriteError(new ErrorRecord(new ArgumentException(message, nameof(Name)), "InvalidSystemUserName", ErrorCategory.InvalidArgument, Name)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.InvalidSystemUserName") },
                });
                return;
            }
            var connection = RequireConnection();
            var client = ClientFor(connection);
            try
            {
                var existing = Run(ct => client.ListSystemUsersAsync(ct))
                    .FirstOrDefault(u => string.Equals(u.Name?.Trim(), Name.Trim(), StringComparison.OrdinalIgnoreCase));
                if (existing != null)
                {
                    var found = Map.SystemUser(existing, connection, false);
                    if (!string.Equals(found.Role, Role.ToString(), StringComparison.OrdinalIgnoreCase))
                        WriteWarning(Messages.Get("Warning.SystemUserRoleDiffers", found.Name, found.Id, found.Role, Role));
                    WriteVerbose(Messages.Get("Verbose.SystemUserReused", found.Name, found.Id));
                    WriteObject(found);
                    return;
                }
                if (!Confirmation.ShouldProcess(this, Messages.Get("Target.SystemUser", Name, Role, connection.BusinessId), Messages.Get("Action.CreateSystemUser")))
                {
                    // -WhatIf goes on down the pipeline with the user it would create, so the grants and the token it
                    // would get are shown too; a user who answered No at -Confirm gets nothing.
                    if (Confirmation.IsWhatIf(this)) WriteObject(Planned(connection));
                    return;
                }
                string id = Run(ct => client.CreateSystemUserAsync(Name.Trim(), Map.GraphRole(Role), ct));
                // Tab completion offers the new user at the next press, not after its cache expires.
                Completion.CompletionCache.Forget(connection);
                WriteObject(Map.SystemUser(ReadBack(client, id), connection, true));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, Name);
            }
        }

        private WaSystemUser Planned(WaConnection connection) => new WaSystemUser
        {
            Id = WaSystemUser.PlannedId,
            Name = Name.Trim(),
            Role = Role.ToString(),
            BusinessId = connection.BusinessId,
            Planned = true,
            Connection = connection,
        };

        // The user exists now whatever happens next: if reading it back fails, report what is known rather than an error.
        private SystemUserInfo ReadBack(GraphClient client, string id)
        {
            try
            {
                return Run(ct => client.GetSystemUserAsync(id, ct));
            }
            catch (GraphApiException ex)
            {
                WriteVerbose(Messages.Get("Verbose.ReadBackFailed", id, ex.Message));
                return new SystemUserInfo { Id = id, Name = Name, Role = Map.GraphRole(Role) };
            }
        }
    }
}
