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
/// build.ps1 all go to the first class, so no two of them build this clone at once: two `dotnet build`s of one
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

    private static bool RunsBuildScript(string file) => File.ReadAllText(file).Contains("'build.ps1'", StringComparison.Ordinal);

    protected void Run(string file, bool sharedModules = true)
    {
        var run = PesterProcess.Run(Path.Combine(Repo.Root, "tests", "Pester", file), sharedModules);
        foreach (var line in run.Describe()) output.WriteLine(line);
        Assert.True(run.Problems.Count == 0, string.Join("\n", run.Problems));
    }
}

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
