using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// A quick first line for the PowerShell files of the repository (build.ps1, the emulator helper, examples, the Pester
/// suite), which the Pester suite then runs in real pwsh 7.6.10 (tests/Naova.WhatsAppToken.Pester): PowerShell's own
/// parser accepts them, they use no syntax Windows PowerShell 5.1 lacks (5.1 can not run here), 5.1 reads them as they
/// are meant (ASCII or a BOM), and every parameter they pass to this module's cmdlets exists.
/// </summary>
public class ScriptTests
{
    private static readonly string[] Skipped = { "bin", "obj", "out", "artifacts", ".git", "TestResults" };

    /// <summary>Scripts that only the hosted PowerShell 7.6 engine of the xunit tests runs (stand-in modules): not for 5.1.</summary>
    private const string HostedOnly = "tests/Naova.WhatsAppToken.Tests/";

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Repo.Root, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase))
                     .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'))
                     .Where(f => !f.Split('/').Any(Skipped.Contains) && !f.StartsWith(HostedOnly, StringComparison.Ordinal))
                     .OrderBy(f => f, StringComparer.Ordinal))
            data.Add(file);
        return data;
    }

    [Fact]
    public void The_build_script_the_demo_and_the_Pester_suite_are_all_there()
    {
        var scripts = ((IEnumerable<object[]>)Scripts()).Select(row => (string)row[0]).ToArray();
        foreach (string expected in new[] { "build.ps1", "examples/GraphEmulator.psm1", "examples/Onboard.ps1", "examples/AzureAutomation.Runbook.ps1", "tests/Pester/Onboarding.Tests.ps1", "tests/Pester/BuildScript.Tests.ps1", "tests/Pester/Environment.Tests.ps1", "tests/Pester/Gallery.Tests.ps1", "tests/Pester/Runbook.Tests.ps1", "tests/Pester/SecretStore.Tests.ps1" })
            Assert.Contains(expected, scripts);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Parses_without_error_and_uses_no_syntax_Windows_PowerShell_lacks(string file)
    {
        var ast = Parser.ParseFile(Path.Combine(Repo.Root, file), out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, file + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));

        var newer = ast.FindAll(a => a switch
        {
            TernaryExpressionAst => true,
            PipelineChainAst => true,
            BinaryExpressionAst b => b.Operator == TokenKind.QuestionQuestion,
            AssignmentStatementAst s => s.Operator == TokenKind.QuestionQuestionEquals,
            MemberExpressionAst m => m.NullConditional,
            IndexExpressionAst i => i.NullConditional,
            CommandParameterAst p => p.ParameterName.Equals("Parallel", StringComparison.OrdinalIgnoreCase),
            ScriptBlockAst sb => sb.CleanBlock != null,
            _ => false,
        }, searchNestedScriptBlocks: true).ToArray();
        Assert.True(newer.Length == 0, file + " uses PowerShell 7 syntax: " + string.Join("; ", newer.Select(a => $"line {a.Extent.StartLineNumber}: {a.Extent.Text}")));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Windows_PowerShell_reads_it_as_written(string file)
    {
        // 5.1 reads a file without a BOM in the ANSI code page: anything beyond ASCII needs the UTF-8 BOM.
        byte[] bytes = File.ReadAllBytes(Path.Combine(Repo.Root, file));
        bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        int offending = Array.FindIndex(bytes, b => b > 0x7F);
        Assert.True(bom || offending < 0, $"{file}: byte {offending} is not ASCII and the file has no UTF-8 BOM");
        Assert.DoesNotContain((byte)'\t', bytes);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Every_parameter_passed_to_a_module_cmdlet_exists(string file)
    {
        using var ps = new PsSession();
        var cmdlets = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<CmdletInfo>().ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var ast = Parser.ParseFile(Path.Combine(Repo.Root, file), out _, out _);
        var problems = new StringBuilder();
        foreach (var command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
        {
            if (command.GetCommandName() is not { } name || !cmdlets.TryGetValue(name, out var cmdlet)) continue;
            foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
            {
                string given = parameter.ParameterName;
                var matches = cmdlet.Parameters.Values.Where(p =>
                    p.Name.StartsWith(given, StringComparison.OrdinalIgnoreCase) || p.Aliases.Any(a => a.Equals(given, StringComparison.OrdinalIgnoreCase))).ToArray();
                bool exact = cmdlet.Parameters.Values.Any(p => p.Name.Equals(given, StringComparison.OrdinalIgnoreCase) || p.Aliases.Contains(given, StringComparer.OrdinalIgnoreCase));
                if (!exact && matches.Length != 1)
                    problems.Append(CultureInfo.InvariantCulture, $"line {parameter.Extent.StartLineNumber}: {name} -{given} ({(matches.Length == 0 ? "no such parameter" : "ambiguous")}); ");
            }
        }
        Assert.True(problems.Length == 0, file + ": " + problems);
    }

    /// <summary>
    /// A README or a page of docs/ that cites a file sends the reader looking for it: every file path one cites is in the
    /// repository (the first page, docs/*.md, benchmarks/README.md and the READMEs beside the code).
    /// </summary>
    [Fact]
    public void Every_file_a_README_cites_is_in_the_repository()
    {
        var readmes = new[] { Path.Combine(Repo.Root, "README.md"), Path.Combine(Repo.Root, "benchmarks", "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(Repo.Root, "docs"), "*.md", SearchOption.TopDirectoryOnly))
            .Concat(Directory.GetFiles(Path.Combine(Repo.Root, "src"), "README.md", SearchOption.AllDirectories))
            .Concat(Directory.GetFiles(Path.Combine(Repo.Root, "tests"), "README.md", SearchOption.AllDirectories))
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                && !f.Contains(Path.DirectorySeparatorChar + "node_modules" + Path.DirectorySeparatorChar)) // npm's packages (the Node SDK test), not ours
            .ToList();
        var cited = new List<string>();
        foreach (string readme in readmes)
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(readme),
                         @"`(?:\./)?(?<path>[\w.-]+(?:/[\w.*-]+)+\.(?:md|cs|json|ps1|psm1|psd1|csproj|ps1xml|resx|xml|txt))`"))
            {
                string path = m.Groups["path"].Value;
                cited.Add(path);
                var matches = path.Contains('*')
                    ? Directory.GetFiles(Path.Combine(Repo.Root, Path.GetDirectoryName(path)!), Path.GetFileName(path))
                    : File.Exists(Path.Combine(Repo.Root, path)) || File.Exists(Path.Combine(Path.GetDirectoryName(readme)!, path)) ? new[] { path } : [];
                Assert.True(matches.Length > 0, $"{Path.GetRelativePath(Repo.Root, readme)} cites {path}, which is not in the repository");
            }
        Assert.Contains("examples/Onboard.ps1", cited);
        Assert.Contains("src/Naova.WhatsAppToken.Emulator/seed.json", cited); // docs/emulator.md: the pages of docs/ are read too
    }

    /// <summary>An example that splats a variable (@emulatorSeed) must set it, or it can not be run as written.</summary>
    [Fact]
    public void Every_variable_a_script_example_splats_is_set_in_that_example()
    {
        var scripts = Directory.GetFiles(Path.Combine(Repo.Root, "examples"), "*.ps1").Append(Path.Combine(Repo.Root, "build.ps1")).ToList();
        int examples = 0;
        foreach (string script in scripts)
        {
            var ast = Parser.ParseFile(script, out _, out var errors);
            Assert.Empty(errors);
            foreach (string example in ast.GetHelpContent()?.Examples ?? [])
            {
                examples++;
                var code = Parser.ParseInput(example, out _, out _);
                var set = code.FindAll(a => a is AssignmentStatementAst, true).Cast<AssignmentStatementAst>()
                    .Select(a => a.Left).OfType<VariableExpressionAst>().Select(v => v.VariablePath.UserPath).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var splat in code.FindAll(a => a is VariableExpressionAst { Splatted: true }, true).Cast<VariableExpressionAst>())
                    Assert.True(set.Contains(splat.VariablePath.UserPath), $"{Path.GetFileName(script)}: an example splats @{splat.VariablePath.UserPath} without setting it:\n{example}");
            }
        }
        Assert.True(examples >= 2, "examples: " + examples);
    }
}
