using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// What outlives a process whose $WaUnsavedToken held a token it could not save (pwsh -File from cron, a runbook):
    /// a small file in the state folder, one per system user and app, naming the token by its fingerprint, when it was
    /// kept and the save it was meant for. Never the token's text: Meta keeps the token, and gives the system user's
    /// latest one back, so the next New-WaToken for that system user and app takes it instead of making a second one.
    /// </summary>
    public sealed class UnsavedTokenRecord
    {
        public string Fingerprint { get; set; } = string.Empty;

        public string SystemUserId { get; set; } = string.Empty;

        public string AppId { get; set; } = string.Empty;

        /// <summary>Unix seconds, by this machine's clock.</summary>
        public long KeptAt { get; set; }

        /// <summary>The Save-WaToken arguments the token was meant for, as the save's error gave them.</summary>
        public string SaveArguments { get; set; } = string.Empty;

        public DateTimeOffset KeptAtTime => DateTimeOffset.FromUnixTimeSeconds(KeptAt);

        /// <summary>The file for <paramref name="key"/> (a culture-free key of endpoint, business, app and system user).</summary>
        public static string PathFor(string key) => StateFolder.FileFor(key, ".unsaved");

        /// <summary>The record for <paramref name="key"/>, or null when there is none or it is no regular, bounded file.</summary>
        public static UnsavedTokenRecord? Read(string key)
        {
            if (!(StateFolder.ReadValues(PathFor(key)) is Dictionary<string, string> values)) return null;
            string Get(string name) => values.TryGetValue(name, out var v) ? v : string.Empty;
            if (Get("fingerprint").Length == 0) return null;
            return new UnsavedTokenRecord
            {
                Fingerprint = Get("fingerprint"),
                SystemUserId = Get("systemUserId"),
                AppId = Get("appId"),
                KeptAt = long.TryParse(Get("keptAt"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var at) ? at : 0,
                SaveArguments = Get("save"),
            };
        }

        /// <summary>Writes the record for <paramref name="key"/>: made anew beside it, never through a link, then renamed.</summary>
        public void Write(string key)
        {
            string path = PathFor(key);
            var lines = new List<string>
            {
                "# Save-WaToken could not save this token: Meta holds it, the next New-WaToken for this system user and app takes it. No token text.",
                "fingerprint=" + Fingerprint,
                "systemUserId=" + SystemUserId,
                "appId=" + AppId,
                "keptAt=" + KeptAt.ToString(CultureInfo.InvariantCulture),
                "keptAtUtc=" + KeptAtTime.ToString("u", CultureInfo.InvariantCulture),
                "save=" + SaveArguments.Replace('\r', ' ').Replace('\n', ' '),
            };
            StateFolder.WriteNew(path, lines);
        }

        /// <summary>Removes the record for <paramref name="key"/>; only the one naming <paramref name="fingerprint"/> when given.</summary>
        public static void Remove(string key, string? fingerprint = null)
        {
            if (fingerprint != null && !(Read(key) is UnsavedTokenRecord record && string.Equals(record.Fingerprint, fingerprint, StringComparison.OrdinalIgnoreCase))) return;
            string path = PathFor(key);
            if (File.Exists(path)) File.Delete(path);
        }
    }
}
