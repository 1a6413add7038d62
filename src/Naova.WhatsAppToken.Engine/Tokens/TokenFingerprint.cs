using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>Names a token without showing it: the first 12 hex digits of the SHA-256 of its text.</summary>
    public static class TokenFingerprint
    {
        public const int Length = 12;

        private const string Digits = "0123456789abcdef";

        // An audit names every token it reports: one hash and six bytes of hex each, no per-call hasher or formatting.
        public static string Of(string token)
        {
            byte[] text = Encoding.UTF8.GetBytes(token);
#if NETFRAMEWORK
            byte[] hash;
            using (var sha = SHA256.Create()) hash = sha.ComputeHash(text);
#else
            byte[] hash = SHA256.HashData(text);
#endif
            var name = new char[Length];
            for (int i = 0; i < Length / 2; i++)
            {
                name[2 * i] = Digits[hash[i] >> 4];
                name[2 * i + 1] = Digits[hash[i] & 0xF];
            }
            return new string(name);
        }

        public static string Of(SecureString token) => Of(SecretText.Reveal(token));
    }
}
