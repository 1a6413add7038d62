namespace Naova.WhatsAppToken.HelpGen;

/// <summary>What PowerShell will see of one cmdlet, read from its metadata: the structural half of its help.</summary>
internal sealed record CommandModel(
    string Name,
    string Verb,
    string Noun,
    string TypeFullName,
    string? DefaultParameterSet,
    bool SupportsShouldProcess,
    string? HelpUri,
    IReadOnlyList<OutputTypeModel> Outputs,
    IReadOnlyList<ParameterModel> Parameters,
    SourceLocation Location)
{
    public const string AllSets = "__AllParameterSets";

    public string DocId => "T:" + TypeFullName.Replace('+', '.');

    /// <summary>Parameter set names as PowerShell makes them: the named ones, or the one implicit set.</summary>
    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(n => n != AllSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (named.Count == 0) return new[] { DefaultParameterSet ?? AllSets };
            if (DefaultParameterSet != null && !named.Contains(DefaultParameterSet, StringComparer.OrdinalIgnoreCase)) named.Insert(0, DefaultParameterSet);
            return named.OrderBy(n => string.Equals(n, DefaultParameterSet, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ToList();
        }
    }

    /// <summary>The parameters of one set, each with the attribute that applies there, in the order help shows them.</summary>
    public IReadOnlyList<(ParameterModel Parameter, ParameterSetEntry Entry)> InSet(string setName) =>
        Parameters
            .Where(p => !p.DontShow)
            .Select(p => (Parameter: p, Entry: p.Sets.FirstOrDefault(s => string.Equals(s.SetName, setName, StringComparison.OrdinalIgnoreCase))
                                               ?? p.Sets.FirstOrDefault(s => s.SetName == AllSets)))
            .Where(x => x.Entry != null)
            .Select(x => (x.Parameter, x.Entry!))
            .OrderBy(x => x.Item2.Position.HasValue ? 0 : x.Item2.Mandatory ? 1 : 2)
            .ThenBy(x => x.Item2.Position ?? 0)
            .ToList();
}

internal sealed record ParameterModel(
    string Name,
    TypeNameModel Type,
    string DeclaringTypeFullName,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    bool DontShow,
    IReadOnlyList<string> AcceptedValues,
    IReadOnlyList<ParameterSetEntry> Sets,
    SourceLocation Location,
    string? DefaultValue,
    string? Initializer)
{
    public string DocId => "P:" + DeclaringTypeFullName.Replace('+', '.') + "." + Name;

    public string DeclaringTypeName => DeclaringTypeFullName.Substring(DeclaringTypeFullName.AsSpan().LastIndexOfAny('.', '+') + 1);

    public bool IsSwitch => Type.FullName == "System.Management.Automation.SwitchParameter";

    /// <summary>Mandatory in every set it is in: it has no default to show.</summary>
    public bool AlwaysMandatory => Sets.All(s => s.Mandatory);

    public bool ByValue => Sets.Any(s => s.ByValue);

    public bool ByPropertyName => Sets.Any(s => s.ByPropertyName);

    public bool TakesPipelineInput => ByValue || ByPropertyName;

    /// <summary>"True (ByValue, ByPropertyName)", as Get-Help shows it.</summary>
    public string PipelineInput =>
        ByValue && ByPropertyName ? "True (ByValue, ByPropertyName)" : ByValue ? "True (ByValue)" : ByPropertyName ? "True (ByPropertyName)" : "False";
}

/// <summary>One [Parameter] attribute: how the parameter behaves in one parameter set.</summary>
internal sealed record ParameterSetEntry(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName, bool RemainingArguments);

internal sealed record OutputTypeModel(TypeNameModel Type, IReadOnlyList<string> ParameterSets);

/// <summary>A type as help names it: String[] in syntax, System.String[] in the type fields.</summary>
internal sealed record TypeNameModel(string Name, string FullName)
{
    public bool IsVoid => FullName == "System.Void";
}
