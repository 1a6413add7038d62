using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Naova.WhatsAppToken
{
    /// <summary>Base of the cmdlets that call Graph: the -Connection parameter, and Graph errors as ErrorRecords.</summary>
    public abstract class WaGraphCmdlet : WaCmdlet
    {
        private GraphClients? _clients;

        /// <summary>
        /// The connection to use; defaults to the one Connect-WaBusiness made in this session. Binds from the
        /// Connection property of objects this module wrote, so a pipeline keeps the connection it started with.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public virtual WaConnection? Connection { get; set; }

        internal WaConnection RequireConnection()
        {
            var connection = Connection ?? WaSession.Current;
            if (connection != null) return connection;
            var error = new ErrorRecord(new InvalidOperationException(Messages.Get("Error.NotConnected")),
                "NotConnected", ErrorCategory.ConnectionError, null);
            error.ErrorDetails = new ErrorDetails(Messages.Get("Error.NotConnected")) { RecommendedAction = Messages.Get("Remedy.NotConnected") };
            ThrowTerminatingError(error);
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError always throws
        }

        internal Engine.Graph.GraphClient ClientFor(WaConnection connection) => (_clients ??= new GraphClients(Log)).For(connection);

        protected override void ReleaseResources()
        {
            _clients?.Dispose();
            _clients = null;
        }

        /// <summary>
        /// Revokes a token Meta made that nothing will hold (it could not be stored, and the runspace that would keep it
        /// in $WaUnsavedToken ends with the command: see UnsavedTokens.Unreachable): dead at Meta is better than valid and
        /// named nowhere. Null once revoked; otherwise why it could not be, in words, and the token is still valid.
        /// </summary>
        internal string? RevokeHeldByNobody(WaToken token)
        {
            var connection = token.Connection ?? WaSession.Current;
            if (connection == null) return Messages.Get("Error.NotConnected");
            if (!connection.HasAppSecret) return Messages.Get("Error.AppSecretRequired", Messages.Get("Operation.RevokeToken"));
            // Only a WhatsApp token goes to /oauth/revoke, as Revoke-WaToken does.
            if (!AuditGate.LooksLikeMetaToken(token.Token)) return Messages.Get("Remedy.NotAToken");
            var client = ClientFor(connection);
            try
            {
                Run(ct => client.RevokeTokenAsync(token.Token, ct));
                return null;
            }
            catch (Engine.Graph.GraphApiException ex)
            {
                return GraphErrors.ToErrorRecord(ex, null).ErrorDetails.Message;
            }
        }

        internal void WriteGraphError(Engine.Graph.GraphApiException ex, object? target) => WriteError(GraphErrors.ToErrorRecord(ex, target));

        /// <summary>
        /// The command's Graph clients, one per connection it meets, each over that connection's shared transport (one
        /// HTTP client for the whole session); leases on those transports are returned when the command ends.
        /// </summary>
        private sealed class GraphClients : IDisposable
        {
            private readonly Dictionary<WaConnection, (Engine.Graph.GraphClient Client, ConnectionTransport.Lease Lease)> _clients =
                new Dictionary<WaConnection, (Engine.Graph.GraphClient, ConnectionTransport.Lease)>();
            private readonly Engine.Graph.IGraphLog _log;

            public GraphClients(Engine.Graph.IGraphLog log) => _log = log;

            public Engine.Graph.GraphClient For(WaConnection connection)
            {
                if (!_clients.TryGetValue(connection, out var held))
                {
                    var lease = connection.Transport.Acquire();
                    held = (new Engine.Graph.GraphClient(lease.Transport, lease.Info, _log), lease);
                    _clients.Add(connection, held);
                }
                return held.Client;
            }

            public void Dispose()
            {
                foreach (var held in _clients.Values)
                {
                    held.Client.Dispose();
                    held.Lease.Dispose();
                }
                _clients.Clear();
            }
        }
    }
}
