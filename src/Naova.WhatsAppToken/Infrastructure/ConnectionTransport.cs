using System;
using System.Management.Automation.Runspaces;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// A connection's one HTTP client (with its pooled TCP connection, Refit proxy and Polly pipelines), made on first
    /// use and shared by every command of the session. Disconnect-WaBusiness retires it, and so does the closing of the
    /// runspace that made it; a command still using it keeps it until that command ends (a lease), and a later use of
    /// a connection object the caller still holds makes a new one. Commands take a lease, never the client itself.
    /// </summary>
    internal sealed class ConnectionTransport
    {
        private readonly object _gate = new object();
        private readonly WaConnection _connection;
        private Shared? _current;

        public ConnectionTransport(WaConnection connection) => _connection = connection;

        /// <summary>The transport in use now, for a command, until the lease is disposed.</summary>
        public Lease Acquire()
        {
            lock (_gate)
            {
                if (_current == null)
                {
                    var info = _connection.ToGraphInfo();
                    _current = new Shared(this, info, new GraphTransport(info.Settings));
                }
                _current.Users++;
                return new Lease(_current);
            }
        }

        /// <summary>Frees the HTTP connection now, or when the last command using it ends.</summary>
        public void Retire()
        {
            Shared? retired;
            lock (_gate)
            {
                retired = _current;
                _current = null;
                if (retired == null) return;
                retired.Retired = true;
                if (retired.Users > 0) retired = null;
            }
            retired?.Free();
        }

        private void Release(Shared shared)
        {
            bool free;
            lock (_gate)
            {
                shared.Users--;
                free = shared.Retired && shared.Users == 0;
            }
            if (free) shared.Free();
        }

        /// <summary>One command's hold on the transport: its connection info and HTTP transport, released once.</summary>
        internal sealed class Lease : IDisposable
        {
            private Shared? _shared;

            internal Lease(Shared shared)
            {
                _shared = shared;
                Info = shared.Info;
                Transport = shared.Transport;
            }

            public GraphConnectionInfo Info { get; }

            public GraphTransport Transport { get; }

            public void Dispose()
            {
                var shared = _shared;
                _shared = null;
                if (shared != null) shared.Owner.Release(shared);
            }
        }

        internal sealed class Shared
        {
            private readonly Runspace? _runspace;

            public Shared(ConnectionTransport owner, GraphConnectionInfo info, GraphTransport transport)
            {
                Owner = owner;
                Info = info;
                Transport = transport;
                // A runspace that closes takes its connections' HTTP clients with it (an Azure Automation job's end).
                _runspace = Runspace.DefaultRunspace;
                if (_runspace != null) _runspace.StateChanged += OnRunspaceStateChanged;
            }

            public ConnectionTransport Owner { get; }

            public GraphConnectionInfo Info { get; }

            public GraphTransport Transport { get; }

            public int Users;

            public bool Retired;

            public void Free()
            {
                if (_runspace != null) _runspace.StateChanged -= OnRunspaceStateChanged;
                Transport.Dispose();
            }

            private void OnRunspaceStateChanged(object? sender, RunspaceStateEventArgs e)
            {
                var state = e.RunspaceStateInfo.State;
                if (state != RunspaceState.Closing && state != RunspaceState.Closed && state != RunspaceState.Broken) return;
                bool mine;
                lock (Owner._gate) mine = ReferenceEquals(Owner._current, this);
                if (mine) Owner.Retire();
            }
        }
    }
}
