using System.Management.Automation;
using Naova.WhatsAppToken.Emulator;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// -Verbose says what is waited for and why, in the module's words: the retry, the failure behind it, Meta's own wait
/// when it gave one, the slowdown near a usage limit, and a wait too long to start. Against the emulator's usage headers.
/// </summary>
public class RetryVerboseTests
{
    private const string Connect = "Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri -SkipCheck -MaxRetries 2 -RetryBaseDelayMilliseconds 1\n";

    [Fact]
    public async Task A_retry_says_which_failure_which_attempt_and_how_long()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Emulator.Faults.Enqueue(FaultSpec.Throttle(code: 80008, estimatedMinutes: 0), count: 2);

        var r = s.Run(Connect + "Get-WaSystemUser -Verbose").AssertClean();

        var retries = r.Verbose.Select(v => v.Message).Where(m => m.Contains("did not get through")).ToArray();
        Assert.Equal(2, retries.Length);
        Assert.Contains("Listing system users", retries[0]);
        Assert.Contains("Graph error 80008", retries[0]);
        Assert.Contains("attempt 2 of 3", retries[0]);
        Assert.Contains("attempt 3 of 3", retries[1]);
        Assert.Contains("backoff", retries[0]);
        Assert.Equal(3, s.Emulator.RequestCount);
    }

    [Fact]
    public async Task Retry_After_from_Meta_sets_the_wait_and_verbose_says_Meta_asked_for_it()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Emulator.Faults.Enqueue(FaultSpec.Throttle(code: 613, estimatedMinutes: 0, retryAfterSeconds: 1));

        var r = s.Run(Connect + "Get-WaSystemUser -Verbose").AssertClean();

        var retry = Assert.Single(r.Verbose.Select(v => v.Message), m => m.Contains("did not get through"));
        Assert.Contains("Meta asked to wait 1 s", retry);
        Assert.Equal(2, s.Emulator.RequestCount);
    }

    [Fact]
    public async Task A_wait_longer_than_the_budget_is_not_started_and_the_error_says_how_long_Meta_wants()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Emulator.Faults.Enqueue(FaultSpec.Throttle(code: 80008, estimatedMinutes: 45), count: 5);

        var r = s.Run(Connect.Replace("-SkipCheck", "-SkipCheck -MaxTotalWaitSeconds 600") + "Get-WaSystemUser -Verbose");

        var error = r.SingleError();
        Assert.Equal("RateLimited,Naova.WhatsAppToken.Commands.GetWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("Meta asks to wait 45 min", error.ErrorDetails.Message);
        Assert.Contains("80008", error.ErrorDetails.Message);
        Assert.Contains("-MaxTotalWaitSeconds", error.ErrorDetails.RecommendedAction);
        Assert.Contains(r.Verbose, v => v.Message.Contains("45 min") && v.Message.Contains("10 min") && v.Message.Contains("not waiting"));
        Assert.Equal(1, s.Emulator.RequestCount);
    }

    [Fact]
    public async Task Above_90_percent_usage_the_next_call_pauses_first_and_says_so()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Emulator.Faults.Enqueue(FaultSpec.AppUsage(96));

        var r = s.Run(Connect + "Get-WaWhatsAppAccount -SkipPhoneNumber -Verbose").AssertClean();

        var slow = Assert.Single(r.Verbose.Select(v => v.Message), m => m.Contains("Graph usage is at"));
        Assert.Contains("96%", slow);
        Assert.Contains("above 90%", slow);
        Assert.Contains("Listing the client WhatsApp Business Accounts", slow);
    }

    [Fact]
    public async Task A_timeout_error_says_how_long_and_how_many_tries_and_names_the_settings()
    {
        await using var s = await EmulatorSession.StartAsync();
        s.Run(Connect.Replace("-MaxRetries 2", "-MaxRetries 1 -RequestTimeoutSeconds 1")).AssertClean();
        s.Emulator.Faults.Latency = TimeSpan.FromMinutes(10);

        var r = s.Run("Get-WaSystemUser");
        s.Emulator.Faults.Clear();

        var error = r.SingleError();
        Assert.Equal("Timeout,Naova.WhatsAppToken.Commands.GetWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Contains("within 1 s", error.ErrorDetails.Message);
        Assert.Contains("Tried 2 times", error.ErrorDetails.Message);
        Assert.Contains("-RequestTimeoutSeconds", error.ErrorDetails.RecommendedAction);
        Assert.Equal(2, s.Emulator.RequestCount);
    }
}
