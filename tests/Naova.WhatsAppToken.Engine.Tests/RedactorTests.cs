namespace Naova.WhatsAppToken.Engine.Tests;

public class RedactorTests
{
    [Fact]
    public void Known_secrets_and_their_url_encoded_forms_are_masked()
    {
        string secret = "abc+def/ghi=jkl";
        string text = $"sent {secret} and {Uri.EscapeDataString(secret)}";
        string redacted = Redactor.Redact(text, [secret]);
        Assert.DoesNotContain(secret, redacted);
        Assert.DoesNotContain(Uri.EscapeDataString(secret), redacted);
        Assert.Contains(Redactor.Mask, redacted);
    }

    [Fact]
    public void Anything_shaped_like_a_Meta_token_or_an_app_token_is_masked_even_if_unknown()
    {
        string redacted = Redactor.Redact("token EAAGm0PX4ZCpsBAKZAZBq1234567890 app 1298374650192837|3f9a1c7e5b2d4f6081a9c3e5b7d9f1a2 end");
        Assert.DoesNotContain("EAAGm0PX4ZCpsBAKZAZBq", redacted);
        Assert.DoesNotContain("3f9a1c7e5b2d4f6081a9c3e5b7d9f1a2", redacted);
        Assert.EndsWith("end", redacted);
    }
}
