using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects to a Meta business and app, as a business admin, for the commands that follow.</para>
    /// <para type="description">Checks the admin token (and its appsecret_proof) by reading the business and the app (an app id that does not exist is refused here), asks debug_token what the admin token is, says whom it connected to (business, app, the admin token's type and expiry) and keeps the connection as this session's default. -PassThru returns the connection instead, to pass with -Connection, and leaves the default as it was (add -Default to set it too): jobs that share a process then never share a connection.</para>
    /// </summary>
    /// <example title="Connect as a business admin, with the secrets kept in a vault">
    ///   <code>
    /// $adminToken = Get-Secret -Vault Production -Name META_ADMIN_TOKEN
    /// $appSecret = Get-Secret -Vault Production -Name META_APP_SECRET
    /// Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret
    ///   </code>
    ///   <para>Get-Secret returns the secrets as SecureStrings, so they are never shown. It says whom it connected to; -NoWelcome (or -InformationAction SilentlyContinue) keeps a script's output quiet. The admin token is a business admin's (a person's, or the business's admin system user's); the app secret signs every call with appsecret_proof. The connection is checked by reading the business, and the commands that follow in this session use it.</para>
    /// </example>
    /// <example title="Keep the connection in a variable, as a runbook should">
    ///   <code>
    /// $connection = Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret -PassThru
    /// Get-WaSystemUser -Connection $connection
    ///   </code>
    ///   <para>-PassThru writes the connection and leaves the session's default alone. Passing it with -Connection keeps Azure Automation jobs that share a process from using each other's connection; objects this module writes carry their connection down the pipeline.</para>
    /// </example>
    /// <example title="Rehearse offline against the local Graph emulator">
    ///   <code>
    /// Connect-WaBusiness -BusinessId 104857362910475 -AppId 1298374650192837 -AccessToken $demoAdminToken -AppSecret $demoAppSecret -GraphUri http://127.0.0.1:5080/
    ///   </code>
    ///   <para>Runs the same commands against the emulator of this repository (dotnet run --project src/Naova.WhatsAppToken.Emulator -- --urls http://127.0.0.1:5080), with its demo business, app and admin token: a rehearsal that needs no Meta account. -GraphUri accepts http only on loopback.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "WaBusiness", HelpUri = HelpLinks.Online)]
    [OutputType(typeof(WaConnection))]
    public sealed class ConnectWaBusinessCommand : WaCmdlet
    {
        /// <summary><para type="description">The business (Business Manager) id, a number.</para></summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.ConnectionBusinessIdCompleter))]
        public string BusinessId { get; set; } = string.Empty;

        /// <summary><para type="description">The Meta app id the tokens are for, a number.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateGraphId]
        [ArgumentCompleter(typeof(Completion.AppIdCompleter))]
        public string AppId { get; set; } = string.Empty;

        /// <summary><para type="description">A business admin's access token (a person's, or the admin system user's), as a SecureString.</para></summary>
        [Parameter(Mandatory = true)]
        public SecureString AccessToken { get; set; } = new SecureString();

        /// <summary><para type="description">The app secret, as a SecureString: signs every call (appsecret_proof) and lets Test-WaToken use the app token.</para></summary>
        [Parameter]
        public SecureString? AppSecret { get; set; }

        /// <summary><para type="description">The Graph API version, like v26.0.</para></summary>
        [Parameter]
        [ValidateApiVersion]
        [PSDefaultValue(Value = GraphSettings.DefaultApiVersion)]
        public string ApiVersion { get; set; } = GraphSettings.DefaultApiVersion;

        /// <summary><para type="description">The Graph endpoint; https, or http on loopback for the local emulator.</para></summary>
        [Parameter]
        [PSDefaultValue(Value = "https://graph.facebook.com/")]
        public Uri GraphUri { get; set; } = GraphSettings.DefaultGraphUri;

        /// <summary><para type="description">Seconds one request may take before it is abandoned (default 100). A read that times out is retried; a request that creates something is not, since it may have worked.</para></summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        [PSDefaultValue(Value = 100)]
        public int RequestTimeoutSeconds { get; set; } = (int)GraphSettings.DefaultRequestTimeout.TotalSeconds;

        /// <summary><para type="description">How many times a transient failure (Meta's codes 1, 2, 4, 17, 32, 341, 613, 80000-80014, 130429, 131000, 131016, 131056, is_transient, HTTP 5xx, resets, timeouts) is retried (default 4). Permanent errors are never retried.</para></summary>
        [Parameter]
        [ValidateRange(0, 20)]
        [PSDefaultValue(Value = GraphSettings.DefaultMaxRetries)]
        public int MaxRetries { get; set; } = GraphSettings.DefaultMaxRetries;

        /// <summary><para type="description">The most one Graph operation may take in all, in seconds: its requests, the backoff and the waits Meta asks for (default 300). A wait Meta asks for that does not fit is not started: the command fails at once and says how long Meta wants.</para></summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        [PSDefaultValue(Value = 300)]
        public int MaxTotalWaitSeconds { get; set; } = (int)GraphSettings.DefaultMaxTotalWait.TotalSeconds;

        /// <summary><para type="description">The first retry delay in milliseconds (default 1000); each retry doubles it, with jitter. Meta's Retry-After and estimated_time_to_regain_access replace it when given.</para></summary>
        [Parameter]
        [ValidateRange(0, 60000)]
        [PSDefaultValue(Value = 1000)]
        public int RetryBaseDelayMilliseconds { get; set; } = (int)GraphSettings.DefaultRetryBaseDelay.TotalMilliseconds;

        /// <summary><para type="description">Do not call Graph to check the connection now.</para></summary>
        [Parameter]
        public SwitchParameter SkipCheck { get; set; }

        /// <summary><para type="description">Write the connection to the pipeline, to pass with -Connection, instead of making it the session's default: a connection made on the side, for another business, never replaces the default. Add -Default to do both.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary><para type="description">Make the connection the session's default even with -PassThru (a plain Connect-WaBusiness always does).</para></summary>
        [Parameter]
        public SwitchParameter Default { get; set; }

        /// <summary><para type="description">Do not say whom it connected to (business, app, the admin token's type and expiry). -InformationAction SilentlyContinue keeps it off the screen too, as for Write-Host.</para></summary>
        [Parameter]
        public SwitchParameter NoWelcome { get; set; }

        protected override void ProcessRecord()
        {
            // Checked here, not by an attribute, so the ErrorId stays InvalidGraphUri; nothing has been called yet.
            if (!GraphSettings.IsAcceptableGraphUri(GraphUri))
            {
                var error = new ErrorRecord(new ArgumentException(Messages.Get("Invalid.GraphUri", GraphUri), nameof(GraphUri)),
                    "InvalidGraphUri", ErrorCategory.InvalidArgument, GraphUri);
                error.ErrorDetails = new ErrorDetails(Messages.Get("Invalid.GraphUri", GraphUri)) { RecommendedAction = Messages.Get("Remedy.InvalidGraphUri") };
                ThrowTerminatingError(error);
            }
            // A token or secret read from a file or a prompt often ends with a newline; it is never part of the value, and
            // left in it would make Meta call the app secret wrong (appsecret_proof) rather than name the real cause.
            var accessToken = Trimmed(AccessToken);
            var appSecret = AppSecret == null ? null : Trimmed(AppSecret);
            if (SecretText.IsNullOrEmpty(accessToken))
            {
                string message = Messages.Get("Invalid.EmptyToken", nameof(AccessToken));
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, nameof(AccessToken)), "EmptyAccessToken", ErrorCategory.InvalidArgument, null)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.EmptyAccessToken") },
                });
            }
            var connection = new WaConnection(BusinessId, AppId, accessToken, appSecret, Normalize(GraphUri), ApiVersion, TokenFingerprint.Of(accessToken))
            {
                RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
                MaxRetries = MaxRetries,
                MaxTotalWait = TimeSpan.FromSeconds(MaxTotalWaitSeconds),
                RetryBaseDelay = TimeSpan.FromMilliseconds(RetryBaseDelayMilliseconds),
            };
            connection.AccessToken.MakeReadOnly();
            connection.AppSecret?.MakeReadOnly();
            if (!SkipCheck && !Check(connection)) return;
            // -PassThru alone is a connection on the side: it never replaces the session's default.
            if (!PassThru || Default)
            {
                // The connection this one replaces as the default frees its HTTP connection (a held copy makes a new one on use).
                WaSession.Current?.Transport.Retire();
                WaSession.Current = connection;
            }
            WriteVerbose(Messages.Get("Verbose.Connected", connection));
            if (!SkipCheck && !NoWelcome) SayWhom(connection);
            if (PassThru) WriteObject(connection);
        }

        // The banner's tags: its own name when silenced (a script can still find it in the information stream), and
        // PSHOST, which Write-Host's messages carry, when it is shown.
        private static readonly string[] QuietTags = { "Connect-WaBusiness" };
        private static readonly string[] HostTags = { "PSHOST" };

        [SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly",
            Justification = "The ArgumentException names the cmdlet's -AppId parameter, the one the user gave wrong, not a parameter of this method.")]
        private bool Check(WaConnection connection)
        {
            // The check's HTTP connection is the one the session's commands go on to use; a failed or stopped check frees it.
            bool checkedOk = false;
            try
            {
                using (var lease = connection.Transport.Acquire())
                using (var client = new GraphClient(lease.Transport, lease.Info, Log))
                {
                    try
                    {
                        connection.BusinessName = Run(ct => client.GetBusinessNameAsync(ct));
                    }
                    catch (GraphApiException ex)
                    {
                        ThrowTerminatingError(GraphErrors.ToErrorRecord(ex, BusinessId));
                        return false;
                    }
                    try
                    {
                        connection.AppName = Run(ct => client.GetAppNameAsync(ct));
                    }
                    catch (GraphApiException ex) when (ex.Kind == GraphErrorKind.ObjectNotFound || ex.Kind == GraphErrorKind.InvalidParameter)
                    {
                        // Meta answers an id that is no app (or one this token can not see) with 100/33: the connection would fail later, and misleadingly.
                        string message = Messages.Get("Error.AppNotFound", AppId, GraphWords.Detail(ex));
                        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, nameof(AppId), ex), "AppNotFound", ErrorCategory.ObjectNotFound, AppId)
                        {
                            ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.AppNotFound") },
                        });
                        return false;
                    }
                    catch (GraphApiException ex)
                    {
                        ThrowTerminatingError(GraphErrors.ToErrorRecord(ex, AppId));
                        return false;
                    }
                    try
                    {
                        var facts = Run(ct => client.InspectTokenAsync(connection.AccessToken, ct));
                        connection.AccessTokenType = facts.TypeName;
                        connection.AccessTokenExpiresAt = facts.ExpiresAt;
                        WarnIfNotAdmin(client, facts);
                    }
                    catch (GraphApiException ex)
                    {
                        // Only the greeting needs it: the business and the app answered, so the connection works.
                        WriteVerbose(Messages.Get("Verbose.AdminTokenNotDescribed", GraphWords.Detail(ex)));
                    }
                    checkedOk = true;
                    return true;
                }
            }
            finally
            {
                if (!checkedOk) connection.Transport.Retire();
            }
        }

        /// <summary>
        /// An employee's token connects (the reads above work) and fails only later, at New-WaSystemUser or New-WaToken:
        /// say so now. The role is the system user's in the business (system users of a SYSTEM_USER token) or the
        /// person's (their business_users); one that can not be read is said with -Verbose, and warns of nothing.
        /// </summary>
        private void WarnIfNotAdmin(GraphClient client, TokenFacts facts)
        {
            if (string.IsNullOrEmpty(facts.UserId)) return;
            string userId = facts.UserId!;
            string? role;
            try
            {
                role = facts.Type == TokenType.SystemUser
                    ? Run(ct => client.ListSystemUsersAsync(ct)).FirstOrDefault(u => u.Id == userId)?.Role
                    : Run(ct => client.GetBusinessUsersOfAsync(userId, ct)).FirstOrDefault(b => b.Business?.Id == BusinessId)?.Role;
            }
            catch (GraphApiException ex)
            {
                WriteVerbose(Messages.Get("Verbose.AdminRoleUnknown", GraphWords.Detail(ex)));
                return;
            }
            if (role == null || string.Equals(role, "ADMIN", StringComparison.OrdinalIgnoreCase)) return;
            WriteWarning(Messages.Get("Warning.AdminTokenNotAdmin", facts.TypeName, role, BusinessId));
        }

        /// <summary>
        /// Whom this connected to, on the host, as Connect-MgGraph does (-NoWelcome leaves it out). Written as Write-Host
        /// writes (tag PSHOST): shown whatever $InformationPreference says, and 6>$null hides it. A PSHOST record from a
        /// compiled cmdlet is shown even under -InformationAction SilentlyContinue, so that one is honoured here: the
        /// record goes to the information stream untagged (-InformationVariable still gets it), and is not shown.
        /// </summary>
        private void SayWhom(WaConnection connection)
        {
            string token = connection.AccessTokenType == null ? Messages.Get("Connected.TokenUndescribed")
                : connection.AccessTokenExpiresAt is DateTimeOffset at ? Messages.Get("Connected.TokenExpires", connection.AccessTokenType, at.ToString("u", System.Globalization.CultureInfo.InvariantCulture))
                : Messages.Get("Connected.TokenNeverExpires", connection.AccessTokenType);
            // Short lines, as a console shows them: whom, which app, what admin token, and whether it is the default.
            string text = string.Join(Environment.NewLine, new[]
            {
                Messages.Get("Connected.Business", connection.BusinessName ?? "?", connection.BusinessId),
                Messages.Get("Connected.App", connection.AppName ?? "?", connection.AppId),
                Messages.Get("Connected.Token", token, connection.AccessTokenFingerprint),
                Messages.Get(connection.IsDefault ? "Connected.Default" : "Connected.NotDefault"),
            });
            bool quiet = MyInvocation.BoundParameters.TryGetValue("InformationAction", out object? action)
                && action is ActionPreference preference && (preference == ActionPreference.SilentlyContinue || preference == ActionPreference.Ignore);
            if (quiet) WriteInformation(text, QuietTags);
            else WriteInformation(new HostInformationMessage { Message = text }, HostTags);
        }

        /// <summary>A copy of <paramref name="secret"/> without the blanks and line breaks around it.</summary>
        private SecureString Trimmed(SecureString secret)
        {
            string text = SecretText.Reveal(secret);
            string trimmed = text.Trim();
            if (trimmed.Length == text.Length) return secret.Copy();
            if (trimmed.Length > 0) WriteVerbose(Messages.Get("Verbose.SecretTrimmed"));
            return SecretText.ToSecureString(trimmed);
        }

        private static Uri Normalize(Uri uri) => uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
