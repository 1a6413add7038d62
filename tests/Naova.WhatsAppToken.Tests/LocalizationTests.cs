using System.Management.Automation;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// English and Spanish: every message key in both resource files with the same placeholders, the Spanish satellite
/// in the module folder, and real errors of the module in the language of the UI culture that runs the pipeline.
/// </summary>
public class LocalizationTests
{
    private static readonly string Resources = Path.Combine(Repo.Root, "src", "Naova.WhatsAppToken", "Resources");

    [Fact]
    public void Every_message_key_is_in_English_and_Spanish_with_the_same_placeholders()
    {
        var english = Read("Messages.resx");
        var spanish = Read("Messages.es.resx");
        Assert.True(english.Count > 0);
        var onlyEnglish = english.Keys.Except(spanish.Keys).ToList();
        var onlySpanish = spanish.Keys.Except(english.Keys).ToList();
        Assert.True(onlyEnglish.Count == 0, "no Spanish for: " + string.Join(", ", onlyEnglish));
        Assert.True(onlySpanish.Count == 0, "Spanish for keys English no longer has: " + string.Join(", ", onlySpanish));
        var mismatched = english.Keys
            .Where(k => !Placeholders(english[k]).SetEquals(Placeholders(spanish[k])))
            .Select(k => $"{k}: [{string.Join(" ", Placeholders(english[k]))}] vs [{string.Join(" ", Placeholders(spanish[k]))}]")
            .ToList();
        Assert.True(mismatched.Count == 0, string.Join("\n", mismatched));
        var empty = spanish.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key).ToList();
        Assert.True(empty.Count == 0, "empty Spanish: " + string.Join(", ", empty));
    }

    [Fact]
    public void Spanish_satellite_assembly_is_in_the_module_folder()
    {
        Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, "es", "Naova.WhatsAppToken.resources.dll")));
        Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, "en-US", "Naova.WhatsAppToken.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, "es-ES", "Naova.WhatsAppToken.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, "es-ES", "about_Naova.WhatsAppToken.help.txt")));
    }

    [Theory]
    [InlineData("en-US", "Not connected to a Meta business.", "Run Connect-WaBusiness")]
    [InlineData("es-ES", "No hay conexión con un negocio de Meta.", "Ejecute Connect-WaBusiness")]
    [InlineData("es-MX", "No hay conexión con un negocio de Meta.", "Ejecute Connect-WaBusiness")]
    public void A_cmdlet_error_speaks_the_UI_culture_of_the_pipeline(string cultureName, string message, string remedy)
    {
        using var culture = CultureScope.Use(cultureName);
        using var ps = new PsSession();
        var result = ps.Run("$PSUICulture; Get-WaSystemUser");
        Assert.Equal(cultureName, result.Output.Single().ToString());
        var error = Assert.Single(result.Errors);
        Assert.Equal("NotConnected,Naova.WhatsAppToken.Commands.GetWaSystemUserCommand", error.FullyQualifiedErrorId);
        Assert.Equal(message, error.ErrorDetails.Message);
        Assert.StartsWith(remedy, error.ErrorDetails.RecommendedAction);
    }

    [Theory]
    [InlineData("en-US", "'12ab' is not a Graph id")]
    [InlineData("es-ES", "'12ab' no es un identificador de Graph")]
    public void A_validation_error_speaks_the_UI_culture_of_the_pipeline(string cultureName, string expected)
    {
        using var culture = CultureScope.Use(cultureName);
        using var ps = new PsSession();
        var result = ps.Run("Get-WaSystemUser -Id 12ab");
        var failure = (Exception?)result.Terminating ?? result.Errors.Single().Exception;
        var binding = Assert.IsAssignableFrom<ParameterBindingException>(failure is ActionPreferenceStopException stop ? stop.ErrorRecord.Exception : failure);
        Assert.Equal("ParameterArgumentValidationError", binding.ErrorId);
        Assert.Contains(expected, binding.Message);
    }

    [Fact]
    public void The_culture_scope_is_restored_so_other_tests_keep_theirs()
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture.Name;
        using (CultureScope.Use(before == "es-ES" ? "en-US" : "es-ES"))
            Assert.NotEqual(before, System.Globalization.CultureInfo.CurrentUICulture.Name);
        Assert.Equal(before, System.Globalization.CultureInfo.CurrentUICulture.Name);
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);

    /// <summary>The format items of a composite format string, with their alignment and format: {0}, {1:0.#}.</summary>
    private static HashSet<string> Placeholders(string text) =>
        Regex.Matches(text.Replace("{{", string.Empty).Replace("}}", string.Empty), @"\{\d+(,-?\d+)?(:[^}]*)?\}").Select(m => m.Value).ToHashSet();
}
