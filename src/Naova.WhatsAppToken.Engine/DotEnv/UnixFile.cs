using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>
    /// stat, lstat, chmod and readlink for the builds that have no .NET API for them: the net472 engine runs on Unix in
    /// PowerShell 7.2/7.3 (.NET 6/7), where File.GetUnixFileMode (.NET 7) and FileSystemInfo.LinkTarget (.NET 6) exist
    /// in the runtime but not in what net472 compiles against. They go through the runtime's own native shim
    /// (libSystem.Native, in every .NET on Unix since Core 2.0): its FileStatus begins with Flags, Mode, Uid and Gid on
    /// every platform, and it takes no structure whose layout differs between Linux and macOS, as libc's stat does.
    /// No .NET (10 included) can change a file's owner or count its hard links, nor does the shim: fchown and Linux's
    /// statx (whose structure is the same on every architecture) come from libc.
    /// </summary>
    [SuppressMessage("Globalization", "CA2101:Specify marshaling for P/Invoke string arguments",
        Justification = "Every string goes as UTF-8 (MarshalAs LPUTF8Str), what the native side reads; the rule knows only LPStr and LPWStr (dotnet/roslyn-analyzers#7502).")]
    internal static class UnixFile
    {
        /// <summary>The st_mode of what <paramref name="path"/> names (a link is followed); null where it can not be told.</summary>
        internal static int? Mode(string path) => Status(path) is byte[] status ? BitConverter.ToInt32(status, 4) : (int?)null;

        /// <summary>The owner and group of what <paramref name="path"/> names (a link is followed); null where it can not be told.</summary>
        internal static (uint User, uint Group)? Owner(string path) =>
            Status(path) is byte[] status ? (BitConverter.ToUInt32(status, 8), BitConverter.ToUInt32(status, 12)) : ((uint, uint)?)null;

        /// <summary>The shim's FileStatus of what <paramref name="path"/> names; null where it can not be told (nothing there, no shim).</summary>
        private static byte[]? Status(string path)
        {
            var status = new byte[512];
            try
            {
                return Stat(path, status) == 0 ? status : null;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>
        /// The st_mode and owner of the entry <paramref name="path"/> itself (lstat: a symbolic link is not followed, so it
        /// shows as a link); null where nothing is there or it can not be told.
        /// </summary>
        internal static (int Mode, uint User)? EntryStatus(string path)
        {
            var status = new byte[512];
            try
            {
                return LStat(path, status) == 0 ? (BitConverter.ToInt32(status, 4), BitConverter.ToUInt32(status, 8)) : ((int, uint)?)null;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>How many names (hard links) the file <paramref name="path"/> names has; null where it can not be told (not Linux, no statx).</summary>
        internal static int? LinkCount(string path)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
            var status = new byte[256];
            try
            {
                // AT_FDCWD, no flags (a link is followed), STATX_NLINK.
                if (StatX(-100, path, 0, 0x4, status) != 0 || (BitConverter.ToUInt32(status, 0) & 0x4) == 0) return null;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
            return (int)BitConverter.ToUInt32(status, 16);
        }

        /// <summary>Whether this process may give a file it creates the owner and group <paramref name="owner"/>.</summary>
        internal static bool MayGive((uint User, uint Group) owner)
        {
            var groups = new uint[1024];
            int count = Math.Max(0, GetGroups(groups.Length, groups));
            Array.Resize(ref groups, count);
            return MayGive(owner, GetEUid(), GetEGid(), groups);
        }

        /// <summary>chown(2)'s rule: root gives any owner; another user keeps only its own, with its group or one it is in.</summary>
        internal static bool MayGive((uint User, uint Group) owner, uint user, uint group, uint[] groups) =>
            user == 0 || (owner.User == user && (owner.Group == group || Array.IndexOf(groups, owner.Group) >= 0));

        /// <summary>This process's effective user id.</summary>
        internal static uint EffectiveUser() => GetEUid();

        /// <summary>Gives the open file <paramref name="file"/> the owner and group; throws rather than let a file take another's place under other ones.</summary>
        internal static void SetOwner(Microsoft.Win32.SafeHandles.SafeFileHandle file, (uint User, uint Group) owner)
        {
            bool added = false;
            try
            {
                file.DangerousAddRef(ref added);
                if (FChOwn(file.DangerousGetHandle().ToInt32(), owner.User, owner.Group) != 0)
                    throw new UnauthorizedAccessException("The file's owner and group (" + owner.User + ":" + owner.Group + ") could not be kept (errno " + Marshal.GetLastWin32Error() + ").");
            }
            finally
            {
                if (added) file.DangerousRelease();
            }
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

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ChMod", SetLastError = true)]
        private static extern int ChMod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetEUid")]
        private static extern uint GetEUid();

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetEGid")]
        private static extern uint GetEGid();

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_GetGroups", SetLastError = true)]
        private static extern int GetGroups(int count, [Out] uint[] groups);

        [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
        private static extern int FChOwn(int fd, uint owner, uint group);

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_ReadLink", SetLastError = true)]
        private static extern int ReadLink([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer, int bufferSize);
    }
}
