using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// The journal of one secret's rotation: a small text file written (and flushed to disk) before the token is asked
    /// for and after each step, and removed when the rotation ends. A later run reads it to store or name the token an
    /// interrupted run left at Meta.
    /// </summary>
    public sealed class RotationJournal
    {
        private static readonly char[] Comma = { ',' };

        public const string Asked = "Asked", Made = "Made", Stored = "Stored";

        private readonly string _path;

        public RotationJournal(string place) => _path = StateFolder.FileFor(place, ".journal");

        public string Path => _path;

        public JournalEntry? Read()
        {
            // Checked as a .env is: a FIFO would hang the read, a link would read what it names, a big file is no journal.
            if (!(StateFolder.ReadValues(_path) is Dictionary<string, string> values)) return null;
            string Get(string key) => values.TryGetValue(key, out var v) ? v : string.Empty;
            if (Get("step").Length == 0) return null;
            return new JournalEntry
            {
                Place = Get("place"),
                Step = Get("step"),
                SystemUserId = Get("systemUserId"),
                AppId = Get("appId"),
                Scopes = Get("scopes").Split(Comma, StringSplitOptions.RemoveEmptyEntries),
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
                "pid=" + StateFolder.ProcessId.ToString(CultureInfo.InvariantCulture),
            };
            StateFolder.WriteNew(_path, lines);
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
