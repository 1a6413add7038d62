using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>
    /// stat, chmod and readlink for the builds that have no .NET API for them: the net472 engine runs on Unix in
    /// PowerShell 7.2/7.3 (.NET 6/7), where File.GetUnixFileMode (.NET 7) and FileSystemInfo.LinkTarget (.NET 6) exist
    /// in the runtime but not in what net472 compiles against. They go through the runtime's own native shim
    /// (libSystem.Native, in every .NET on Unix since Core 2.0): its FileStatus begins with Flags and Mode on every
    /// platform, and it takes no structure whose layout differs between Linux and macOS, as libc's stat does.
    /// </summary>
    internal static class UnixFile
    {
        /// <summary>The st_mode of what <paramref name="path"/> names (a link is followed); null where it can not be told.</summary>
        internal static int? Mode(string path)
        {
            var status = new byte[512];
            try
            {
                if (Stat(path, status) != 0) return null;
            }
            catch (DllNotFoundException)
            {
                return null;
            }
            catch (EntryPointNotFoundException)
            {
                return null;
            }
            return BitConverter.ToInt32(status, 4);
        }

        /// <summary>Sets the permission bits; throws rather than let a token be written under wider ones.</summary>
        internal static void SetPermissions(string path, int permissions)
        {
            if (ChMod(path, permissions & 0xFFF) != 0)
                throw new IOException("The file's permissions could not be set (errno " + Marshal.GetLastWin32Error() + ").");
        }

        /// <summary>What the symbolic link <paramref name="path"/> holds; null when it is no link, or nothing is there.</summary>
        internal static string? ReadLink(string path)
        {
            var buffer = new byte[4096];
            int length = ReadLink(path, buffer, buffer.Length);
            // -1: not a link (EINVAL), or nothing there (ENOENT): either way the chain ends here.
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }

        // stat, not lstat: a symbolic link is judged by what it points to.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ChMod", SetLastError = true)]
        private static extern int ChMod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ReadLink", SetLastError = true)]
        private static extern int ReadLink([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer, int bufferSize);
    }
}
