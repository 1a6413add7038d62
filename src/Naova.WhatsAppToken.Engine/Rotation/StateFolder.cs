using System;
using System.IO;
using System.Runtime.InteropServices;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// Where Update-WaToken keeps what must outlive its process: $NAOVA_WHATSAPPTOKEN_STATE when set, else
    /// %LOCALAPPDATA%\Naova.WhatsAppToken on Windows and $XDG_STATE_HOME/naova-whatsapptoken (~/.local/state/...)
    /// elsewhere. One lock file and one journal per stored secret, named by a hash of its place; no token text.
    /// </summary>
    public static class StateFolder
    {
        public const string Variable = "NAOVA_WHATSAPPTOKEN_STATE";

        public static string Root
        {
            get
            {
                string? set = Environment.GetEnvironmentVariable(Variable);
                if (!string.IsNullOrEmpty(set)) return set!;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Naova.WhatsAppToken");
                string? xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
                string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "state") : xdg!, "naova-whatsapptoken");
            }
        }

        /// <summary>The file for <paramref name="place"/> (a secret's StoredIn words) with <paramref name="extension"/>.</summary>
        public static string FileFor(string place, string extension)
        {
            return Path.Combine(Root, "rotations", TokenFingerprint.Of(place.ToUpperInvariant()) + extension);
        }
    }
}
