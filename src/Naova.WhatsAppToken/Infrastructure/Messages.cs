using System.Globalization;
using System.Resources;

namespace Naova.WhatsAppToken
{
    /// <summary>Every sentence the module says, from resources chosen by the UI culture.</summary>
    internal static class Messages
    {
        internal static readonly ResourceManager Resources =
            new ResourceManager("Naova.WhatsAppToken.Resources.Messages", typeof(Messages).Assembly);

        public static string Get(string key, params object?[] args)
        {
            string format = Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;
            return args.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, args);
        }
    }
}
