using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The engine's TokenHealth becomes a report's WaTokenStatus through an explicit mapping (the module's Map.Status), not
/// an int cast: every value of the engine's enum maps to the status of the same name, as the loaded module has it.
/// </summary>
public class StatusMappingTests
{
    [Fact]
    public void Every_engine_verdict_maps_to_the_report_status_of_the_same_name()
    {
        using var ps = new PsSession();
        var mapped = ps.Run("""
            $map = (Get-Module Naova.WhatsAppToken).ImplementingAssembly.GetType('Naova.WhatsAppToken.Map')
            $health = $map.GetMethod('Status').GetParameters()[0].ParameterType
            foreach ($name in [enum]::GetNames($health)) { "$name=$($map.GetMethod('Status').Invoke($null, @([enum]::Parse($health, $name))))" }
            """).AssertClean().Output.Select(o => o.ToString()).ToArray();

        // Every engine value (as built, so a value added later is covered too), each to the status of its own name.
        Assert.Equal(new[] { "Healthy=Healthy", "Warning=Warning", "Failed=Failed" }, mapped.Take(3));
        Assert.All(mapped, m => Assert.Equal(m.Split('=')[0], m.Split('=')[1]));
    }
}
