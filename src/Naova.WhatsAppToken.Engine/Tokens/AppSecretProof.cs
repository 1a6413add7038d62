using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Naova.WhatsAppToken.Engine.Tokens
{
    /// <summary>
    /// appsecret_proof: lowercase hex HMAC-SHA256 keyed by the app secret over the caller's token,
    /// or over "token|unixtime" in the time-bound form Meta also documents.
    /// </summary>
    public static class AppSecretProof
    {
        public static string Compute(string appSecret, string accessToken) => Hmac(appSecret, accessToken);

        public static string Compute(string appSecret, string accessToken, long unixTime) =>
            Hmac(appSecret, accessToken + "|" + unixTime.ToString(CultureInfo.InvariantCulture));

        private static string Hmac(string key, string message)
        {
            using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(key)))
            {
                return Hex.Lower(hmac.ComputeHash(Encoding.UTF8.GetBytes(message)));
            }
        }
    }

    internal static class Hex
    {
        public static string Lower(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
