using System.Security.Cryptography;
using System.Text;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// appsecret_proof = lowercase hex HMAC-SHA256(key = app secret, message = token), or with
/// appsecret_time: message = token + "|" + appsecret_time, valid within 5 minutes of the clock.
/// </summary>
internal static class AppSecretProof
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    public const string MissingMessage = "API calls from the server require an appsecret_proof argument";
    public const string InvalidMessage = "Invalid appsecret_proof provided in the API argument";

    public static string Compute(string secret, string token, string? time = null) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(time is null ? token : token + "|" + time)));

    /// <summary>Checks the proof of a user or system-user call. A proof that is sent is always checked.</summary>
    public static void Check(GraphParameters p, Caller caller, DateTimeOffset now, bool required)
    {
        if (caller.Token is not { } token) return;
        string? proof = p.GetNonEmpty("appsecret_proof");
        if (proof is null)
        {
            if (required) throw GraphErrors.Error(400, GraphErrors.Method, 100, MissingMessage);
            return;
        }
        string? time = p.GetNonEmpty("appsecret_time");
        if (time is not null)
        {
            if (!long.TryParse(time, out long seconds))
                throw GraphErrors.Error(400, GraphErrors.Method, 100, InvalidMessage + " (appsecret_time is not a Unix time)");
            if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Window.TotalSeconds)
                throw GraphErrors.Error(400, GraphErrors.Method, 100,
                    InvalidMessage + " (appsecret_time is more than 5 minutes away from the server time)");
        }
        string expected = Compute(caller.App.Secret, token.Text, time);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(proof)))
            throw GraphErrors.Error(400, GraphErrors.Method, 100, InvalidMessage);
    }
}
