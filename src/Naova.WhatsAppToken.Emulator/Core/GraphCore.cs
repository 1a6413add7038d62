using Naova.WhatsAppToken.Emulator.Handlers;
using Naova.WhatsAppToken.Emulator.Spec;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// The pure core: GraphRequest in, GraphResponse out, no HTTP. Resolves the caller, checks
/// appsecret_proof, and routes to the handlers. One lock per call keeps the state consistent.
/// </summary>
internal sealed class GraphCore
{
    private readonly EmulatorState _state;
    private readonly EmulatorClock _clock;
    private readonly EmulatorOptions _options;
    private readonly FaultInjector _faults;

    public GraphCore(EmulatorState state, EmulatorClock clock, EmulatorOptions options, FaultInjector faults)
    {
        _state = state;
        _clock = clock;
        _options = options;
        _faults = faults;
    }

    /// <summary>Set once the server listens; used for paging links.</summary>
    public Uri? BaseUri { get; set; }

    /// <summary>Told of every call and batch item (for the request log's fingerprints of what was sent).</summary>
    public Action<GraphRequest>? Observer { get; set; }

    public void Observe(GraphRequest request) => Observer?.Invoke(request);

    public GraphResponse Handle(GraphRequest request)
    {
        Observe(request);
        try
        {
            lock (_state.Sync) return Route(request);
        }
        catch (GraphException e)
        {
            return e.Response;
        }
    }

    private GraphResponse Route(GraphRequest r)
    {
        GraphPath path = GraphPath.Parse(r.Path);
        string method = r.Method.ToUpperInvariant();
        string[] s = path.Segments;
        World world = _state.World;
        DateTimeOffset now = _clock.Now;
        if (path.Version is { } version && ApiVersions.Problem(version, path.Relative, now) is { } retired) throw retired;

        if (s is ["oauth", "access_token"])
        {
            Root(r, method, "oauth/access_token", "oauth");
            return OAuthHandlers.Exchange(r, world, now);
        }
        if (s is ["oauth", "revoke"])
        {
            Root(r, method, "oauth/revoke", "oauth");
            return OAuthHandlers.Revoke(r, world, now);
        }
        if (s.Length == 0 && method == "POST" && !r.InBatch && r.Parameters.Has("batch"))
            return BatchHandler.Handle(r, this, _faults, _options, world, now);

        Caller caller = Caller.Resolve(world, r.Token, now);
        bool tokenEdge = method == "POST" && s.Length == 2 && s[1] == "access_tokens";
        AppSecretProof.Check(r.Parameters, caller, now, required: caller.App.RequireAppSecretProof || tokenEdge);

        if (s.Length == 0) throw method == "POST" ? GraphErrors.Required("batch") : GraphErrors.Unsupported(method, "");
        if (s.Length > 2) throw GraphErrors.Unsupported(method, s[0]);
        string id = s[0];
        if (id == "me")
        {
            id = caller.UserId ?? throw GraphErrors.Error(400, GraphErrors.OAuth, 2500,
                "An active access token must be used to query information about the current user.");
        }

        var call = new Call
        {
            Request = r with { Method = method }, World = world, Options = _options, Caller = caller, Now = now,
            NodeId = id, Version = path.Version, RelativePath = path.Relative, BaseUri = BaseUri,
        };
        if (id == "debug_token" && s.Length == 1)
        {
            call.Operation = Root(r, method, "debug_token", id);
            return DebugTokenHandler.Handle(call);
        }
        if (!caller.IsUser && !(method == "GET" && s.Length == 1 && world.FindApp(id) is not null))
            caller.RequireUser();
        return Router.Dispatch(call, s.Length > 1 ? s[1] : null);
    }

    /// <summary>An endpoint the specs lack, held to docs/graph-api.md: its one method, its required params.</summary>
    private static GraphOperation Root(GraphRequest r, string method, string endpoint, string id)
    {
        GraphOperation op = GraphSurface.Find(GraphSurface.Root, method, endpoint) ?? throw GraphErrors.Unsupported(method, id);
        SpecGate.CheckParams(r.Parameters, op);
        return op;
    }
}
