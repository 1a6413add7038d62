using System.Text;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// The redactor against every encoding a Graph answer or an error may carry a secret in: plain, URL-encoded, base64
/// (standard and URL-safe, padded or not), hex (either case), of the UTF-8 or the UTF-16 bytes, alone or inside a
/// longer encoded run at any byte offset. The oracle does not know how the redactor works: it decodes every base64 or
/// hex run left in the output, at every alignment, and looks for the secret's bytes.
/// </summary>
public class RedactorFuzzTests
{
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=|%.";

    public enum Form
    {
        Plain, UrlEncoded,
        Base64Utf8, Base64Utf8NoPad, Base64UrlUtf8, Base64Utf16, Base64Utf16NoPad, Base64UrlUtf16,
        HexUtf8, HexUtf8Upper, HexUtf16, HexUtf16Upper,
        Base64Utf8Embedded, Base64UrlUtf8Embedded, Base64Utf16Embedded, HexUtf8Embedded, HexUtf16Embedded,
        UrlEncodedBase64Utf8,
    }

    public static TheoryData<Form> Forms()
    {
        var data = new TheoryData<Form>();
        foreach (Form f in Enum.GetValues<Form>()) data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void No_encoding_of_a_known_secret_survives(Form form)
    {
        var random = new Random(1000 + (int)form);
        for (int round = 0; round < 300; round++)
        {
            string secret = RandomText(random, random.Next(12, 220));
            string decoy = RandomText(random, random.Next(12, 60));
            string text = "(#100) " + RandomText(random, random.Next(0, 40)) + " " + Encode(secret, form, random) + " " + RandomText(random, random.Next(0, 40));
            string redacted = Redactor.Redact(text, new[] { decoy, secret });
            Assert.False(Leaks(redacted, secret), $"form {form}, round {round}: the secret survives in {redacted}");
        }
    }

    [Fact]
    public void Text_without_the_secret_is_left_as_it_was()
    {
        var random = new Random(7);
        for (int round = 0; round < 200; round++)
        {
            string secret = RandomText(random, random.Next(12, 120));
            string other = Convert.ToBase64String(Encoding.UTF8.GetBytes(RandomText(random, 60))) + " " + Convert.ToHexString(Encoding.UTF8.GetBytes(RandomText(random, 30)));
            Assert.Equal(Redactor.Redact(other), Redactor.Redact(other, new[] { secret }));
        }
    }

    private static string Encode(string secret, Form form, Random random)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(secret), utf16 = Encoding.Unicode.GetBytes(secret);
        byte[] Around(byte[] bytes)
        {
            var before = new byte[random.Next(0, 7)];
            var after = new byte[random.Next(0, 7)];
            random.NextBytes(before);
            random.NextBytes(after);
            return before.Concat(bytes).Concat(after).ToArray();
        }
        static string Url(string b64) => b64.Replace('+', '-').Replace('/', '_').TrimEnd('=');
        return form switch
        {
            Form.Plain => secret,
            Form.UrlEncoded => Uri.EscapeDataString(secret),
            Form.Base64Utf8 => Convert.ToBase64String(utf8),
            Form.Base64Utf8NoPad => Convert.ToBase64String(utf8).TrimEnd('='),
            Form.Base64UrlUtf8 => Url(Convert.ToBase64String(utf8)),
            Form.Base64Utf16 => Convert.ToBase64String(utf16),
            Form.Base64Utf16NoPad => Convert.ToBase64String(utf16).TrimEnd('='),
            Form.Base64UrlUtf16 => Url(Convert.ToBase64String(utf16)),
            Form.HexUtf8 => Convert.ToHexString(utf8).ToLowerInvariant(),
            Form.HexUtf8Upper => Convert.ToHexString(utf8),
            Form.HexUtf16 => Convert.ToHexString(utf16).ToLowerInvariant(),
            Form.HexUtf16Upper => Convert.ToHexString(utf16),
            Form.Base64Utf8Embedded => Convert.ToBase64String(Around(utf8)),
            Form.Base64UrlUtf8Embedded => Url(Convert.ToBase64String(Around(utf8))),
            Form.Base64Utf16Embedded => Convert.ToBase64String(Around(utf16)),
            Form.HexUtf8Embedded => Convert.ToHexString(Around(utf8)),
            Form.HexUtf16Embedded => Convert.ToHexString(Around(utf16)).ToLowerInvariant(),
            Form.UrlEncodedBase64Utf8 => Uri.EscapeDataString(Convert.ToBase64String(utf8)),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = TokenAlphabet[random.Next(TokenAlphabet.Length)];
        return new string(chars);
    }

    /// <summary>Whether any form of the secret can be read back from <paramref name="output"/>.</summary>
    private static bool Leaks(string output, string secret)
    {
        if (output.Contains(secret) || output.Contains(Uri.EscapeDataString(secret))) return true;
        byte[][] needles = { Encoding.UTF8.GetBytes(secret), Encoding.Unicode.GetBytes(secret) };
        string unescaped = Uri.UnescapeDataString(output);
        foreach (Match run in Regex.Matches(unescaped, "[A-Za-z0-9+/_=-]{8,}"))
        {
            string std = run.Value.Replace('-', '+').Replace('_', '/').Replace("=", string.Empty);
            for (int start = 0; start < 4 && start < std.Length; start++)
            {
                string part = std.Substring(start);
                part = part.Substring(0, part.Length / 4 * 4);
                if (part.Length == 0) continue;
                byte[] decoded;
                try
                {
                    decoded = Convert.FromBase64String(part);
                }
                catch (FormatException)
                {
                    continue;
                }
                if (needles.Any(n => Contains(decoded, n))) return true;
            }
        }
        foreach (Match run in Regex.Matches(output, "[0-9A-Fa-f]{8,}"))
            for (int start = 0; start < 2; start++)
            {
                string part = run.Value.Substring(start);
                var decoded = Convert.FromHexString(part.Substring(0, part.Length / 2 * 2));
                if (needles.Any(n => Contains(decoded, n))) return true;
            }
        return false;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
