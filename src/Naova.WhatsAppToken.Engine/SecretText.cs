using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Naova.WhatsAppToken.Engine
{
    /// <summary>Moves secrets between SecureString and the short-lived strings an HTTP call needs.</summary>
    public static class SecretText
    {
        public static SecureString ToSecureString(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            var secure = new SecureString();
            foreach (char c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public static string Reveal(SecureString secure)
        {
            if (secure == null) throw new ArgumentNullException(nameof(secure));
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(ptr, secure.Length);
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static bool IsNullOrEmpty(SecureString? secure) => secure == null || secure.Length == 0;
    }
}
