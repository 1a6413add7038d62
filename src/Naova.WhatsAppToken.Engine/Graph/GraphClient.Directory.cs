using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>One thing of the business that tab completion offers: its id, its name, and a word on it.</summary>
    public sealed class DirectoryEntry
    {
        public DirectoryEntry(string id, string? name, string? detail)
        {
            Id = id;
            Name = name;
            Detail = detail;
        }

        public string Id { get; }

        public string? Name { get; }

        /// <summary>A system user's role, or "owned"/"client" for an app or account.</summary>
        public string? Detail { get; }
    }

    /// <summary>The business's system users, apps and WhatsApp Business Accounts (the first page of each), read at once.</summary>
    public sealed class BusinessDirectory
    {
        public IReadOnlyList<DirectoryEntry> SystemUsers { get; internal set; } = Array.Empty<DirectoryEntry>();

        public IReadOnlyList<DirectoryEntry> Apps { get; internal set; } = Array.Empty<DirectoryEntry>();

        public IReadOnlyList<DirectoryEntry> WhatsAppAccounts { get; internal set; } = Array.Empty<DirectoryEntry>();
    }

    public sealed partial class GraphClient
    {
        /// <summary>
        /// Everything tab completion offers, in one HTTP request: a batch of the five list reads (system users, owned
        /// and client apps, owned and client WhatsApp Business Accounts), the first page of each. A read Meta refuses
        /// inside the batch leaves its list empty; a refused batch is a GraphApiException, as any call's failure.
        /// </summary>
        public async Task<BusinessDirectory> GetDirectoryAsync(CancellationToken ct)
        {
            string business = _connection.BusinessId;
            var reads = new[]
            {
                business + "/system_users?fields=id,name,role&limit=100",
                business + "/owned_apps?fields=id,name&limit=100",
                business + "/client_apps?fields=id,name&limit=100",
                business + "/owned_whatsapp_business_accounts?fields=id,name&limit=100",
                business + "/client_whatsapp_business_accounts?fields=id,name&limit=100",
            };
            string batch = JsonSerializer.Serialize(reads.Select(r => new Dictionary<string, string> { ["method"] = "GET", ["relative_url"] = r }));
            JsonElement[] items;
            using (var doc = await SendAsync("GetDirectory", true,
                (token, proof, c) => _api.Batch(_version, Form(proof, ("batch", batch), ("include_headers", "false")), token, c), ct).ConfigureAwait(false))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array) throw Unexpected("GetDirectory", "something other than an array");
                items = doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
            }
            List<DirectoryEntry> Read(int index, string? detail, string detailField = "")
            {
                var list = new List<DirectoryEntry>();
                if (index >= items.Length || items[index].ValueKind != JsonValueKind.Object) return list;
                if (!items[index].TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number || code.GetInt32() != 200) return list;
                if (!items[index].TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String) return list;
                try
                {
                    using (var page = JsonDocument.Parse(body.GetString()!))
                    {
                        if (!page.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return list;
                        foreach (var entry in data.EnumerateArray())
                        {
                            string? id = entry.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                            if (string.IsNullOrEmpty(id)) continue;
                            string? name = entry.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                            string? word = detailField.Length > 0 && entry.TryGetProperty(detailField, out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : detail;
                            list.Add(new DirectoryEntry(id!, name, word));
                        }
                    }
                }
                catch (JsonException)
                {
                    list.Clear();
                }
                return list;
            }
            IReadOnlyList<DirectoryEntry> Merge(List<DirectoryEntry> owned, List<DirectoryEntry> client) =>
                owned.Concat(client.Where(c => owned.All(o => o.Id != c.Id))).ToArray();
            return new BusinessDirectory
            {
                SystemUsers = Read(0, null, "role"),
                Apps = Merge(Read(1, "owned"), Read(2, "client")),
                WhatsAppAccounts = Merge(Read(3, "owned"), Read(4, "client")),
            };
        }
    }
}
