using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// New-WaToken stamps IssuedAt (and a 60-day token's ExpiresAt) by Meta's clock, as every other date of the module is
/// (the Date header, debug_token's issued_at), not by the local one: against an emulator whose clock runs three days
/// ahead of this machine's, the token's dates are the ones Meta recorded for it.
/// </summary>
public class IssuedAtTests
{
    [Fact]
    public async Task New_WaToken_dates_its_token_by_Metas_clock_not_the_local_one()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Emulator.Clock.Advance(TimeSpan.FromDays(3));

        var token = s.Run(EmulatorSession.Connect + """
            New-WaSystemUser -Name svc -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken -Expiration SixtyDays
            """).AssertClean().One("WaToken");

        var atMeta = s.Emulator.State.FindTokenByFingerprint(token.S("Fingerprint")!)!;
        var issued = (DateTimeOffset)token.P("IssuedAt")!;
        // Meta's clock has whole seconds; the local clock is three days behind it.
        Assert.InRange((issued - atMeta.IssuedAt).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(issued.AddDays(60), (DateTimeOffset)token.P("ExpiresAt")!);
        Assert.True(issued > DateTimeOffset.UtcNow.AddDays(2), "IssuedAt is the local clock's: " + issued.ToString("u"));
    }
}
