using System.Diagnostics;
using System.Xml.Linq;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The help generator as the build runs it (same arguments, from the response file the build wrote), on doctored
/// copies of its sources: a gap must fail it with an error that names the cmdlet, the parameter and where to write.
/// </summary>
public sealed class HelpGeneratorTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("helpgen-").FullName;

    [Fact]
    public void Sources_as_built_generate_help_for_every_culture()
    {
        var run = Generate(BuiltDocs(), HelpSources());
        Assert.True(run.ExitCode == 0, run.Output);
        foreach (string culture in new[] { "en-US", "es-ES", "es" })
            Assert.True(File.Exists(Path.Combine(_temp, "out", culture, "Naova.WhatsAppToken.dll-Help.xml")), culture + "\n" + run.Output);
    }

    [Fact]
    public void An_undocumented_parameter_or_a_cmdlet_without_examples_fails_with_the_line_to_fix()
    {
        var docs = XDocument.Load(BuiltDocs());
        Member(docs, "P:Naova.WhatsAppToken.Commands.NewWaTokenCommand.Scope").Remove();
        foreach (var example in Member(docs, "T:Naova.WhatsAppToken.Commands.DisconnectWaBusinessCommand").Descendants("example").ToList()) example.Remove();
        string doctored = Path.Combine(_temp, "Naova.WhatsAppToken.xml");
        docs.Save(doctored);

        var run = Generate(doctored, HelpSources());

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"NewWaTokenCommand\.cs\(\d+\): error NWH106: New-WaToken -Scope", run.Output);
        Assert.Matches(@"DisconnectWaBusinessCommand\.cs\(\d+\): error NWH103: Cmdlet Disconnect-WaBusiness .* has 0 example", run.Output);
        Assert.False(Directory.Exists(Path.Combine(_temp, "out", "en-US")) && File.Exists(Path.Combine(_temp, "out", "en-US", "Naova.WhatsAppToken.dll-Help.xml")),
            "help was written despite the errors");
    }

    [Fact]
    public void A_missing_Spanish_text_fails_and_names_the_translation_file()
    {
        string help = CopyHelpSources();
        string file = Path.Combine(help, "es-ES", "New-WaToken.xml");
        var translation = XDocument.Load(file);
        translation.Root!.Elements("parameter").Single(p => (string?)p.Attribute("name") == "Expiration").Remove();
        translation.Root!.Elements("example").Last().Remove();
        translation.Save(file);

        var run = Generate(BuiltDocs(), help);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error NWH204: New-WaToken -Expiration has no es-ES description", run.Output);
        Assert.Contains("error NWH205: New-WaToken has 3 English example(s) and 2 in es-ES", run.Output);
        Assert.Contains(file, run.Output);
    }

    [Fact]
    public void An_example_without_a_title_or_mis_indented_and_an_output_without_a_description_fail_in_English()
    {
        var docs = XDocument.Load(BuiltDocs());
        Member(docs, "T:Naova.WhatsAppToken.Commands.NewWaTokenCommand").Elements("example").First().Attribute("title")!.Remove();
        var code = Member(docs, "T:Naova.WhatsAppToken.Commands.GetWaAppCommand").Elements("example").Last().Element("code")!;
        code.Value = code.Value.TrimStart();
        Member(docs, "T:Naova.WhatsAppToken.Commands.GetWaTokenCommand").Element("summary")!.Elements("para").Single(p => (string?)p.Attribute("type") == "output").Remove();
        string doctored = Path.Combine(_temp, "Naova.WhatsAppToken.xml");
        docs.Save(doctored);

        var run = Generate(doctored, HelpSources());

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"NewWaTokenCommand\.cs\(\d+\): error NWH107: Cmdlet New-WaToken .*: example 1 has no title", run.Output);
        Assert.Matches(@"GetWaAppCommand\.cs\(\d+\): error NWH111: Cmdlet Get-WaApp .*: example 2 starts its code", run.Output);
        Assert.Matches(@"GetWaTokenCommand\.cs\(\d+\): error NWH110: Cmdlet Get-WaToken .* writes System\.String, which has no description", run.Output);
    }

    [Fact]
    public void A_Spanish_example_without_its_title_or_an_output_without_its_text_fails()
    {
        string help = CopyHelpSources();
        string file = Path.Combine(help, "es-ES", "Revoke-WaToken.xml");
        var translation = XDocument.Load(file);
        translation.Root!.Elements("example").First().Attribute("title")!.Remove();
        translation.Save(file);
        string tokenFile = Path.Combine(help, "es-ES", "Get-WaToken.xml");
        var token = XDocument.Load(tokenFile);
        token.Root!.Element("output")!.Remove();
        token.Save(tokenFile);

        var run = Generate(BuiltDocs(), help);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error NWH206: Revoke-WaToken: es-ES example 1 needs a title attribute", run.Output);
        Assert.Contains("error NWH209: Output type System.String of Get-WaToken has no es-ES description", run.Output);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private (int ExitCode, string Output) Generate(string docs, string translations)
    {
        var (tool, responseFile) = BuiltGenerator();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(Repo.Root, "src", "Naova.WhatsAppToken"),
        };
        // The build's own arguments first; the later options replace its docs, translations and output.
        foreach (string argument in new[] { tool, "@" + responseFile, "--docs", docs, "--translations", translations, "--output", Path.Combine(_temp, "out") })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the generator did not finish");
        return (process.ExitCode, output + stderr.Result);
    }

    /// <summary>The generator and the response file of the last build of the cmdlet project (any configuration).</summary>
    private static (string Tool, string ResponseFile) BuiltGenerator()
    {
        var responseFile = Newest(Path.Combine(Repo.Root, "src", "Naova.WhatsAppToken", "obj"), "helpgen.rsp");
        var tool = Newest(Path.Combine(Repo.Root, "src", "Naova.WhatsAppToken.HelpGen", "bin"), "Naova.WhatsAppToken.HelpGen.dll");
        return (tool, responseFile);
    }

    private static string BuiltDocs()
    {
        var responseFile = BuiltGenerator().ResponseFile;
        var lines = File.ReadAllLines(responseFile);
        return lines[Array.IndexOf(lines, "--docs") + 1];
    }

    private static string HelpSources() => Path.Combine(Repo.Root, "src", "Naova.WhatsAppToken", "Help");

    private string CopyHelpSources()
    {
        string copy = Path.Combine(_temp, "Help");
        foreach (string file in Directory.GetFiles(HelpSources(), "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(HelpSources(), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    private static XElement Member(XDocument docs, string name) =>
        docs.Descendants("member").Single(m => (string?)m.Attribute("name") == name);

    private static string Newest(string folder, string fileName) =>
        new DirectoryInfo(folder).GetFiles(fileName, SearchOption.AllDirectories).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName
        ?? throw new FileNotFoundException($"{fileName} not found under {folder}: build the cmdlet project first.");
}
