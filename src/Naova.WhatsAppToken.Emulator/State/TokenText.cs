using System.Security.Cryptography;
using System.Text;

namespace Naova.WhatsAppToken.Emulator.State;

internal static class TokenText
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>An opaque "EAA..." token of varying length (150-250), letters and digits only.</summary>
    public static string New()
    {
        // One call for the whole text (unbiased, as GetInt32 per character was, at a 200th of the calls).
        int length = RandomNumberGenerator.GetInt32(150, 251);
        return "EAA" + RandomNumberGenerator.GetString(Alphabet, length - 3);
    }

    /// <summary>First 12 hex chars (lowercase) of SHA-256 of the token text.</summary>
    public static string Fingerprint(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    public static string NewTraceId()
    {
        const string traceAlphabet = Alphabet + "_-";
        return RandomNumberGenerator.GetString(traceAlphabet, 11);
    }
}
