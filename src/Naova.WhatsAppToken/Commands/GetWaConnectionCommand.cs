using System.Management.Automation;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows this session's default connection: business, app, endpoint and the admin token's fingerprint, never a secret.</para>
    /// <para type="description">Writes nothing, and no error, when the session is not connected (as Get-MgContext and Get-AzContext do), so a script can ask before it connects; -Verbose says so.</para>
    /// </summary>
    /// <example title="See what this session is connected to">
    ///   <code>
    /// Get-WaConnection
    ///   </code>
    ///   <para>Shows the business, the app, the Graph endpoint and API version, and the admin token's fingerprint, never the token itself. When the session is not connected it writes nothing.</para>
    /// </example>
    /// <example title="Connect only when the session is not connected yet">
    ///   <code>
    /// if (-not (Get-WaConnection)) {
    ///     Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret
    /// }
    ///   </code>
    ///   <para>A runbook step that may run after another one reuses the connection already made, and connects otherwise.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "WaConnection", HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaConnection))]
    public sealed class GetWaConnectionCommand : WaCmdlet
    {
        protected override void ProcessRecord()
        {
            // Not being connected is an answer, not a failure: nothing to write, as Get-MgContext and Get-AzContext.
            var connection = WaSession.Current;
            if (connection == null) WriteVerbose(Messages.Get("Verbose.NotConnected"));
            else WriteObject(connection);
        }
    }
}
