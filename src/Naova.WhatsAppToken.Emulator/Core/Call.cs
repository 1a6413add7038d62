using Naova.WhatsAppToken.Emulator.Spec;
using Naova.WhatsAppToken.Emulator.State;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>One routed call: the request, who makes it, what it is about, and the rules it needs.</summary>
internal sealed class Call
{
    public required GraphRequest Request { get; init; }
    public required World World { get; init; }
    public required EmulatorOptions Options { get; init; }
    public required Caller Caller { get; init; }
    public required DateTimeOffset Now { get; init; }
    /// <summary>The node id in the path ("" for the root).</summary>
    public required string NodeId { get; init; }
    /// <summary>"v26.0" when the path had a version prefix.</summary>
    public string? Version { get; init; }
    /// <summary>The path after the version, without a leading slash (for paging links).</summary>
    public string RelativePath { get; init; } = "";
    public Uri? BaseUri { get; init; }
    /// <summary>What the specs say of this call, set by <see cref="SpecGate"/> before the handler runs.</summary>
    public GraphOperation? Operation { get; set; }

    /// <summary>The fields the listed items may be asked for (node fields plus what the edge adds).</summary>
    public IReadOnlySet<string>? ItemFields => Operation?.Fields;

    public GraphParameters P => Request.Parameters;
    public Business Business => World.Business;
    public string Method => Request.Method;

    public string Required(string name) => P.GetNonEmpty(name) ?? throw GraphErrors.Required(name);

    public void RequireScope(string scope) => Caller.RequireScope(scope);

    /// <summary>Only a business admin person or the business's ADMIN system user may do this.</summary>
    public void RequireAdmin(string action)
    {
        if (Caller.IsBusinessAdmin(World)) return;
        throw GraphErrors.Permission(
            $"(#200) The caller must be a business admin (an admin person of business {Business.Id} or its admin system user) to {action}",
            userTitle: "Not a business admin",
            userMessage: $"Only an admin of the business can {action}. Use a business admin's token.");
    }

    /// <summary>The caller's token must see the WABA (fixed when the token was made).</summary>
    public void RequireWabaAccess(Waba waba)
    {
        if (Caller.Token is { } token && World.VisibleWabaIds(token).Contains(waba.Id)) return;
        throw Options.NoAccessErrorCode == 200
            ? GraphErrors.Permission($"(#200) Permissions error: the access token can not access WhatsApp Business Account {waba.Id}")
            : GraphErrors.Unsupported(Method, waba.Id);
    }
}
