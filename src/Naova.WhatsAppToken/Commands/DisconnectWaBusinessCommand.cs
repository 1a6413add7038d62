using System.Management.Automation;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets this session's default connection.</para>
    /// <para type="description">Connections passed with -Connection are not affected: they are objects the caller holds.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "WaBusiness")]
    [OutputType(typeof(void))]
    public sealed class DisconnectWaBusinessCommand : WaCmdlet
    {
        protected override void ProcessRecord()
        {
            if (WaSession.Current == null)
            {
                WriteVerbose(Messages.Get("Verbose.NotConnected"));
                return;
            }
            WriteVerbose(Messages.Get("Verbose.Disconnected", WaSession.Current));
            WaSession.Current = null;
        }
    }
}
