using System.Management.Automation;
using System.Reflection;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// An exception no command expected still comes out as the module's ErrorRecord: ErrorId Unexpected,&lt;command&gt;,
/// a remedy, the cause as the inner exception, no token text. PowerShell's own default was the raw
/// "System.ObjectDisposedException,Naova.WhatsAppToken.Commands.ConnectWaBusinessCommand" with nothing to do about it.
/// </summary>
public sealed class UnexpectedErrorTests
{
    // A SecureString disposed before the command reads it: .NET throws ObjectDisposedException, which no command expects.
    [Theory]
    [InlineData("Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $gone -AppSecret $secret -GraphUri $uri", "ConnectWaBusinessCommand")]
    [InlineData(EmulatorSession.Connect + "Test-WaToken -Token $gone", "TestWaTokenCommand")]
    public async Task An_unexpected_exception_becomes_an_Unexpected_error_with_a_remedy_and_its_cause(string script, string command)
    {
        await using var s = await EmulatorSession.StartAsync();
        var gone = EmulatorSession.Secure(s.Seed.EmployeeUserToken);
        gone.Dispose();
        var vars = new { biz = s.Seed.BusinessId, app = s.Seed.AppId, secret = EmulatorSession.Secure(s.Seed.AppSecret), admin = EmulatorSession.Secure(s.Seed.AdminUserToken), uri = s.Emulator.BaseUri, gone };

        var r = s.Run(script, vars);

        var error = r.SingleError();
        Assert.Equal("Unexpected,Naova.WhatsAppToken.Commands." + command, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotSpecified, error.CategoryInfo.Category);
        Assert.IsType<ObjectDisposedException>(error.Exception.InnerException);
        Assert.Contains("ObjectDisposedException", error.Exception.Message);
        Assert.Contains("-Verbose", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(s.Seed.AdminUserToken, r.AllText());
        Assert.DoesNotContain(s.Seed.AppSecret, r.AllText());
    }

    [Fact]
    public void A_cause_whose_message_holds_secret_text_is_kept_with_that_text_redacted()
    {
        using var ps = new PsSession(); // imports the module, whose loader then answers for the engine
        const string secret = "appsecret-the-command-was-given-0123";
        const string token = "EAAGtokenTEXTthatMUSTnotSHOW0123456789abcdef";
        var cause = new FormatException("could not read " + secret, new InvalidDataException("the value was " + token));

        var record = Describe(cause, "Save-WaToken", [secret]);

        Assert.Equal("Unexpected", record.FullyQualifiedErrorId);
        var inner = record.Exception.InnerException!;
        Assert.Contains("System.FormatException", inner.Message);
        Assert.Contains("System.IO.InvalidDataException", inner.InnerException!.Message);
        string all = $"{record.Exception} {record.ErrorDetails.Message} {record.ErrorDetails.RecommendedAction}";
        Assert.DoesNotContain(secret, all);
        Assert.DoesNotContain(token, all);
        Assert.Contains("[redacted]", all);
    }

    [Fact]
    public void A_cause_without_secret_text_is_kept_as_it_is()
    {
        using var ps = new PsSession();
        var cause = new NotSupportedException("This interface needs the reflection request builder, which is not installed.");

        var record = Describe(cause, "Connect-WaBusiness", []);

        Assert.Same(cause, record.Exception.InnerException);
        Assert.Contains("Connect-WaBusiness", record.Exception.Message);
        Assert.Contains("reflection request builder", record.Exception.Message);
    }

    private static ErrorRecord Describe(Exception cause, string command, string[] secrets)
    {
        var module = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Naova.WhatsAppToken");
        var describe = module.GetType("Naova.WhatsAppToken.GuardedCmdlet", throwOnError: true)!.GetMethod("Described", BindingFlags.NonPublic | BindingFlags.Static)!;
        return (ErrorRecord)describe.Invoke(null, [cause, command, secrets])!;
    }
}
