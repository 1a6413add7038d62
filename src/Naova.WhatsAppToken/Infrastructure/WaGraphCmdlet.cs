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
        public WaConnection? Connection { get; set; }

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

        /// <summary>One HTTP client per connection for the whole pipeline, not one per record.</summary>
        private sealed class GraphClients : IDisposable
        {
            private readonly Dictionary<WaConnection, Engine.Graph.GraphClient> _clients = new Dictionary<WaConnection, Engine.Graph.GraphClient>();
            private readonly Engine.Graph.IGraphLog _log;

            public GraphClients(Engine.Graph.IGraphLog log) => _log = log;

            public Engine.Graph.GraphClient For(WaConnection connection)
            {
                if (!_clients.TryGetValue(connection, out var client))
                {
                    client = new Engine.Graph.GraphClient(connection.ToGraphInfo(), null, _log);
                    _clients.Add(connection, client);
                }
                return client;
            }

            public void Dispose()
            {
                foreach (var client in _clients.Values) client.Dispose();
                _clients.Clear();
            }
        }
    }
}
