using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Pester;

/// <summary>
/// Each Pester file of tests/Pester, run by Pester 5.9.1 in a real pwsh 7.6.10 process of its own (see
/// <see cref="PesterProcess"/>). A case fails with the name and error of every Pester test that failed, and when the
/// run leaves a process behind; its output lists every Pester test with its result. .ci/run counts the Pester tests
/// themselves (TestResults/Pester/*.counts), not these cases.
/// </summary>
/// <remarks>
/// The files are dealt into two classes, largest first, alternately: xunit runs the cases of one class one after the
/// other but two classes side by side, and a file mostly waits on the processes it starts. The files that run
/// build.ps1 all go to the first class, and the other lanes' builders to a class of the same collection (which xunit
/// runs one class after the other), so no two of them build this clone at once: two `dotnet build`s of one
/// clone side by side collide in obj/ (seen: crossgen's "The process cannot access the file ... R2R/ReactiveUI.Primitives.dll",
/// Package and Demo both failing). Beside the other classes a builder writes nothing: what dotnet test built is up to
/// date for it (BuildScript.Tests.ps1 and Gallery.Tests.ps1 check), so the files that import the module or start the
/// emulator meanwhile read whole files.
/// </remarks>
public abstract class PesterFiles(ITestOutputHelper output)
{
    protected static TheoryData<string> Share(int share)
    {
        var data = new TheoryData<string>();
        var files = Directory.EnumerateFiles(Path.Combine(Repo.Root, "tests", "Pester"), "*.Tests.ps1")
            .OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal).ToArray();
        // The builders are the first class's; the others go, largest first, to whichever class is smaller so far.
        var first = files.Where(RunsBuildScript).ToList();
        var second = new List<string>();
        long firstSize = first.Sum(f => new FileInfo(f).Length), secondSize = 0;
        foreach (var file in files.Except(first))
        {
            long size = new FileInfo(file).Length;
            if (firstSize <= secondSize) { first.Add(file); firstSize += size; }
            else { second.Add(file); secondSize += size; }
        }
        foreach (var file in share == 0 ? first : second) data.Add(Path.GetFileName(file));
        return data;
    }

    /// <summary>Every Pester file, in name order; <paramref name="builders"/>: only those that run build.ps1, or only the others.</summary>
    protected static TheoryData<string> All(bool builders)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repo.Root, "tests", "Pester"), "*.Tests.ps1").Order(StringComparer.Ordinal))
            if (RunsBuildScript(file) == builders) data.Add(Path.GetFileName(file));
        return data;
    }

    private static bool RunsBuildScript(string file) => File.ReadAllText(file).Contains("'build.ps1'", StringComparison.Ordinal);

    protected void Run(string file, bool sharedModules = true, PesterHost? host = null)
    {
        var run = PesterProcess.Run(Path.Combine(Repo.Root, "tests", "Pester", file), sharedModules, host);
        foreach (var line in run.Describe()) output.WriteLine(line);
        Assert.True(run.Problems.Count == 0, string.Join("\n", run.Problems));
    }
}

/// <summary>The builders' collection: its classes run one after the other, so no two build.ps1 runs build this clone at once.</summary>
[CollectionDefinition(Name)]
public class Builders
{
    public const string Name = "Pester files that run build.ps1";
}

[Collection(Builders.Name)]
public class PesterSuiteTests(ITestOutputHelper output) : PesterFiles(output)
{
    public static TheoryData<string> Files() => Share(0);

    [Theory]
    [MemberData(nameof(Files))]
    public void Passes_in_real_pwsh(string file) => Run(file);
}

public class PesterSuiteTestsSecondShare(ITestOutputHelper output) : PesterFiles(output)
{
    public static TheoryData<string> Files() => Share(1);

    [Theory]
    [MemberData(nameof(Files))]
    public void Passes_in_real_pwsh(string file) => Run(file);
}

/// <summary>
/// Two vault-using files again, with ../shared/psmodules left off PSModulePath: the stand-in path the suite keeps for
/// machines that have neither real module, run in real pwsh too (their titles say which backend they ran against).
/// </summary>
public class PesterStandInTests(ITestOutputHelper output) : PesterFiles(output)
{
    [Theory]
    [InlineData("Clixml.Tests.ps1")]
    [InlineData("Onboarding.Tests.ps1")]
    public void Passes_in_real_pwsh_against_the_stand_in(string file) => Run(file, sharedModules: false);
}

/// <summary>
/// Every Pester file again, in PowerShell 7.4.22 on .NET 8 (tests/hosts/Pwsh74, built from NuGet): what Azure Automation's
/// PowerShell 7.4 runs. Results in TestResults/Pester/pwsh74. A file that needs what this pwsh lacks (it has no PSReadLine,
/// PSResourceGet, ThreadJob or Archive) skips those tests itself, saying why.
/// </summary>
public class PesterInPwsh74Tests(ITestOutputHelper output) : PesterFiles(output)
{
    public static TheoryData<string> Files() => All(builders: false);

    [Theory]
    [MemberData(nameof(Files))]
    public void Passes_in_pwsh_7_4(string file) => Run(file, host: PesterHost.Pwsh74);
}

/// <summary>The files of the 7.4 lane that run build.ps1: in the builders' collection, after or before the 7.6 lane's.</summary>
[Collection(Builders.Name)]
public class PesterInPwsh74BuildersTests(ITestOutputHelper output) : PesterFiles(output)
{
    public static TheoryData<string> Files() => All(builders: true);

    [Theory]
    [MemberData(nameof(Files))]
    public void Passes_in_pwsh_7_4(string file) => Run(file, host: PesterHost.Pwsh74);
}
