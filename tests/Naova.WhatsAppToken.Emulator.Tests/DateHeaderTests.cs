using Naova.WhatsAppToken.Emulator;

namespace Naova.WhatsAppToken.Emulator.Tests;

public class DateHeaderTests
{
    [Fact]
    public async Task Answers_carry_the_emulator_clock_in_the_Date_header()
    {
        await using var emulator = await GraphEmulator.StartAsync();
        emulator.Clock.Advance(TimeSpan.FromDays(50));
        using var http = new HttpClient { BaseAddress = emulator.BaseUri };
        using var response = await http.GetAsync("v26.0/me");
        var date = Assert.NotNull(response.Headers.Date);
        Assert.InRange((date - emulator.Clock.Now).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.True(date > DateTimeOffset.UtcNow.AddDays(49));
    }
}
