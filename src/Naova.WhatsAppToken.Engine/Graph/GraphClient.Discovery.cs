using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>Whether the business owns an asset or a client business shared it with it.</summary>
    public enum AssetOwnership
    {
        Owned,
        Client,
    }

    /// <summary>
    /// Discovery: the business's WhatsApp Business Accounts and apps, each list read by ownership so a caller can say
    /// which are the business's own and which a client shared, with what an admin looks for before granting them.
    /// </summary>
    public sealed partial class GraphClient
    {
        private const string WhatsAppAccountFields = "id,name,account_review_status,currency,owner_business_info";

        public async Task<IReadOnlyList<WhatsAppAccountDetails>> GetWhatsAppAccountsAsync(AssetOwnership ownership, CancellationToken ct)
        {
            bool owned = ownership == AssetOwnership.Owned;
            var accounts = await GetEdgeAsync<WhatsAppAccountDetails>(owned ? "GetOwnedWhatsAppAccounts" : "GetClientWhatsAppAccounts",
                _connection.BusinessId, owned ? "owned_whatsapp_business_accounts" : "client_whatsapp_business_accounts", WhatsAppAccountFields, null, ct).ConfigureAwait(false);
            foreach (var account in accounts) account.Ownership = ownership;
            return accounts.Where(a => !string.IsNullOrEmpty(a.Id)).ToArray();
        }

        public async Task<IReadOnlyList<BusinessAppInfo>> GetAppsAsync(AssetOwnership ownership, CancellationToken ct)
        {
            bool owned = ownership == AssetOwnership.Owned;
            var apps = await GetEdgeAsync<BusinessAppInfo>(owned ? "GetOwnedApps" : "GetClientApps",
                _connection.BusinessId, owned ? "owned_apps" : "client_apps", "id,name", null, ct).ConfigureAwait(false);
            foreach (var app in apps) app.Ownership = ownership;
            return apps.Where(a => !string.IsNullOrEmpty(a.Id)).ToArray();
        }
    }
}
