using System.Security.Cryptography;
using System.Text;

namespace Naova.WhatsAppToken.Emulator.State;

internal static class TokenText
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>An opaque "EAA..." token of varying length (150-250), letters and digits only.</summary>
    public static string New()
    {
        int length = RandomNumberGenerator.GetInt32(150, 251);
        var text = new StringBuilder("EAA", length);
        while (text.Length < length)
            text.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        return text.ToString();
    }

    /// <summary>First 12 hex chars (lowercase) of SHA-256 of the token text.</summary>
    public static string Fingerprint(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    public static string NewTraceId()
    {
        const string traceAlphabet = Alphabet + "_-";
        var text = new StringBuilder(11);
        for (int i = 0; i < 11; i++)
            text.Append(traceAlphabet[RandomNumberGenerator.GetInt32(traceAlphabet.Length)]);
        return text.ToString();
    }
}
