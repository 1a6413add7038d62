using Naova.WhatsAppToken.Emulator.Spec;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>
/// Holds a routed call to Meta's specs before any handler runs: the method must be one the node's spec (or
/// docs/graph-api.md, for what the specs lack) gives the edge, every `required` param must be there, and an enum
/// param must hold one of its enum's values (enum_types.json). Fields are held to the spec by NodeFields.
/// </summary>
internal static class SpecGate
{
    public static GraphOperation Check(Call c, string nodeType, string? edge)
    {
        GraphOperation op = GraphSurface.Find(nodeType, c.Method, edge) ?? throw GraphErrors.Unsupported(c.Method, c.NodeId);
        CheckParams(c.P, op);
        c.Operation = op;
        return op;
    }

    public static void CheckParams(GraphParameters p, GraphOperation op)
    {
        foreach (ParamSpec param in op.Params)
        {
            if (param.Required && p.GetNonEmpty(param.Name) is null) throw GraphErrors.Required(param.Name);
            if (!p.Has(param.Name)) continue;
            (string item, bool isList) = MetaSpecs.ItemType(param.Type);
            if (MetaSpecs.Instance.Enum(item) is not { } values) continue;
            if (isList)
            {
                IReadOnlyList<string> given = p.GetList(param.Name) ?? Array.Empty<string>();
                for (int i = 0; i < given.Count; i++)
                {
                    if (!values.Contains(given[i], StringComparer.Ordinal))
                        throw GraphErrors.Param($"(#100) Param {param.Name}[{i}] must be one of {{{string.Join(", ", values)}}}");
                }
            }
            else if (p.GetNonEmpty(param.Name) is { } value && !values.Contains(value, StringComparer.Ordinal))
            {
                throw GraphErrors.Param($"(#100) Param {param.Name} must be one of {{{string.Join(", ", values)}}}");
            }
        }
    }
}
