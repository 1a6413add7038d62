using System;
using System.Management.Automation;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows this session's default connection: business, app, endpoint and the admin token's fingerprint, never a secret.</para>
    /// <para type="description">Writes nothing and an error when the session is not connected.</para>
    /// </summary>
    /// <example title="See what this session is connected to">
    ///   <code>
    /// Get-WaConnection
    ///   </code>
    ///   <para>Shows the business, the app, the Graph endpoint and API version, and the admin token's fingerprint, never the token itself. When the session is not connected it writes a NotConnected error that says how to connect.</para>
    /// </example>
    /// <example title="Connect only when the session is not connected yet">
    ///   <code>
    /// if (-not (Get-WaConnection -ErrorAction SilentlyContinue)) {
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
            var connection = WaSession.Current;
            if (connection == null)
            {
                var error = new ErrorRecord(new InvalidOperationException(Messages.Get("Error.NotConnected")), "NotConnected", ErrorCategory.ObjectNotFound, null);
                error.ErrorDetails = new ErrorDetails(Messages.Get("Error.NotConnected")) { RecommendedAction = Messages.Get("Remedy.NotConnected") };
                WriteError(error);
                return;
            }
            WriteObject(connection);
        }
    }
}
