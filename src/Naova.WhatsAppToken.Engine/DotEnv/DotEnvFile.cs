using System;
using System.IO;

namespace Naova.WhatsAppToken.Engine.DotEnv
{
    /// <summary>Reads a key from a dotenv file, and sets one with an atomic write (see <see cref="AtomicFile"/>).</summary>
    public static class DotEnvFile
    {
        /// <summary>The value of <paramref name="key"/> (its last assignment), or null when the file does not assign it.</summary>
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        public static string? Read(string path, string key) => Load(path).Get(key);

        public static DotEnvDocument Load(string path) => DotEnvDocument.Parse(File.ReadAllBytes(path));

        /// <summary>
        /// Sets <paramref name="key"/> in the file at <paramref name="path"/> (created when missing, owner-only on Unix)
        /// and writes it atomically: readers see the old file or the new one, never part of one. Nothing is written when
        /// the value is already there, or when <paramref name="noClobber"/> and the key exists. Exceptions never hold
        /// the value.
        /// </summary>
        public static DotEnvChange Set(string path, string key, string value, bool noClobber = false)
        {
            string target = AtomicFile.ResolveTarget(path);
            bool exists = File.Exists(target);
            var document = exists ? Load(target) : DotEnvDocument.Parse(Array.Empty<byte>());
            var change = document.Set(key, value, noClobber);
            change.CreatedFile = !exists;
            if (change.Kind == DotEnvChangeKind.Added || change.Kind == DotEnvChangeKind.Replaced)
                AtomicFile.WriteAllBytes(target, document.ToBytes());
            return change;
        }
    }
}
