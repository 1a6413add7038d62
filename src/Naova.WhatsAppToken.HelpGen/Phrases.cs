namespace Naova.WhatsAppToken.HelpGen;

/// <summary>The sentences the generator writes itself (from metadata, not from doc comments), per language.</summary>
internal sealed record Phrases(
    string Example,
    string WhatIf,
    string Confirm,
    string NoInput,
    string ByValue,
    string ByPropertyName,
    string NoOutput,
    string InParameterSets,
    string NoDefault,
    string OnlineVersion)
{
    public static readonly Phrases English = new(
        Example: "Example",
        WhatIf: "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
        Confirm: "Prompts you for confirmation before running the cmdlet.",
        NoInput: "You can't pipe objects to this cmdlet.",
        ByValue: "You can pipe a {0} to -{1}.",
        ByPropertyName: "Objects with properties named like these parameters bind to them by property name: {0}.",
        NoOutput: "This cmdlet writes no objects to the pipeline.",
        InParameterSets: "(parameter set {0})",
        NoDefault: "None",
        OnlineVersion: "Online Version:");

    public static readonly Phrases Spanish = new(
        Example: "Ejemplo",
        WhatIf: "Muestra lo que ocurriría si se ejecutara el cmdlet. El cmdlet no se ejecuta.",
        Confirm: "Pide confirmación antes de ejecutar el cmdlet.",
        NoInput: "Este cmdlet no acepta objetos por la canalización.",
        ByValue: "Puede canalizar un {0} al parámetro -{1}.",
        ByPropertyName: "Los objetos con propiedades que se llaman como estos parámetros se enlazan a ellos por nombre de propiedad: {0}.",
        NoOutput: "Este cmdlet no escribe objetos en la canalización.",
        InParameterSets: "(conjunto de parámetros {0})",
        NoDefault: "Ninguno",
        OnlineVersion: "Versión en línea:");

    /// <summary>The phrases of a culture's language; English for any language without its own.</summary>
    public static Phrases For(string culture) =>
        culture.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? Spanish : English;

    public static bool Has(string culture) =>
        culture.StartsWith("es", StringComparison.OrdinalIgnoreCase) || culture.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
