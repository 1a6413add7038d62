using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// -LockTimeoutSeconds is checked before anything is done. (The lock itself is held and waited for by real pwsh
/// processes in RotationAcrossProcessesTests.)
/// </summary>
public partial class UpdateWaTokenTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public async Task A_lock_timeout_outside_0_to_3600_seconds_is_refused_before_anything_is_done(int seconds)
    {
        await using var f = await Fixture.StartAsync();
        f.Emulator.ResetRequestLog();

        var r = f.Run(Update + " -LockTimeoutSeconds " + seconds);

        Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(r.Errors).FullyQualifiedErrorId);
        Assert.Empty(f.Emulator.Requests);
        Assert.Equal(f.First, f.Stored);
    }
}
