using System;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.Graph;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects to a Meta business and app, as a business admin, for the commands that follow.</para>
    /// <para type="description">Checks the admin token (and its appsecret_proof) by reading the business, then keeps the connection as this session's default. -PassThru also returns it, to pass with -Connection: jobs that share a process then never share a connection.</para>
    /// </summary>
    /// <example title="Connect as a business admin, with the secrets kept in a vault">
    ///   <code>
    /// $adminToken = Get-Secret -Vault Production -Name META_ADMIN_TOKEN
    /// $appSecret = Get-Secret -Vault Production -Name META_APP_SECRET
    /// Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret
    ///   </code>
    ///   <para>Get-Secret returns the secrets as SecureStrings, so they are never shown. The admin token is a business admin's (a person's, or the business's admin system user's); the app secret signs every call with appsecret_proof. The connection is checked by reading the business, and the commands that follow in this session use it.</para>
    /// </example>
    /// <example title="Keep the connection in a variable, as a runbook should">
    ///   <code>
    /// $connection = Connect-WaBusiness -BusinessId 123456789012345 -AppId 456789012345678 -AccessToken $adminToken -AppSecret $appSecret -PassThru
    /// Get-WaSystemUser -Connection $connection
    ///   </code>
    ///   <para>-PassThru also writes the connection. Passing it with -Connection keeps Azure Automation jobs that share a process from using each other's connection; objects this module writes carry their connection down the pipeline.</para>
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
        public string BusinessId { get; set; } = string.Empty;

        /// <summary><para type="description">The Meta app id the tokens are for, a number.</para></summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateGraphId]
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

        /// <summary><para type="description">Also write the connection to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

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
            if (SecretText.IsNullOrEmpty(AccessToken))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(Messages.Get("Invalid.EmptyToken", nameof(AccessToken))),
                    "EmptyAccessToken", ErrorCategory.InvalidArgument, null));
            }
            var connection = new WaConnection(BusinessId, AppId, AccessToken.Copy(), AppSecret?.Copy(), Normalize(GraphUri), ApiVersion, TokenFingerprint.Of(AccessToken))
            {
                RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
                MaxRetries = MaxRetries,
                MaxTotalWait = TimeSpan.FromSeconds(MaxTotalWaitSeconds),
                RetryBaseDelay = TimeSpan.FromMilliseconds(RetryBaseDelayMilliseconds),
            };
            connection.AccessToken.MakeReadOnly();
            connection.AppSecret?.MakeReadOnly();
            if (!SkipCheck && !Check(connection)) return;
            // The connection this one replaces as the default frees its HTTP connection (a held copy makes a new one on use).
            WaSession.Current?.Transport.Retire();
            WaSession.Current = connection;
            WriteVerbose(Messages.Get("Verbose.Connected", connection));
            if (PassThru) WriteObject(connection);
        }

        private bool Check(WaConnection connection)
        {
            // The check's HTTP connection is the one the session's commands go on to use; a failed or stopped check frees it.
            bool checkedOk = false;
            try
            {
                using (var lease = connection.Transport.Acquire())
                using (var client = new GraphClient(lease.Transport, lease.Info, Log))
                {
                    connection.BusinessName = Run(ct => client.GetBusinessNameAsync(ct));
                    checkedOk = true;
                    return true;
                }
            }
            catch (GraphApiException ex)
            {
                ThrowTerminatingError(GraphErrors.ToErrorRecord(ex, BusinessId));
                return false;
            }
            finally
            {
                if (!checkedOk) connection.Transport.Retire();
            }
        }

        private static Uri Normalize(Uri uri) => uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
