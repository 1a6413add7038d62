using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Where Update-WaToken keeps what must outlive its process: $NAOVA_WHATSAPPTOKEN_STATE when set, else
    /// %LOCALAPPDATA%\Naova.WhatsAppToken on Windows and $XDG_STATE_HOME/naova-whatsapptoken (~/.local/state/...)
    /// elsewhere. One lock file and one journal per stored secret, named by a hash of its place; no token text.
    /// </summary>
    internal static class StateFolder
    {
        public const string Variable = "NAOVA_WHATSAPPTOKEN_STATE";

        public static string Root
        {
            get
            {
                string? set = Environment.GetEnvironmentVariable(Variable);
                if (!string.IsNullOrEmpty(set)) return set!;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
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
    }

    /// <summary>
    /// One rotation of a secret at a time, across processes: an exclusive lock on a file (FileShare.None, which .NET
    /// makes an flock on Unix), released when the process ends, even by kill -9. A second run waits, bounded by the caller.
    /// </summary>
    internal sealed class RotationLock : IDisposable
    {
        private readonly FileStream _file;

        private RotationLock(FileStream file) => _file = file;

        /// <summary>The lock, or null with who holds it when <paramref name="wait"/> passed; <paramref name="waiting"/> is told once when it must wait.</summary>
        public static RotationLock? Take(string place, TimeSpan wait, Action<string> waiting, CancellationToken ct, out string holder)
        {
            string path = StateFolder.FileFor(place, ".lock");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
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
                        File.WriteAllText(path + ".owner", Environment.MachineName + " pid " + System.Diagnostics.Process.GetCurrentProcess().Id
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
                return File.ReadAllText(path).Trim();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return "?";
            }
        }

        public void Dispose() => _file.Dispose();
    }

    /// <summary>What an earlier run asked of Meta for a secret, and how far it got; never the token's text.</summary>
    internal sealed class JournalEntry
    {
        public string Place { get; set; } = string.Empty;

        public string Step { get; set; } = string.Empty;

        public string SystemUserId { get; set; } = string.Empty;

        public string AppId { get; set; } = string.Empty;

        public string[] Scopes { get; set; } = Array.Empty<string>();

        /// <summary>When the token was asked for, in Meta's clock (Unix seconds).</summary>
        public long AskedAt { get; set; }

        /// <summary>The fingerprint of the new token, once Meta answered.</summary>
        public string? Fingerprint { get; set; }

        /// <summary>The token being replaced.</summary>
        public string? Replacing { get; set; }
    }

    /// <summary>
    /// The journal of one secret's rotation: a small text file written (and flushed to disk) before the token is asked
    /// for and after each step, and removed when the rotation ends. A later run reads it to store or name the token an
    /// interrupted run left at Meta.
    /// </summary>
    internal sealed class RotationJournal
    {
        public const string Asked = "Asked", Made = "Made", Stored = "Stored";

        private readonly string _path;

        public RotationJournal(string place) => _path = StateFolder.FileFor(place, ".journal");

        public string Path => _path;

        public JournalEntry? Read()
        {
            string[] lines;
            try
            {
                if (!File.Exists(_path)) return null;
                lines = File.ReadAllLines(_path);
            }
            catch (IOException)
            {
                return null;
            }
            var values = lines.Select(l => l.Split(new[] { '=' }, 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
            string Get(string key) => values.TryGetValue(key, out var v) ? v : string.Empty;
            if (Get("step").Length == 0) return null;
            return new JournalEntry
            {
                Place = Get("place"),
                Step = Get("step"),
                SystemUserId = Get("systemUserId"),
                AppId = Get("appId"),
                Scopes = Get("scopes").Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries),
                AskedAt = long.TryParse(Get("askedAt"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var at) ? at : 0,
                Fingerprint = Get("fingerprint").Length > 0 ? Get("fingerprint") : null,
                Replacing = Get("replacing").Length > 0 ? Get("replacing") : null,
            };
        }

        public void Write(JournalEntry entry)
        {
            var lines = new List<string>
            {
                "# Update-WaToken journal: what was asked of Meta for this secret. It holds no token; a later run reads it.",
                "place=" + entry.Place.Replace('\n', ' '),
                "step=" + entry.Step,
                "systemUserId=" + entry.SystemUserId,
                "appId=" + entry.AppId,
                "scopes=" + string.Join(",", entry.Scopes),
                "askedAt=" + entry.AskedAt.ToString(CultureInfo.InvariantCulture),
                "askedAtUtc=" + DateTimeOffset.FromUnixTimeSeconds(entry.AskedAt).ToString("u", CultureInfo.InvariantCulture),
                "fingerprint=" + (entry.Fingerprint ?? string.Empty),
                "replacing=" + (entry.Replacing ?? string.Empty),
                "pid=" + System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture),
            };
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            string temp = _path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                byte[] bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
                file.Write(bytes, 0, bytes.Length);
                file.Flush(flushToDisk: true);
            }
            if (File.Exists(_path)) File.Replace(temp, _path, null, ignoreMetadataErrors: true);
            else File.Move(temp, _path);
        }

        public void Clear()
        {
            try
            {
                if (File.Exists(_path)) File.Delete(_path);
            }
            catch (IOException)
            {
            }
        }
    }
}
