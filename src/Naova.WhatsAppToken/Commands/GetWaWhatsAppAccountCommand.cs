using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the business's WhatsApp Business Accounts, owned and shared by clients, with their phone numbers.</para>
    /// <para type="description">Reads the business's own WhatsApp Business Accounts and those its clients shared with it, then each account's phone numbers (id, display number, verified name, quality rating, status), so nobody has to dig ids out of Business Settings. The output's WhatsAppBusinessAccountId pipes into Grant-WaAssets -WhatsAppBusinessAccount. The connection's token only lists the accounts it can see: an Admin system user sees every account of the business, an Employee only those granted to it.</para>
    /// <example title="List the business's WhatsApp Business Accounts and their phone numbers">
    ///   <code>Get-WaWhatsAppAccount</code>
    ///   <para>Lists every WhatsApp Business Account of the connected business, with ownership, review status and phone numbers.</para>
    /// </example>
    /// <example title="Grant a system user the business's own accounts">
    ///   <code>Get-WaWhatsAppAccount -Name 'Naova*' -Ownership Owned | Grant-WaAssets -SystemUserId 100089234561300 -Task MANAGE</code>
    ///   <para>Grants a system user MANAGE on the business's own accounts whose names start with Naova.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WaWhatsAppAccount", DefaultParameterSetName = ByNameSet, HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaWhatsAppAccount))]
    public sealed class GetWaWhatsAppAccountCommand : WaGraphCmdlet
    {
        private const string ByNameSet = "ByName";
        private const string ByIdSet = "ById";

        private readonly Dictionary<WaConnection, List<WaWhatsAppAccount>> _listed = new Dictionary<WaConnection, List<WaWhatsAppAccount>>();

        /// <summary><para type="description">Account names to list; wildcards allowed. All when omitted. A name without wildcards that matches nothing is an error.</para></summary>
        [Parameter(Position = 0, ParameterSetName = ByNameSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.WhatsAppAccountNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary><para type="description">WhatsApp Business Account ids to get; binds from the WhatsAppBusinessAccountId of Grant-WaAssets' account grants. An id the business does not have is an error.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("WhatsAppBusinessAccount", "WabaId", "Waba")]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.WhatsAppAccountCompleter))]
        public string[] WhatsAppBusinessAccountId { get; set; } = Array.Empty<string>();

        /// <summary><para type="description">Owned (the business's own accounts), Client (accounts clients shared with it), or both (default).</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public WaAssetOwnership[]? Ownership { get; set; }

        /// <summary><para type="description">Skips reading phone numbers (one Graph call per account): PhoneNumbers is then empty (null). Useful for agencies with many client accounts, where those calls count against Meta's hourly limits.</para></summary>
        [Parameter]
        public SwitchParameter SkipPhoneNumber { get; set; }

        protected override void ProcessRecord()
        {
            var connection = RequireConnection();
            var client = ClientFor(connection);
            List<WaWhatsAppAccount> accounts;
            try
            {
                accounts = Listed(connection, client);
            }
            catch (GraphApiException ex)
            {
                WriteGraphError(ex, connection.BusinessId);
                return;
            }
            foreach (var account in Selected(accounts, connection)) Write(account, client);
        }

        private List<WaWhatsAppAccount> Listed(WaConnection connection, GraphClient client)
        {
            if (_listed.TryGetValue(connection, out var known)) return known;
            var accounts = new List<WaWhatsAppAccount>();
            foreach (var ownership in new[] { WaAssetOwnership.Owned, WaAssetOwnership.Client }.Where(o => Discovery.Wanted(Ownership, o)))
            {
                var read = Run(ct => client.GetWhatsAppAccountsAsync(Discovery.ToEngine(ownership), ct));
                // A client account is listed once even if Graph also lists it as owned.
                accounts.AddRange(read.Where(r => accounts.All(a => a.WhatsAppBusinessAccountId != r.Id)).Select(r => Account(r, connection)));
            }
            WriteVerbose(Messages.Get("Verbose.WhatsAppAccountsListed", accounts.Count, connection.BusinessId));
            _listed[connection] = accounts;
            return accounts;
        }

        private List<WaWhatsAppAccount> Selected(List<WaWhatsAppAccount> accounts, WaConnection connection)
        {
            if (ParameterSetName == ByIdSet)
            {
                var found = new List<WaWhatsAppAccount>();
                foreach (string id in WhatsAppBusinessAccountId)
                {
                    var account = accounts.FirstOrDefault(a => a.WhatsAppBusinessAccountId == id);
                    if (account != null) found.Add(account);
                    else WriteError(Discovery.NotFound("WhatsAppAccountNotFound",
                        Messages.Get("Error.WhatsAppAccountNotFound", id, connection.BusinessId), Messages.Get("Remedy.WhatsAppAccountNotFound"), id));
                }
                return found;
            }
            var named = Discovery.ByName(accounts, a => a.Name, Name, out var unmatched);
            foreach (string name in unmatched)
                WriteError(Discovery.NotFound("WhatsAppAccountNotFound",
                    Messages.Get("Error.WhatsAppAccountNameNotFound", name, connection.BusinessId), Messages.Get("Remedy.WhatsAppAccountNotFound"), name));
            return named;
        }

        private void Write(WaWhatsAppAccount listed, GraphClient client)
        {
            var account = listed.Clone();
            if (!SkipPhoneNumber)
            {
                var progress = new ProgressRecord(2, Messages.Get("Progress.Discovery.Activity", account.BusinessId),
                    Messages.Get("Progress.Discovery.PhoneNumbers", account.Name ?? account.WhatsAppBusinessAccountId));
                try
                {
                    WriteProgress(progress);
                    var numbers = Run(ct => client.GetPhoneNumbersAsync(account.WhatsAppBusinessAccountId, ct));
                    account.PhoneNumbers = numbers.Where(n => !string.IsNullOrEmpty(n.Id)).Select(n => new WaPhoneNumber
                    {
                        PhoneNumberId = n.Id,
                        DisplayPhoneNumber = n.DisplayPhoneNumber,
                        VerifiedName = n.VerifiedName,
                        QualityRating = n.QualityRating,
                        Status = n.Status,
                        CodeVerificationStatus = n.CodeVerificationStatus,
                        WhatsAppBusinessAccountId = account.WhatsAppBusinessAccountId,
                    }).ToArray();
                }
                catch (GraphApiException ex)
                {
                    // The account is still worth writing: its id is what Grant-WaAssets needs; PhoneNumbers stays null (unknown).
                    WriteGraphError(ex, account.WhatsAppBusinessAccountId);
                }
                finally
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            }
            WriteObject(account);
        }

        private static WaWhatsAppAccount Account(WhatsAppAccountDetails details, WaConnection connection) => new WaWhatsAppAccount
        {
            WhatsAppBusinessAccountId = details.Id,
            Name = details.Name,
            Ownership = Discovery.ToModule(details.Ownership),
            OwnerBusinessId = details.OwnerBusiness?.Id ?? (details.Ownership == AssetOwnership.Owned ? connection.BusinessId : null),
            OwnerBusinessName = details.OwnerBusiness?.Name ?? (details.Ownership == AssetOwnership.Owned ? connection.BusinessName : null),
            AccountReviewStatus = details.AccountReviewStatus,
            Currency = details.Currency,
            BusinessId = connection.BusinessId,
            Connection = connection,
        };
    }
}
