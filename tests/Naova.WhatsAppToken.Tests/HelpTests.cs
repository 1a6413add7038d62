using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Get-Help in the real PowerShell 7.6 engine, reading the MAML the build generated into the module folder: every
/// exported cmdlet is documented, the help agrees with what PowerShell's binder sees, the examples call what exists,
/// and the about topic and the Spanish help are found.
/// </summary>
public class HelpTests
{
    // Each script returns the problems it found, one string each: an empty list is a pass, and a failure names them all.
    private const string CheckEveryCmdlet = """
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $commands = @(Get-Command -Module Naova.WhatsAppToken)
        if ($commands.Count -eq 0) { 'no exported cmdlet' }
        foreach ($command in $commands) {
            $name = $command.Name
            $help = Get-Help -Name $name -Full
            if ($help -isnot [psobject] -or $help.ModuleName -ne 'Naova.WhatsAppToken') { "${name}: Get-Help found no help of this module"; continue }
            $synopsis = "$($help.Synopsis)".Trim()
            if (-not $synopsis -or $synopsis.StartsWith($name)) { "${name}: no synopsis (Get-Help fell back to the syntax)" }
            if (-not (($help.description | ForEach-Object { $_.Text }) -join '').Trim()) { "${name}: no description" }
            foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common -and -not $command.Parameters[$_].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }) {
                $entry = @($help.parameters.parameter | Where-Object { $_.name -eq $parameter })
                if ($entry.Count -ne 1) { "${name} -${parameter}: $($entry.Count) help entries"; continue }
                if (-not (($entry[0].description | ForEach-Object { $_.Text }) -join '').Trim()) { "${name} -${parameter}: no description" }
            }
            $examples = @($help.examples.example)
            if ($examples.Count -lt 2) { "${name}: $($examples.Count) example(s)" }
            foreach ($example in $examples) {
                if (-not "$($example.code)".Trim()) { "${name}: an example without code" }
                if (-not (($example.remarks | ForEach-Object { $_.Text }) -join '').Trim()) { "${name}: an example without remarks" }
            }
        }
        """;

