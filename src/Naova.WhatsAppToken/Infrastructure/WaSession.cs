using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// The default connection of each runspace. Azure Automation jobs that share a process run in separate
    /// runspaces, so one job's Connect-WaBusiness never changes another's; the entry goes with its runspace.
    /// </summary>
    internal static class WaSession
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> Defaults = new ConditionalWeakTable<Runspace, Holder>();

        public static WaConnection? Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Defaults.TryGetValue(runspace, out var holder) ? holder.Connection : null;
            }
            set
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace != null) Defaults.GetOrCreateValue(runspace).Connection = value;
            }
        }

        private sealed class Holder
        {
            public WaConnection? Connection;
        }
    }
}
