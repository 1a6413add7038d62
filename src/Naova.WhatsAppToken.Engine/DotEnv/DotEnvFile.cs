using System;
using System.Collections.Generic;
using System.IO;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>Reads a key from a dotenv file, and sets one with an atomic write (see <see cref="AtomicFile"/>).</summary>
    public static class DotEnvFile
    {
        /// <summary>The value of <paramref name="key"/> (its last assignment), or null when the file does not assign it.</summary>
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        public static string? Read(string path, string key) => Load(path).Get(key);

        /// <summary>More than any .env holds: a file that is larger, or never ends (a device such as /dev/zero), is refused, not read into memory.</summary>
        public const int MaxBytes = 4 * 1024 * 1024;

        /// <exception cref="DotEnvNotAFileException">The file is larger than <see cref="MaxBytes"/>, or never ends.</exception>
        public static DotEnvDocument Load(string path)
        {
            RefuseDanglingLink(path, AtomicFile.ResolveTarget(path), folderOnly: false);
            if (EnvFile.KindOf(path) == EnvFileKind.NotRegular) throw new IOException("The path is not a regular file.");
            return DotEnvDocument.Parse(ReadCapped(path));
        }

        /// <summary>
        /// Refuses, before anything is asked of Meta, a link whose target's folder is not there: a write could not create
        /// the target through it.
        /// </summary>
        /// <exception cref="DotEnvLinkException">The link and the target it names.</exception>
        public static void RefuseDanglingLink(string path) => RefuseDanglingLink(path, AtomicFile.ResolveTarget(path), folderOnly: true);

        /// <summary>
        /// A link to a file that is not there is said as such, not as a missing file or folder of the link's own name. A
        /// write creates the file through the link when the folder it names is there (<paramref name="folderOnly"/>).
        /// </summary>
        private static void RefuseDanglingLink(string path, string target, bool folderOnly)
        {
            if (string.Equals(target, Path.GetFullPath(path), StringComparison.Ordinal) || File.Exists(target) || Directory.Exists(target)) return;
            if (folderOnly && Directory.Exists(Path.GetDirectoryName(target))) return;
            throw DotEnvLinkException.Dangling(path, target);
        }

        private static byte[] ReadCapped(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[81920];
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (buffer.Length + read > MaxBytes)
                        throw new DotEnvNotAFileException("The file is larger than " + (MaxBytes / (1024 * 1024)) + " MB or never ends (a device?): it is not a .env file.");
                    buffer.Write(chunk, 0, read);
                }
                return buffer.ToArray();
            }
        }

        /// <summary>
        /// Sets <paramref name="key"/> in the file at <paramref name="path"/> (created when missing, owner-only on Unix)
        /// and writes it atomically: readers see the old file or the new one, never part of one. Nothing is written when
        /// the value is already there, or when <paramref name="noClobber"/> and the key exists. Exceptions never hold
        /// the value.
        /// </summary>
        public static DotEnvChange Set(string path, string key, string value, bool noClobber = false)
        {
            string target = AtomicFile.ResolveTarget(path);
            RefuseDanglingLink(path, target, folderOnly: true);
            // Never read a FIFO (it blocks) nor replace a device node or a read-only file by the rename.
            if (EnvFile.KindOf(target) == EnvFileKind.NotRegular) throw new IOException("The path is not a regular file.");
            if (EnvFile.IsReadOnly(target)) throw new UnauthorizedAccessException("The file is read-only.");
            bool exists = File.Exists(target);
            var document = exists ? Load(target) : DotEnvDocument.Parse(Array.Empty<byte>());
            var change = document.Set(key, value, noClobber);
            change.CreatedFile = !exists;
            if (change.Kind == DotEnvChangeKind.Added || change.Kind == DotEnvChangeKind.Replaced)
                AtomicFile.WriteAllBytes(target, document.ToBytes());
            return change;
        }
    }

    /// <summary>A symbolic link that never reaches a file (a loop), or names one that is not there.</summary>
    public sealed class DotEnvLinkException : IOException
    {
        private DotEnvLinkException(string message, string link, string target, bool isLoop)
            : base(message)
        {
            Link = link;
            Target = target;
            IsLoop = isLoop;
        }

        /// <summary>The path given.</summary>
        public string Link { get; }

        /// <summary>The missing file the link names; for a loop, the chain followed ("a -> b -> a").</summary>
        public string Target { get; }

        public bool IsLoop { get; }

        internal static DotEnvLinkException Loop(string link, IEnumerable<string> chain)
        {
            string followed = string.Join(" -> ", chain);
            return new DotEnvLinkException("Too many levels of symbolic links: " + followed, link, followed, isLoop: true);
        }

        internal static DotEnvLinkException Dangling(string link, string target) =>
            new DotEnvLinkException("The symbolic link names a file that does not exist: " + target, link, target, isLoop: false);
    }

    /// <summary>What is at the path is no .env file: larger than any, or a device that never ends (/dev/zero, /dev/full).</summary>
    public sealed class DotEnvNotAFileException : IOException
    {
        public DotEnvNotAFileException(string message)
            : base(message)
        {
        }
    }
}
