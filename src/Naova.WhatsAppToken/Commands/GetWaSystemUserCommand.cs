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

        /// <summary><para type="description">Names to list; wildcards allowed. All when omitted.</para></summary>
        [Parameter(Position = 0, ParameterSetName = ByNameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.SystemUserNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary><para type="description">The system user's id.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateGraphId]
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
                var patterns = (Name ?? new[] { "*" }).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
                foreach (var user in Run(ct => client.ListSystemUsersAsync(ct)).Where(u => patterns.Any(p => p.IsMatch(u.Name ?? string.Empty))))
                    WriteObject(Map.SystemUser(user, connection, false));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, ParameterSetName == ByIdSet ? SystemUserId : null);
            }
        }
    }
}
