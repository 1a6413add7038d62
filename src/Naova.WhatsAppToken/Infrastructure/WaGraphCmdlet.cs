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
