using System;
using System.Management.Automation;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows this session's default connection: business, app, endpoint and the admin token's fingerprint, never a secret.</para>
    /// <para type="description">Writes nothing and an error when the session is not connected.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WaConnection")]
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