    [Fact]
    public void Every_exported_cmdlet_has_a_synopsis_a_description_every_parameter_and_two_examples()
    {
        using var culture = CultureScope.Use("en-US");
        using var ps = new PsSession();
        var problems = ps.Run(CheckEveryCmdlet).AssertClean().Output.Select(o => o.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Help_syntax_agrees_with_the_parameter_sets_PowerShell_binds()
    {
        using var culture = CultureScope.Use("en-US");
        using var ps = new PsSession();
        var commands = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<CmdletInfo>().ToList();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var help = ps.Run("Get-Help -Name $name -Full", new { name = command.Name }).AssertClean().Output.Single();
            var items = Items(Dig(help, "syntax", "syntaxItem"));
            Assert.True(command.ParameterSets.Count == items.Count, $"{command.Name}: {command.ParameterSets.Count} parameter sets, {items.Count} syntax items");
            var helpParameters = Items(Dig(help, "parameters", "parameter")).ToDictionary(p => p.S("name")!, StringComparer.OrdinalIgnoreCase);
            foreach (var set in command.ParameterSets)
            {
                // The syntax item whose parameters are exactly this set's (less the common parameters).
                var names = set.Parameters.Where(p => !Hidden(p)).Select(p => p.Name).Where(n => !IsCommon(n)).OrderBy(n => n).ToArray();
                var item = items.SingleOrDefault(i => Items(i.Properties["parameter"]?.Value).Select(p => p.S("name")!).Where(n => !IsCommon(n)).OrderBy(n => n).SequenceEqual(names, StringComparer.OrdinalIgnoreCase));
                Assert.True(item != null, $"{command.Name}: no syntax item for set {set.Name} ({string.Join(", ", names)})");
                foreach (var parameter in set.Parameters.Where(p => !IsCommon(p.Name) && !Hidden(p)))
                {
                    var shown = Items(item!.Properties["parameter"]?.Value).Single(p => string.Equals(p.S("name"), parameter.Name, StringComparison.OrdinalIgnoreCase));
                    string where = $"{command.Name} -{parameter.Name} in set {set.Name}";
                    Assert.True(string.Equals(parameter.IsMandatory ? "true" : "false", shown.S("required"), StringComparison.OrdinalIgnoreCase), where + " required");
                    Assert.True((parameter.Position < 0 ? "named" : parameter.Position.ToString(CultureInfo.InvariantCulture)) == shown.S("position"), where + " position");
                    var full = helpParameters[parameter.Name];
                    string pipeline = full.S("pipelineInput")!;
                    Assert.True(pipeline.Contains("ByValue") == AnySet(command, parameter.Name, p => p.ValueFromPipeline), where + " pipeline by value: " + pipeline);
                    Assert.True(pipeline.Contains("ByPropertyName") == AnySet(command, parameter.Name, p => p.ValueFromPipelineByPropertyName), where + " pipeline by property name: " + pipeline);
                    foreach (string alias in parameter.Aliases)
                        Assert.True(full.S("aliases")!.Split(", ").Contains(alias, StringComparer.OrdinalIgnoreCase), $"{where}: alias {alias} missing from '{full.S("aliases")}'");
                }
            }
        }
    }

    [Fact]
    public void Examples_call_only_cmdlets_and_parameters_that_exist()
    {
        using var culture = CultureScope.Use("en-US");
        using var ps = new PsSession();
        var commands = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<CmdletInfo>().ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        int checkedCalls = 0;
        foreach (var command in commands.Values)
        {
            var help = ps.Run("Get-Help -Name $name -Full", new { name = command.Name }).AssertClean().Output.Single();
            foreach (var example in Items(Dig(help, "examples", "example")))
            {
                string code = example.S("code")!;
                var ast = Parser.ParseInput(code, out _, out var errors);
                if (errors.Length > 0) problems.Add($"{command.Name} example: {errors[0].Message}\n{code}");
                foreach (CommandAst call in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
                {
                    string? name = call.GetCommandName();
                    if (name == null || !name.Contains("-Wa", StringComparison.OrdinalIgnoreCase)) continue;
                    if (!commands.TryGetValue(name, out var called))
                    {
                        problems.Add($"{command.Name} example calls {name}, which the module does not export");
                        continue;
                    }
                    checkedCalls++;
                    foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
                        if (!Resolves(called, parameter.ParameterName))
                            problems.Add($"{command.Name} example: {name} has no parameter -{parameter.ParameterName}");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedCalls >= 2 * commands.Count, $"only {checkedCalls} calls of the module's cmdlets in the examples");
    }

    /// <summary>
    /// What Get-Help shows against the code itself, in both languages: each parameter's default is the value a new cmdlet
    /// object holds (nothing else can make it true), every example has a title, and the first related link is the
    /// cmdlet's HelpUri, where Get-Help -Online goes.
    /// </summary>
    [Theory]
    [InlineData("en-US", "None", "Example")]
    [InlineData("es-ES", "Ninguno", "Ejemplo")]
    public void Help_shows_the_defaults_of_the_code_a_title_for_every_example_and_the_online_page(string cultureName, string none, string example)
    {
        using var culture = CultureScope.Use(cultureName);
        using var ps = new PsSession();
        var problems = ps.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $checked = 0
            foreach ($command in Get-Command -Module Naova.WhatsAppToken) {
                $name = $command.Name
                $help = Get-Help -Name $name -Full
                if (-not ([uri]$command.HelpUri).IsAbsoluteUri -or ([uri]$command.HelpUri).Scheme -ne 'https') { "${name}: HelpUri '$($command.HelpUri)'" }
                $first = @($help.relatedLinks.navigationLink)[0]
                if ($first.uri -ne $command.HelpUri) { "${name}: the first related link is '$($first.linkText) $($first.uri)', not the HelpUri" }
                foreach ($e in @($help.examples.example)) { if ("$($e.title)" -notmatch "$example \d+: \S") { "${name}: an example without a title: $($e.title)" } }
                $instance = [Activator]::CreateInstance($command.ImplementingType)
                foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $common -and -not $_.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) }) {
                    $value = $command.ImplementingType.GetProperty($parameter.Name).GetValue($instance)
                    $mandatory = @($parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0
                    $expected = if ($value -is [System.Management.Automation.SwitchParameter]) { 'False' }
                        elseif ($mandatory -or $null -eq $value -or "$value" -eq '' -or ($value -is [array] -and $value.Count -eq 0)) { $none }
                        else { (@($value) | ForEach-Object { "$_" }) -join ', ' }
                    $entry = @($help.parameters.parameter | Where-Object { $_.name -eq $parameter.Name })[0]
                    if ("$($entry.defaultValue)" -ne $expected) { "${name} -$($parameter.Name): help says the default is '$($entry.defaultValue)', the code gives '$expected'" }
                    $checked++
                }
                $instance.Dispose()
            }
            "checked $checked"
            """, new { none, example }).AssertClean().Output.Select(o => o.ToString()).ToList();
        Assert.Matches(@"^checked [1-9]\d+$", problems[^1]);
        problems.RemoveAt(problems.Count - 1);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var help = ps.Run("(Get-Help Test-WaToken -Full).parameters.parameter | Where-Object name -eq ThrottleLimit").AssertClean().Output.Single();
        Assert.Equal("4", help.S("defaultValue"));
    }

    [Fact]
    public void About_topic_is_found_and_covers_the_procedure()
    {
        using var culture = CultureScope.Use("en-US");
        using var ps = new PsSession();
        string text = string.Join("\n", ps.Run("Get-Help about_Naova.WhatsAppToken").AssertClean().Output.Select(o => o.ToString()));
        foreach (string section in new[] { "THE PROCEDURE", "SCOPES VERSUS TASKS", "STORING THE TOKEN", "CHECKING IT DAILY", "TROUBLESHOOTING", "AZURE AUTOMATION" })
            Assert.Contains(section, text);
        Assert.Contains("New-WaSystemUser -Name naova-whatsapp-service -Role Admin |", text);
        Assert.Contains("Token expired", text);
    }

    [Theory]
    [InlineData("es-ES")]
    [InlineData("es-MX")] // no es-MX folder: Get-Help falls back to the neutral es, which the build fills from es-ES
    public void Spanish_help_is_what_Get_Help_shows_under_a_Spanish_UI_culture(string cultureName)
    {
        var english = Synopses("en-US");
        var spanish = Synopses(cultureName);
        Assert.Equal(english.Keys.OrderBy(k => k), spanish.Keys.OrderBy(k => k));
        foreach (var (name, synopsis) in spanish)
            Assert.True(synopsis != english[name] && synopsis.Length > 0, $"{name} under {cultureName}: '{synopsis}'");
        Assert.StartsWith("Genera un token de usuario del sistema", spanish["New-WaToken"]);

        using var culture = CultureScope.Use(cultureName);
        using var ps = new PsSession();
        var help = ps.Run("Get-Help New-WaToken -Full").AssertClean().Output.Single();
        var scope = Items(Dig(help, "parameters", "parameter")).Single(p => p.S("name") == "Scope");
        Assert.StartsWith("Los permisos del token", Text(scope.P("description")));
        var first = Items(Dig(help, "examples", "example")).First();
        Assert.Contains("Ejemplo 1", first.S("title"));
        Assert.Contains("New-WaToken -Expiration Never", first.S("code"));
        string about = string.Join("\n", ps.Run("Get-Help about_Naova.WhatsAppToken").AssertClean().Output.Select(o => o.ToString()));
        Assert.Contains("PERMISOS (SCOPES) FRENTE A TAREAS (TASKS)", about);
        Assert.Contains("Configuración del negocio", about);
    }

    /// <summary>Every exported cmdlet's synopsis as Get-Help shows it under a UI culture.</summary>
    private static Dictionary<string, string> Synopses(string cultureName)
    {
        using var culture = CultureScope.Use(cultureName);
        using var ps = new PsSession();
        var result = ps.Run("[cultureinfo]::CurrentUICulture.Name; Get-Command -Module Naova.WhatsAppToken | ForEach-Object { $_.Name; (Get-Help $_.Name).Synopsis }").AssertClean();
        Assert.Equal(cultureName, result.Output[0].ToString()); // the pipeline thread really runs under the culture
        var lines = result.Output.Skip(1).Select(o => o?.ToString()?.Trim() ?? string.Empty).ToList();
        return Enumerable.Range(0, lines.Count / 2).ToDictionary(i => lines[2 * i], i => lines[2 * i + 1]);
    }

    /// <summary>A parameter help does not show (DontShow), such as the one that takes whatever was piped.</summary>
    private static bool Hidden(CommandParameterInfo parameter) => parameter.Attributes.OfType<ParameterAttribute>().Any(a => a.DontShow);

    private static bool IsCommon(string name) => Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);

    private static bool AnySet(CmdletInfo command, string parameter, Func<CommandParameterInfo, bool> test) =>
        command.ParameterSets.SelectMany(s => s.Parameters).Where(p => p.Name == parameter).Any(test);

    /// <summary>As the binder resolves a name: the parameter, one of its aliases, or an unambiguous prefix.</summary>
    private static bool Resolves(CmdletInfo command, string name)
    {
        var parameters = command.Parameters.Values.ToList();
        if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) || p.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))) return true;
        return parameters.Count(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)) == 1;
    }

    private static object? Dig(PSObject help, string outer, string inner) => help.P(outer) is PSObject o ? o.Properties[inner]?.Value : null;

    private static List<PSObject> Items(object? value) => value switch
    {
        null => new List<PSObject>(),
        PSObject { BaseObject: object[] array } => array.Select(PSObject.AsPSObject).ToList(),
        object[] array => array.Select(PSObject.AsPSObject).ToList(),
        _ => new List<PSObject> { PSObject.AsPSObject(value) },
    };

    private static string Text(object? description) => string.Join("", Items(description).Select(d => d.Properties["Text"]?.Value?.ToString()));
}
