using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// Where Update-WaToken keeps what must outlive its process: $NAOVA_WHATSAPPTOKEN_STATE when set, else
    /// %LOCALAPPDATA%\Naova.WhatsAppToken on Windows and $XDG_STATE_HOME/naova-whatsapptoken (~/.local/state/...)
    /// elsewhere. One lock file and one journal per stored secret, named by a hash of its place, and one record per system
    /// user and app of a token Save-WaToken could not save (<see cref="UnsavedTokenRecord"/>); no token text.
    /// </summary>
    /// <remarks>
    /// On Unix the folder is private, as ssh's and SecretStore's are: made 0700, and used only while it and its
    /// rotations folder are real folders (not links), owned by this process's user (or root), and writable by nobody
    /// else, and while every entry in it is a regular file. Then nobody else can put a link there for a write to follow
    /// (a rotation run by root would otherwise overwrite what the link names), nor a FIFO for a read to hang on.
    /// </remarks>
    public static class StateFolder
    {
        public const string Variable = "NAOVA_WHATSAPPTOKEN_STATE";

        /// <summary>The largest file read there: a journal is a few hundred bytes; anything bigger is not one.</summary>
        public const int MaxFileBytes = 64 * 1024;

        private static readonly char[] EqualsSign = { '=' };

        private const int TypeMask = 0xF000, Directory = 0x4000, Regular = 0x8000, GroupOrOthersWrite = 0x12; // S_IWGRP | S_IWOTH

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>This process's id, for the lock's and journal's owner lines (.NET Framework has no Environment.ProcessId).</summary>
        public static int ProcessId =>
#if NET5_0_OR_GREATER
            Environment.ProcessId;
#else
            System.Diagnostics.Process.GetCurrentProcess().Id;
#endif

        public static string Root
        {
            get
            {
                string? set = Environment.GetEnvironmentVariable(Variable);
                if (!string.IsNullOrEmpty(set)) return set!;
                if (IsWindows)
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

        /// <summary>
        /// Makes the folder (0700 on Unix) where it is missing, and checks it before anything is written there.
        /// </summary>
        /// <exception cref="StateFolderUnsafeException">It is a link, another user's, writable by others, or holds an entry
        /// that is not a regular file; the message says which, and the fix.</exception>
        public static void Prepare()
        {
            string root = Root, rotations = Path.Combine(root, "rotations");
            MakePrivate(root);
            MakePrivate(rotations);
            if (IsWindows) return;
            CheckFolder(root);
            CheckFolder(rotations);
            foreach (string entry in System.IO.Directory.EnumerateFileSystemEntries(rotations))
            {
                if (IsUnsafeEntry(entry))
                    throw new StateFolderUnsafeException(string.Format(CultureInfo.InvariantCulture,
                        "The state folder holds '{0}', which is not a regular file (a symbolic link, a FIFO, a folder): nothing is written or read there while it is. Remove it (rm '{0}').", entry));
            }
        }

        // An entry that is no regular, bounded file. Another process's record or temporary file may go between the
        // listing and this look: one that is gone is not unsafe. So the entry is looked at once (lstat): a regular file
        // gone before its size is read is gone; no entry at all (not even a dangling link, which lstat finds) is gone.
        // Where lstat can not be asked, what FileInfo sees.
        private static bool IsUnsafeEntry(string entry)
        {
            if (UnixFile.EntryStatus(entry) is (int Mode, uint) status)
            {
                if ((status.Mode & TypeMask) != Regular) return true;
                var info = new FileInfo(entry);
                return info.Exists && info.Length > MaxFileBytes;
            }
            return (File.Exists(entry) || System.IO.Directory.Exists(entry)) && !IsRegularFile(entry);
        }

        /// <summary>
        /// Whether <paramref name="path"/> is a regular file itself (not a link to one, not a FIFO or a device), no bigger
        /// than <see cref="MaxFileBytes"/>. Where the entry can not be told apart (Windows, no runtime shim), the size only.
        /// </summary>
        public static bool IsRegularFile(string path)
        {
            if (!IsWindows && UnixFile.EntryStatus(path) is (int Mode, uint) entry && (entry.Mode & TypeMask) != Regular) return false;
            var info = new FileInfo(path);
            return info.Exists && (info.Attributes & (FileAttributes.Directory | FileAttributes.ReparsePoint | FileAttributes.Device)) == 0 && info.Length <= MaxFileBytes;
        }

        /// <summary>
        /// The key=value lines of a file there (the last of a key wins), or null when it is missing, no regular bounded
        /// file (a FIFO would hang the read, a link would read what it names, a big file is none of ours), or unreadable.
        /// </summary>
        public static Dictionary<string, string>? ReadValues(string path)
        {
            string[] lines;
            try
            {
                if (!File.Exists(path) || !IsRegularFile(path)) return null;
                lines = File.ReadAllLines(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
            return lines.Select(l => l.Split(EqualsSign, 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        }

        /// <summary>
        /// Writes <paramref name="lines"/> to <paramref name="path"/> in one step: a temporary file made anew (O_EXCL, so
        /// a link left in its place is not followed) and flushed to disk, then renamed over the entry itself. The
        /// temporary file is this writer's own (named by process and a random part), so two writers of one record at
        /// once (two processes keeping a token for the same system user) neither remove nor rename each other's; the
        /// last rename wins, whole.
        /// </summary>
        public static void WriteNew(string path, IEnumerable<string> lines)
        {
            Prepare();
            string temp = string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}.tmp", path, ProcessId, Guid.NewGuid().ToString("N").Substring(0, 8));
            try
            {
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
                    file.Write(bytes, 0, bytes.Length);
                    file.Flush(flushToDisk: true);
                }
                RenameOver(temp, path);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        // Replace needs the entry there and Move (without overwrite, on .NET Framework) needs it absent: another writer
        // may make or remove it between the look and the rename, so the other way is tried then.
        private static void RenameOver(string temp, string path)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    if (File.Exists(path)) File.Replace(temp, path, null, ignoreMetadataErrors: true);
                    else File.Move(temp, path);
                    return;
                }
                catch (IOException) when (attempt < 4 && File.Exists(temp))
                {
                }
            }
        }

        private static void MakePrivate(string folder)
        {
            if (System.IO.Directory.Exists(folder) || File.Exists(folder)) return;
            System.IO.Directory.CreateDirectory(folder);
            if (!IsWindows) UnixFile.SetPermissions(folder, 0x1C0); // 0700
        }

        private static void CheckFolder(string folder)
        {
            if (!(UnixFile.EntryStatus(folder) is (int Mode, uint User) entry)) return; // no shim: nothing more can be told
            uint me = UnixFile.EffectiveUser();
            string? problem =
                (entry.Mode & TypeMask) != Directory ? "is not a folder of its own (a symbolic link, or a file)"
                : entry.User != me && entry.User != 0 ? string.Format(CultureInfo.InvariantCulture, "belongs to user {0}, not to this process's user ({1})", entry.User, me)
                : (entry.Mode & GroupOrOthersWrite) != 0 ? string.Format(CultureInfo.InvariantCulture, "can be written by other users (mode {0})", Convert.ToString(entry.Mode & 0xFFF, 8))
                : null;
            if (problem == null) return;
            throw new StateFolderUnsafeException(string.Format(CultureInfo.InvariantCulture,
                "The state folder '{0}' {1}: another user could place links there for this process's writes to follow, so it is not used. " +
                "Make it yours and private (chown {2} '{0}'; chmod 700 '{0}'), or set {3} to a folder of your own.", folder, problem, me, Variable));
        }
    }
}
