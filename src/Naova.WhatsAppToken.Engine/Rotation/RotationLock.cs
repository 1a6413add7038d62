using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// One rotation of a secret at a time, across processes: an exclusive lock on a file (FileShare.None, which .NET
    /// makes an flock on Unix), released when the process ends, even by kill -9. A second run waits, bounded by the caller.
    /// </summary>
    public sealed class RotationLock : IDisposable
    {
        private readonly FileStream _file;

        private RotationLock(FileStream file) => _file = file;

        /// <summary>The lock, or null with who holds it when <paramref name="wait"/> passed; <paramref name="waiting"/> is told once when it must wait.</summary>
        public static RotationLock? Take(string place, TimeSpan wait, Action<string> waiting, CancellationToken ct, out string holder)
        {
            string path = StateFolder.FileFor(place, ".lock");
            StateFolder.Prepare();
            var deadline = DateTime.UtcNow + wait;
            holder = string.Empty;
            bool told = false;
            while (true)
            {
                try
                {
                    var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    // Who holds it goes in a file beside the lock: the lock itself can not be read while it is held
                    // (on Unix FileShare.None is an exclusive flock, which a reader's shared one waits on).
                    try
                    {
                        // Made anew, never opened where it is: O_EXCL does not follow a link put in its place.
                        string owner = path + ".owner";
                        File.Delete(owner);
                        using (var text = new StreamWriter(new FileStream(owner, FileMode.CreateNew, FileAccess.Write, FileShare.None)))
                            text.Write(Environment.MachineName + " pid " + StateFolder.ProcessId
                                + " since " + DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture) + "\n");
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                    }
                    return new RotationLock(file);
                }
                catch (IOException)
                {
                    holder = ReadHolder(path + ".owner");
                    if (DateTime.UtcNow >= deadline || ct.IsCancellationRequested) return null;
                    if (!told) waiting(holder);
                    told = true;
                    ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                }
            }
        }

        private static string ReadHolder(string path)
        {
            try
            {
                if (!StateFolder.IsRegularFile(path)) return "?";
                return File.ReadAllText(path).Trim();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return "?";
            }
        }

        public void Dispose() => _file.Dispose();
    }
}
