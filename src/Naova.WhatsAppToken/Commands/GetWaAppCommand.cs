using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the business's apps, owned and shared by clients.</para>
    /// <para type="description">Reads the apps the business owns and those its clients shared with it, and marks the one the connection was made with (the default app of Grant-WaAssets and New-WaToken). Use the AppId with Connect-WaBusiness -AppId, Grant-WaAssets -AppId or New-WaToken -AppId.</para>
    /// </summary>
    /// <example title="List the business's apps">
    ///   <code>
    /// Get-WaApp
    ///   </code>
    ///   <para>Lists the business's apps with their ids and ownership; IsConnectionApp shows the app this session's tokens are made for.</para>
    /// </example>
    /// <example title="Make a permanent token for an app found by name">
    ///   <code>
    /// $app = Get-WaApp -Name 'Naova Demo App'
    /// New-WaSystemUser -Name naova-whatsapp-service -Role Admin |
    ///   Grant-WaAssets -AppId $app.AppId -WhatsAppBusinessAccount 109283746501928 |
    ///   New-WaToken -Expiration Never
    ///   </code>
    ///   <para>Finds the app by name, installs it for a new system user with a WhatsApp Business Account, and makes a permanent token for that app (New-WaToken takes the AppId from the grant).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "WaApp", DefaultParameterSetName = ByNameSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaApp))]
    public sealed class GetWaAppCommand : WaGraphCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string ByIdSet = "ById";

        private readonly Dictionary<WaConnection, List<WaApp>> _listed = new Dictionary<WaConnection, List<WaApp>>();

        /// <summary><para type="description">App names to list; wildcards allowed. All when omitted. A name without wildcards that matches nothing is an error.</para></summary>
        [Parameter(Position = 0, ParameterSetName = ByNameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary><para type="description">App ids to get; binds from the AppId of a connection or a token. An id the business does not have is an error.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.AppIdCompleter))]
        public string[] AppId { get; set; } = Array.Empty<string>();

        /// <summary><para type="description">Owned (the business's own apps), Client (apps clients shared with it), or both (default).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public WaAssetOwnership[]? Ownership { get; set; }

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            List<WaApp> apps;
            try
            {
                apps = Listed(connection, ClientFor(connection));
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, connection.BusinessId);
                return;
            }
            if (ParameterSetName == ByIdSet)
            {
                foreach (string id in AppId)
                {
                    var app = apps.FirstOrDefault(a => a.AppId == id);
                    if (app != null) WriteObject(app.Clone());
                    else WriteError(Discovery.NotFound("AppNotFound", Messages.Get("Error.AppNotFound", id, connection.BusinessId), Messages.Get("Remedy.AppNotFound"), id));
                }
                return;
            }
            var named = Discovery.ByName(apps, a => a.Name, Name, out var unmatched);
            foreach (string name in unmatched)
                WriteError(Discovery.NotFound("AppNotFound", Messages.Get("Error.AppNameNotFound", name, connection.BusinessId), Messages.Get("Remedy.AppNotFound"), name));
            foreach (var app in named) WriteObject(app.Clone());
        }

        private List<WaApp> Listed(WaConnection connection, GraphClient client)
        {
            if (_listed.TryGetValue(connection, out var known)) return known;
            var apps = new List<WaApp>();
            foreach (var ownership in new[] { WaAssetOwnership.Owned, WaAssetOwnership.Client }.Where(o => Discovery.Wanted(Ownership, o)))
            {
                var read = Run(ct => client.GetAppsAsync(Discovery.ToEngine(ownership), ct));
                apps.AddRange(read.Where(r => apps.All(a => a.AppId != r.Id)).Select(r => new WaApp
                {
                    AppId = r.Id,
                    Name = r.Name,
                    Ownership = ownership,
                    IsConnectionApp = r.Id == connection.AppId,
                    BusinessId = connection.BusinessId,
                    Connection = connection,
                }));
            }
            WriteVerbose(Messages.Get("Verbose.AppsListed", apps.Count, connection.BusinessId));
            _listed[connection] = apps;
            return apps;
        }
    }
}
