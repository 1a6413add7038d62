using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the business's system users, or gets one by id or name.</para>
    /// <para type="description">Reads every page of the business's system users. -Name takes wildcards. The Id is the app-scoped id to use in API calls, not the one Business Settings shows.</para>
    /// </summary>
    /// <example title="List the business's system users">
    ///   <code>
    /// Get-WaSystemUser
    ///   </code>
    ///   <para>Reads every page of the business's system users. The Id is the one to use in API calls, not the one Business Settings shows.</para>
    /// </example>
    /// <example title="Find a system user by name and make it a new token">
    ///   <code>
    /// Get-WaSystemUser -Name naova-whatsapp-* |
    ///   New-WaToken -Expiration Never |
    ///   Save-WaToken -Vault Production -Name WHATSAPP_ACCESS_TOKEN
    ///   </code>
    ///   <para>-Name takes wildcards. The system user binds to New-WaToken by its Id and Name, and the new token goes straight into the vault without being shown.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "WaSystemUser", DefaultParameterSetName = ByNameSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaSystemUser))]
    public sealed class GetWaSystemUserCommand : WaGraphCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string ByIdSet = "ById";

        /// <summary><para type="description">Names to list; wildcards allowed. All when omitted. A name without wildcards that matches nothing is an error; a wildcard that matches nothing gives nothing.</para></summary>
        [Parameter(Position = 0, ParameterSetName = ByNameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.SystemUserNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary><para type="description">The system user's id.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.SystemUserIdCompleter))]
        public string SystemUserId { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            var client = ClientFor(connection);
            try
            {
                if (ParameterSetName == ByIdSet)
                {
                    WriteObject(Map.SystemUser(Run(ct => client.GetSystemUserAsync(SystemUserId, ct)), connection, false));
                    return;
                }
                // As Get-Secret and Get-WaApp: a name without wildcards that matches nothing is an error, a wildcard is not.
                var named = Discovery.ByName(Run(ct => client.ListSystemUsersAsync(ct)), u => u.Name, Name, out var unmatched);
                foreach (string name in unmatched)
                    WriteError(Discovery.NotFound("SystemUserNotFound", Messages.Get("Error.SystemUserNameNotFound", name, connection.BusinessId), Messages.Get("Remedy.SystemUserNotFound"), name));
                foreach (var user in named) WriteObject(Map.SystemUser(user, connection, false));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, ParameterSetName == ByIdSet ? SystemUserId : null);
            }
        }
    }
}
