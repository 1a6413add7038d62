using System.IO;
using System.Runtime.InteropServices;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>What a path names, as far as a .env write cares.</summary>
    public enum EnvFileKind
    {
        Missing,
        Regular,
        /// <summary>A FIFO, a device, a socket or a folder: reading it may block forever, writing it replaces the node.</summary>
        NotRegular,
    }

    /// <summary>
    /// Tells a regular file (or a symbolic link to one) from anything else before a .env is read or written. .NET
    /// reports a FIFO or a character device as a "Normal" file, so on Unix this asks stat(2) (<see cref="UnixFile"/>).
    /// </summary>
    public static class EnvFile
    {
        public static EnvFileKind KindOf(string path)
        {
            if (Directory.Exists(path)) return EnvFileKind.NotRegular;
            if (!File.Exists(path)) return EnvFileKind.Missing;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return (File.GetAttributes(path) & FileAttributes.Device) != 0 ? EnvFileKind.NotRegular : EnvFileKind.Regular;
            int? mode = UnixFile.Mode(path);
            if (mode == null) return EnvFileKind.Regular; // the shim is not there: nothing more can be told
            return (mode.Value & 0xF000) == 0x8000 ? EnvFileKind.Regular : EnvFileKind.NotRegular;
        }

        /// <summary>
        /// Whether a write keeps the existing file's owner and group, as the application that reads it needs: true where
        /// nothing is there, on Windows, where the file is written in place (it has other names, see AtomicFile) or where
        /// this process may give the new file both (root, or the owner in the file's group). False: a rename would hand
        /// the application's file to this process's user, so the write is refused before anything is made.
        /// </summary>
        public static bool KeepsOwner(string path)
        {
            if (!File.Exists(path) || RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return true;
            var owner = UnixFile.Owner(path);
            return owner == null || UnixFile.LinkCount(path) > 1 || UnixFile.MayGive(owner.Value);
        }

        /// <summary>The owner and group ids of the existing file, and this process's user id, for the words of a refusal.</summary>
        public static (uint User, uint Group, uint Process)? OwnerOf(string path) =>
            UnixFile.Owner(path) is (uint, uint) owner ? (owner.User, owner.Group, UnixFile.EffectiveUser()) : ((uint, uint, uint)?)null;

        /// <summary>Whether the existing file is marked read-only (no owner write bit on Unix, the ReadOnly attribute on Windows).</summary>
        public static bool IsReadOnly(string path)
        {
            if (!File.Exists(path)) return false;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
            int? mode = UnixFile.Mode(path);
            return mode != null && (mode.Value & 0x80) == 0; // S_IWUSR
        }
    }
}
