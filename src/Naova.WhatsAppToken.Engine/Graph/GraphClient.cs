using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Naova.WhatsAppToken.Engine.Tokens;
using Refit;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// The Graph operations this module needs, over the Refit interface. Public surface uses only this
    /// assembly's types and the BCL, so Refit and System.Text.Json stay private to the module.
    /// </summary>
    public sealed partial class GraphClient : IDisposable
    {
        private const int MaxPages = 200;
        private static readonly JsonSerializerOptions Json = GraphJsonContext.CreateOptions();

        private readonly GraphConnectionInfo _connection;
        private readonly GraphTransport _transport;
        private readonly bool _ownsTransport;
        private readonly HttpClient _http;
        private readonly IGraphApi _api;
        private readonly GraphCallPolicy _policy;
        private readonly IGraphLog _log;
        private readonly string _version;

        /// <summary>A client with a transport of its own, disposed with it.</summary>
        public GraphClient(GraphConnectionInfo connection, HttpMessageHandler? handler = null, IGraphLog? log = null)
            : this(new GraphTransport((connection ?? throw new ArgumentNullException(nameof(connection))).Settings, handler), connection, log, ownsTransport: true)
        {
        }

        /// <summary>
        /// A client over a connection's shared transport (its HTTP connection, proxy and pipelines), with this caller's
        /// log. Cheap: one per command. Disposing it leaves the transport alone.
        /// </summary>
        public GraphClient(GraphTransport transport, GraphConnectionInfo connection, IGraphLog? log = null)
            : this(transport, connection, log, ownsTransport: false)
        {
        }

        private GraphClient(GraphTransport transport, GraphConnectionInfo connection, IGraphLog? log, bool ownsTransport)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
            if (!ReferenceEquals(transport.Settings, connection.Settings))
                throw new ArgumentException("The transport was made for other settings than the connection's.", nameof(transport));
            _ownsTransport = ownsTransport;
            _log = log ?? NullGraphLog.Instance;
            _version = connection.Settings.ApiVersion;
            _http = transport.Http;
            _api = transport.Api;
            _policy = transport.Policy;
        }

        public GraphConnectionInfo Connection => _connection;

        public async Task<IReadOnlyList<SystemUserInfo>> ListSystemUsersAsync(CancellationToken ct)
        {
            var all = new List<SystemUserInfo>();
            string? after = null;
            for (int page = 0; page < MaxPages; page++)
            {
                string cursor = after ?? string.Empty;
                // created_time is a SystemUser field (Meta's SystemUser.json, in the emulator's Specs/), and the edge returns SystemUser objects.
                var result = await CallAsync<GraphPage<SystemUserInfo>>("ListSystemUsers", true,
                    (token, proof, c) => _api.ListSystemUsers(_version, _connection.BusinessId, "id,name,role,created_time", 100, cursor.Length == 0 ? null : cursor, proof, token, c), ct).ConfigureAwait(false);
                // New-WaSystemUser decides from this list whether to create: a list it can not trust must fail, not read as empty.
                var users = DataOf(result, "ListSystemUsers");
                if (users.Any(u => string.IsNullOrEmpty(u.Id))) throw Unexpected("ListSystemUsers", "a system user without an id");
                all.AddRange(users);
                after = NextCursor(result.Paging);
                if (after == null) break;
            }
            return all;
        }

        /// <summary>Reads the business's name: proves the token, the proof and the business id in one call.</summary>
        public async Task<string?> GetBusinessNameAsync(CancellationToken ct)
        {
            var business = await CallAsync<AppInfo>("GetBusiness", true,
                (token, proof, c) => _api.GetObject(_version, _connection.BusinessId, "id,name", proof, token, c), ct).ConfigureAwait(false);
            return business.Name;
        }

        /// <summary>The connection's app, read by its id: proves the app exists and this token can see it.</summary>
        public async Task<string?> GetAppNameAsync(CancellationToken ct)
        {
            var app = await CallAsync<AppInfo>("GetApp", true,
                (token, proof, c) => _api.GetObject(_version, _connection.AppId, "id,name", proof, token, c), ct).ConfigureAwait(false);
            return !string.IsNullOrEmpty(app.Id) ? app.Name : throw Unexpected("GetApp", "no id");
        }

        /// <summary>
        /// A system user with its role. SystemUser.json has no role field (asking for one is error 100): the node is asked
        /// for its own fields, and the role is read from the business's list edge, which adds it to each item.
        /// </summary>
        public async Task<SystemUserInfo> GetSystemUserAsync(string systemUserId, CancellationToken ct)
        {
            var user = await CallAsync<SystemUserInfo>("GetSystemUser", true,
                (token, proof, c) => _api.GetObject(_version, systemUserId, "id,name,created_time", proof, token, c), ct).ConfigureAwait(false);
            if (string.IsNullOrEmpty(user.Id)) throw Unexpected("GetSystemUser", "no id");
            var listed = (await ListSystemUsersAsync(ct).ConfigureAwait(false)).FirstOrDefault(u => u.Id == user.Id);
            user.Role = listed?.Role;
            return user;
        }

        /// <summary>Creates a system user; answers its app-scoped id.</summary>
        public async Task<string> CreateSystemUserAsync(string name, string role, CancellationToken ct)
        {
            var created = await CallAsync<IdAnswer>("CreateSystemUser", false,
                (token, proof, c) => _api.CreateSystemUser(_version, _connection.BusinessId, Form(proof, ("name", name), ("role", role)), token, c), ct).ConfigureAwait(false);
            return RequireId(created.Id, "CreateSystemUser");
        }

        public Task InstallAppAsync(string systemUserId, string appId, CancellationToken ct) =>
            CallAsync<JsonElement>("InstallApp", true,
                (token, proof, c) => _api.InstallApp(_version, systemUserId, Form(proof, ("business_app", appId)), token, c), ct);

        public Task<IReadOnlyList<AssignedApp>> GetAssignedAppsAsync(string systemUserId, CancellationToken ct) =>
            GetEdgeAsync<AssignedApp>("GetAssignedApps", systemUserId, "assigned_apps", "id,name,tasks", null, ct);

        public Task AssignWhatsAppAccountAsync(string wabaId, string userId, IReadOnlyList<string> tasks, CancellationToken ct) =>
            CallAsync<JsonElement>("AssignWhatsAppAccount", true,
                (token, proof, c) => _api.AssignUser(_version, wabaId, Form(proof, ("user", userId), ("tasks", JsonSerializer.Serialize(tasks))), token, c), ct);

        public Task UnassignWhatsAppAccountAsync(string wabaId, string userId, CancellationToken ct) =>
            CallAsync<JsonElement>("UnassignWhatsAppAccount", true,
                (token, proof, c) => _api.UnassignUser(_version, wabaId, userId, proof, token, c), ct);

        public Task<IReadOnlyList<AssignedUser>> GetWhatsAppAccountUsersAsync(string wabaId, CancellationToken ct) =>
            GetEdgeAsync<AssignedUser>("GetWhatsAppAccountUsers", wabaId, "assigned_users", "id,name,tasks", _connection.BusinessId, ct);

        /// <summary>The businesses a person belongs to, with the person's role in each (ADMIN, EMPLOYEE, ...).</summary>
        public Task<IReadOnlyList<BusinessUserInfo>> GetBusinessUsersOfAsync(string userId, CancellationToken ct) =>
            GetEdgeAsync<BusinessUserInfo>("GetBusinessUsers", userId, "business_users", "business,role", null, ct);

        public Task<IReadOnlyList<WhatsAppAccountInfo>> GetAssignedWhatsAppAccountsAsync(string systemUserId, CancellationToken ct) =>
            GetEdgeAsync<WhatsAppAccountInfo>("GetAssignedWhatsAppAccounts", systemUserId, "assigned_whatsapp_business_accounts", "id,name,tasks", null, ct);

        /// <summary>The business's own WABAs and its clients' WABAs.</summary>
        public async Task<IReadOnlyList<WhatsAppAccountInfo>> GetBusinessWhatsAppAccountsAsync(CancellationToken ct)
        {
            var owned = await GetEdgeAsync<WhatsAppAccountInfo>("GetOwnedWhatsAppAccounts", _connection.BusinessId, "owned_whatsapp_business_accounts", "id,name,account_review_status", null, ct).ConfigureAwait(false);
            var client = await GetEdgeAsync<WhatsAppAccountInfo>("GetClientWhatsAppAccounts", _connection.BusinessId, "client_whatsapp_business_accounts", "id,name,account_review_status", null, ct).ConfigureAwait(false);
            return owned.Concat(client.Where(c => owned.All(o => o.Id != c.Id))).ToArray();
        }

        public async Task<IReadOnlyList<AppInfo>> GetBusinessAppsAsync(CancellationToken ct)
        {
            var owned = await GetEdgeAsync<AppInfo>("GetOwnedApps", _connection.BusinessId, "owned_apps", "id,name", null, ct).ConfigureAwait(false);
            var client = await GetEdgeAsync<AppInfo>("GetClientApps", _connection.BusinessId, "client_apps", "id,name", null, ct).ConfigureAwait(false);
            return owned.Concat(client.Where(c => owned.All(o => o.Id != c.Id))).ToArray();
        }

        public Task<IReadOnlyList<PhoneNumberInfo>> GetPhoneNumbersAsync(string wabaId, CancellationToken ct) =>
            GetEdgeAsync<PhoneNumberInfo>("GetPhoneNumbers", wabaId, "phone_numbers", "id,display_phone_number,verified_name,quality_rating,code_verification_status,status", null, ct);

        /// <summary>Revokes every token of a system user.</summary>
        public Task RevokeAllTokensAsync(string systemUserId, CancellationToken ct) =>
            CallAsync<JsonElement>("RevokeAllAccessTokens", true,
                (token, proof, c) => _api.RevokeAllAccessTokens(_version, systemUserId, proof, token, c), ct);

        public void Dispose()
        {
            if (_ownsTransport) _transport.Dispose();
        }

        private async Task<IReadOnlyList<T>> GetEdgeAsync<T>(string operation, string objectId, string edge, string fields, string? business, CancellationToken ct)
        {
            var all = new List<T>();
            string? after = null;
            for (int page = 0; page < MaxPages; page++)
            {
                string? cursor = after;
                var result = await CallAsync<GraphPage<T>>(operation, true,
                    (token, proof, c) => _api.GetEdge(_version, objectId, edge, fields, 100, cursor, business, proof, token, c), ct).ConfigureAwait(false);
                all.AddRange(DataOf(result, operation));
                after = NextCursor(result.Paging);
                if (after == null) break;
            }
            return all;
        }

        /// <summary>
        /// The cursor of the next page, or null on the last one. A `next` link says there is one; its cursor is in
        /// `cursors.after`, or, where Graph gives the link without cursors, in the link's own `after`. Only the cursor is
        /// taken from the link: the link itself is never followed (it would carry the proof to whatever host it names).
        /// </summary>
        internal static string? NextCursor(GraphPaging? paging)
        {
            if (paging == null || string.IsNullOrEmpty(paging.Next)) return null;
            if (!string.IsNullOrEmpty(paging.Cursors?.After)) return paging.Cursors!.After;
            if (!Uri.TryCreate(paging.Next, UriKind.Absolute, out var next)) return null;
            foreach (string part in next.Query.TrimStart('?').Split('&'))
            {
                int eq = part.IndexOf('=');
                if (eq > 0 && Uri.UnescapeDataString(part.Substring(0, eq)) == "after")
                {
                    string cursor = Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                    return cursor.Length > 0 ? cursor : null;
                }
            }
            return null;
        }

        /// <summary>An edge's items, null items dropped; an answer without a data list is an error, never an empty list.</summary>
        private static IEnumerable<T> DataOf<T>(GraphPage<T> page, string operation) =>
            page.Data?.Where(item => item != null) ?? throw Unexpected(operation, "no data list");

        private static string RequireId(string? id, string operation) =>
            !string.IsNullOrEmpty(id) ? id! : throw Unexpected(operation, "no id");

        private static Dictionary<string, string> Form(string? proof, params (string Key, string Value)[] fields)
        {
            var form = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in fields) form[key] = value;
            if (proof != null) form["appsecret_proof"] = proof;
            return form;
        }

        private sealed class IdAnswer
        {
            [System.Text.Json.Serialization.JsonPropertyName("id")] public string? Id { get; set; }
        }
    }
}
