using System.Management.Automation;

namespace Naova.Minimal
{
    /// <summary>The one trivial cmdlet of the yardstick module.</summary>
    [Cmdlet(VerbsCommon.Get, "MinimalGreeting")]
    [OutputType(typeof(string))]
    public sealed class GetMinimalGreetingCommand : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject("hello");
    }
}
