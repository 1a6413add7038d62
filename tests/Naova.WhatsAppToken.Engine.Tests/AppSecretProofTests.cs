using System.Security.Cryptography;
using System.Text;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Tests;

public class AppSecretProofTests
{
    [Fact]
    public void Matches_the_RFC_4231_HMAC_SHA256_test_vector()
    {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            AppSecretProof.Compute("Jefe", "what do ya want for nothing?"));
    }

    [Fact]
    public void Time_bound_form_signs_token_bar_unix_time()
    {
        string expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes("EAAtoken|1700000000"))).ToLowerInvariant();
        Assert.Equal(expected, AppSecretProof.Compute("s3cret", "EAAtoken", 1700000000));
        Assert.NotEqual(AppSecretProof.Compute("s3cret", "EAAtoken"), AppSecretProof.Compute("s3cret", "EAAtoken", 1700000000));
    }

    [Fact]
    public void Proof_is_lowercase_hex_of_64_characters()
    {
        var proof = AppSecretProof.Compute("k", "EAAabc");
        Assert.Matches("^[0-9a-f]{64}$", proof);
    }

    [Fact]
    public void Fingerprint_is_the_first_12_hex_digits_of_sha256()
    {
        // FIPS 180-2 example: SHA-256("abc") = ba7816bf 8f01cfea ...
        Assert.Equal("ba7816bf8f01", TokenFingerprint.Of("abc"));
        Assert.Equal(TokenFingerprint.Of("abc"), TokenFingerprint.Of(SecretText.ToSecureString("abc")));
    }
}
