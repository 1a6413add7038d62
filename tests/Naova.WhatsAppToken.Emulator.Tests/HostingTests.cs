using System.Net;

namespace Naova.WhatsAppToken.Emulator.Tests;

public sealed class HostingTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("http://example.com:5080")]
    [InlineData("https://127.0.0.1:5080")]
    public void CommandLineRefusesAnythingButLoopback(string url) =>
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(new[] { "--urls", url }));

    [Fact]
    public void CommandLineOptions()
    {
        EmulatorOptions options = CommandLine.Parse(new[]
        {
            "--urls", "http://localhost:5099", "--seed", "x.json", "--require-expiring-tokens", "--max-system-users", "3", "--latency-ms", "20",
        })!;
        Assert.Equal(IPAddress.Loopback, options.ListenAddress);
        Assert.Equal(5099, options.Port);
        Assert.Equal("x.json", options.SeedPath);
        Assert.True(options.RequireExpiringTokens);
        Assert.Equal(3, options.MaxSystemUsers);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.InitialLatency);
        Assert.Equal(IPAddress.IPv6Loopback, CommandLine.Parse(new[] { "--urls", "http://[::1]:5080" })!.ListenAddress);
        Assert.Null(CommandLine.Parse(new[] { "--help" }));
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(new[] { "--max-system-users", "many" }));
    }

    [Fact]
    public async Task StartAsyncRefusesANonLoopbackAddress()
    {
        var options = new EmulatorOptions { ListenAddress = IPAddress.Any };
        await Assert.ThrowsAsync<ArgumentException>(() => GraphEmulator.StartAsync(options));
    }

    [Fact]
    public async Task ACustomSeedFileIsUsedAndEmulatorsAreIndependent()
    {
        string path = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed.json"))
            .Replace("Naova Demo Business", "Custom Business").Replace("\"requireExpiringTokens\": false", "\"requireExpiringTokens\": true");
        File.WriteAllText(path, text);
        try
        {
            await using TestGraph custom = await TestGraph.StartAsync(new EmulatorOptions { SeedPath = path });
            await using TestGraph plain = await TestGraph.StartAsync();
            Assert.Equal("Custom Business", custom.Seed.BusinessName);
            Assert.Equal(path, custom.Seed.SeedSource);
            Assert.True(custom.Emulator.State.GetRequireExpiringTokens());
            Assert.NotEqual(custom.Emulator.BaseUri, plain.Emulator.BaseUri);
            await custom.CreateSystemUserAsync("only-here");
            Assert.Empty(plain.Emulator.State.GetSystemUsers());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
