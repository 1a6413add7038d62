using System.Management.Automation;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets this session's default connection.</para>
    /// <para type="description">Connections passed with -Connection are not affected: they are objects the caller holds.</para>
    /// </summary>
    /// <example title="Forget the admin connection when the work is done">
    ///   <code>
    /// Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret
    /// New-WaSystemUser -Name naova-whatsapp-service -Role Admin
    /// Disconnect-WaBusiness
    ///   </code>
    ///   <para>After the system user is made, the session forgets its default connection, so the admin token no longer sits in it. Get-WaConnection then reports that the session is not connected.</para>
    /// </example>
    /// <example title="A connection held in a variable stays usable">
    ///   <code>
    /// $connection = Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret -PassThru
    /// Disconnect-WaBusiness
    /// Get-WaSystemUser -Connection $connection
    ///   </code>
    ///   <para>Disconnect-WaBusiness only forgets the session's default connection. A connection object that a script holds keeps working with -Connection until the script drops it.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Disconnect, "WaBusiness", HelpUri = HelpLinks.Online)]
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
            // Its HTTP connection closes now (or when a command still using it ends); a held copy makes a new one on use.
            WaSession.Current.Transport.Retire();
            WaSession.Current = null;
        }
    }
}
