using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the business's system users, or gets one by id or name.</para>
    /// <para type="description">Reads every page of the business's system users. -Name takes wildcards. The Id is the app-scoped id to use in API calls, not the one Business Settings shows.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WaSystemUser", DefaultParameterSetName = ByNameSet)]
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
        [Alias("SystemUserId")]
        [ValidateGraphId]
        public string Id { get; set; } = string.Empty;

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            var client = ClientFor(connection);
            try
            {
                if (ParameterSetName == ByIdSet)
                {
                    WriteObject(Map.SystemUser(Run(ct => client.GetSystemUserAsync(Id, ct)), connection, false));
                    return;
                }
                var patterns = (Name ?? new[] { "*" }).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
                foreach (var user in Run(ct => client.ListSystemUsersAsync(ct)).Where(u => patterns.Any(p => p.IsMatch(u.Name ?? string.Empty))))
                    WriteObject(Map.SystemUser(user, connection, false));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, ParameterSetName == ByIdSet ? Id : null);
            }
        }
    }
}
