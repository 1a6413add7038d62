using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>
    /// Replaces a file's content all at once: the new bytes go to a temporary file in the same folder (same volume,
    /// so the final step is a rename), are flushed to the disk, and only then take the file's place. A crash or a
    /// full disk leaves the old file or the new one, never half of one, and a reader sees one or the other.
    /// </summary>
    public static class AtomicFile
    {
        private const int Attempts = 5;
#if !NET8_0_OR_GREATER
        private const int OwnerOnly = 0x180; // 0600
#endif

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Symbolic links followed before giving up, as Linux does (ELOOP).</summary>
        private const int MaxLinks = 40;

        /// <summary>
        /// The file a write to <paramref name="path"/> lands in: the path itself, or the end of its chain of symbolic
        /// links (each relative target from its link's folder; the links are kept), whether that file exists or not.
        /// </summary>
        /// <exception cref="DotEnvLinkException">The links make a loop, or a chain longer than <see cref="MaxLinks"/>.</exception>
        public static string ResolveTarget(string path)
        {
            string full = Path.GetFullPath(path);
            var chain = new List<string> { full };
            string current = full;
            for (int hop = 0; hop < MaxLinks; hop++)
            {
                string? link = LinkOf(current);
                if (link == null) return current;
                current = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, link));
                bool seen = chain.Contains(current);
                chain.Add(current);
                if (seen) break;
            }
            throw DotEnvLinkException.Loop(full, chain);
        }

        /// <summary>
        /// The one name of the file a write to <paramref name="path"/> lands in, whatever links lead to it: its own chain
        /// of links followed (<see cref="ResolveTarget"/>), and every folder on the way resolved too, as realpath(3)
        /// does, so current/.env and releases/1/.env (current a link to releases/1) give the same text. The file need
        /// not exist; a folder that does not exist is taken as it is written.
        /// </summary>
        /// <exception cref="DotEnvLinkException">The links make a loop, or more than <see cref="MaxLinks"/> of them.</exception>
        public static string RealPath(string path)
        {
            string target = ResolveTarget(path);
            string? folder = Path.GetDirectoryName(target);
            if (folder == null) return target;
            int hops = 0;
            return Path.Combine(RealFolder(folder, path, ref hops), Path.GetFileName(target));
        }

        private static string RealFolder(string folder, string asked, ref int hops)
        {
            string? parent = Path.GetDirectoryName(folder);
            if (parent == null) return folder; // the root
            string real = Path.Combine(RealFolder(parent, asked, ref hops), Path.GetFileName(folder));
            string? link = LinkOf(real);
            if (link == null) return real;
            if (++hops > MaxLinks) throw DotEnvLinkException.Loop(Path.GetFullPath(asked), new List<string> { real });
            // A link's target is read from the link's own folder, and its folders may be links in turn.
            return RealFolder(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(real)!, link)), asked, ref hops);
        }

        private static string? LinkOf(string path)
        {
#if NET8_0_OR_GREATER
            return new FileInfo(path).LinkTarget;
#else
            // net472 on Unix is PowerShell 7.2/7.3 (.NET 6/7): the same reading, through the runtime's shim.
            return IsWindows ? null : UnixFile.ReadLink(path);
#endif
        }

        /// <summary>
        /// Writes <paramref name="bytes"/> as the whole content of <paramref name="path"/>. A new file is readable by
        /// its owner only on Unix (0600); an existing file keeps its permissions (on Windows File.Replace keeps its ACL).
        /// </summary>
        public static void WriteAllBytes(string path, byte[] bytes)
        {
            string full = Path.GetFullPath(path);
            // A rename gives the name a new file: the file's other names (hard links) would keep the old content.
            if (!IsWindows && UnixFile.LinkCount(full) > 1)
            {
                WriteInPlace(full, bytes);
                return;
            }
            string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException("The path has no folder.", nameof(path));
            string temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
            try
            {
                WriteTemp(temp, bytes, full);
                MoveIntoPlace(temp, full);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        /// <summary>
        /// Writes a file that has other names (hard links) over itself, so every name sees the new content: the whole
        /// content in one write from the start, then the file cut to its length, flushed to the disk. Owner, group, mode
        /// and links stay as they were. A reader at that very moment could see the two contents mixed, which a rename
        /// never shows, so it is done only where a rename would leave the other names on the old content; a write that
        /// fails midway puts the old content back.
        /// </summary>
        private static void WriteInPlace(string path, byte[] bytes)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1))
            {
                var old = new byte[stream.Length];
                int read = 0, n;
                while (read < old.Length && (n = stream.Read(old, read, old.Length - read)) > 0) read += n;
                try
                {
                    Overwrite(stream, bytes);
                }
                catch
                {
                    try
                    {
                        Overwrite(stream, old);
                    }
                    catch (IOException)
                    {
                    }
                    throw;
                }
            }
        }

        private static void Overwrite(FileStream stream, byte[] bytes)
        {
            stream.Position = 0;
            stream.Write(bytes, 0, bytes.Length);
            stream.SetLength(bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        private static void WriteTemp(string temp, byte[] bytes, string target)
        {
            // The file that takes the target's place keeps its owner and group (root rotating an application's .env);
            // EnvFile.KeepsOwner refused beforehand where this process may not give them.
            var owner = !IsWindows && File.Exists(target) ? UnixFile.Owner(target) : null;
#if NET8_0_OR_GREATER
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temp, options))
            {
                if (owner != null && !owner.Equals(UnixFile.Owner(temp))) UnixFile.SetOwner(stream.SafeFileHandle, owner.Value);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
            // An existing file keeps its mode; the temporary one was created owner-only so it never showed more.
            if (!OperatingSystem.IsWindows() && File.Exists(target)) File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
#else
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                if (owner != null && !owner.Equals(UnixFile.Owner(temp))) UnixFile.SetOwner(stream.SafeFileHandle, owner.Value);
                // net472 on Unix (PowerShell 7.2/7.3) can not ask for a mode at creation: the empty file gets the one the
                // .NET 8 build creates it with (an existing file's, else owner-only) before a byte of it is written.
                if (!IsWindows) UnixFile.SetPermissions(temp, File.Exists(target) ? UnixFile.Mode(target) ?? OwnerOnly : OwnerOnly);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
#endif
        }

        private static void MoveIntoPlace(string temp, string target)
        {
            for (int attempt = 1; ; attempt++)
            {
                bool replacing = File.Exists(target);
                try
                {
                    if (replacing) File.Replace(temp, target, null, ignoreMetadataErrors: true);
                    else File.Move(temp, target);
                    return;
                }
                catch (IOException ex) when (attempt < Attempts && ((!replacing && File.Exists(target)) || IsSharingViolation(ex)))
                {
                    // The file appeared meanwhile (next attempt replaces it), or, on Windows, a reader holding it
                    // without FILE_SHARE_DELETE blocks the replace for a moment.
                    Thread.Sleep(20 * attempt);
                }
            }
        }

        private static bool IsSharingViolation(IOException ex)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return false;
            int code = ex.HResult & 0xFFFF;
            return code == 32 || code == 33; // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
