using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>Names a token without showing it: the first 12 hex digits of the SHA-256 of its text.</summary>
    public static class TokenFingerprint
    {
        public const int Length = 12;

        public static string Of(string token)
        {
            using (var sha = SHA256.Create())
            {
                return Hex.Lower(sha.ComputeHash(Encoding.UTF8.GetBytes(token))).Substring(0, Length);
            }
        }

        public static string Of(SecureString token) => Of(SecretText.Reveal(token));
    }
}
