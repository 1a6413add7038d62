using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>Where the build leaves the module, found from the repository root (the folder holding NaovaPs.sln).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string ModuleFolder => Path.Combine(Root, "out", "Naova.WhatsAppToken");

    public static string Manifest => Path.Combine(ModuleFolder, "Naova.WhatsAppToken.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NaovaPs.sln"))) return dir.FullName;
        throw new InvalidOperationException("NaovaPs.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Everything one script wrote, stream by stream, and a terminating error if it threw one.</summary>
public sealed record PsResult(
    Collection<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<WarningRecord> Warnings,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<DebugRecord> Debug,
    IReadOnlyList<InformationRecord> Information,
    IReadOnlyList<ProgressRecord> Progress,
    Exception? Terminating)
{
    public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

    public T Single<T>() => Assert.Single(Objects<T>());

    /// <summary>Output objects of a module type, by its short name (WaToken, WaTokenReport, ...).</summary>
    public PSObject[] Of(string typeName) => Output.Where(o => o.BaseObject.GetType().FullName == "Naova.WhatsAppToken." + typeName).ToArray();

    public PSObject One(string typeName) => Assert.Single(Of(typeName));

    /// <summary>
    /// Every error of the run: a cmdlet's ThrowTerminatingError only ends its statement inside a script, so it
    /// lands in the error stream; a script-terminating one comes as the exception.
    /// </summary>
    public IReadOnlyList<ErrorRecord> AllErrors() =>
        Errors.Concat(Terminating is IContainsErrorRecord t ? [t.ErrorRecord] : []).ToList();

    public ErrorRecord SingleError() => Assert.Single(AllErrors());

    public PsResult AssertClean()
    {
        Assert.True(Terminating == null, "terminating error: " + Terminating?.Message);
        Assert.True(Errors.Count == 0, "errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + (e.ErrorDetails?.Message ?? e.Exception.Message))));
        return this;
    }

    /// <summary>Every text a user or a log could see from this run, for leak searches.</summary>
    public string AllText() => string.Join("\n", new[]
    {
        string.Join("\n", Output.Select(o => o?.ToString())),
        string.Join("\n", Output.SelectMany(o => o?.Properties.Select(p => SafeValue(p)) ?? [])),
        string.Join("\n", Errors.Select(e => $"{e} {e.ErrorDetails?.Message} {e.ErrorDetails?.RecommendedAction} {e.Exception} {e.TargetObject}")),
        string.Join("\n", Warnings.Select(w => w.Message)),
        string.Join("\n", Verbose.Select(v => v.Message)),
        string.Join("\n", Debug.Select(d => d.Message)),
        string.Join("\n", Information.Select(i => i.MessageData?.ToString())),
        string.Join("\n", Progress.Select(p => p.Activity + " " + p.StatusDescription + " " + p.CurrentOperation)),
        Terminating?.ToString() ?? string.Empty,
    });

    private static string SafeValue(PSPropertyInfo p)
    {
        try { return p.Name + "=" + p.Value; } catch (Exception ex) { return p.Name + "!" + ex.GetType().Name; }
    }
}

/// <summary>
/// A runspace of the real PowerShell 7.6 engine with the built module imported from its folder, as a user's
/// Import-Module would. Only the engine's core cmdlets exist here (no Utility module), and so scripts use only those.
/// </summary>
public sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;

    public PsSession(bool importModule = true)
        : this(null, importModule)
    {
    }

    /// <summary>On a <see cref="TestHost"/> (null: the engine's default host, which is not interactive).</summary>
    // Update-WaToken's locks and journals go to a folder of this test run, never the user's own state folder.
    private static readonly string StateFolder = SetStateFolder();

    private static string SetStateFolder()
    {
        string folder = Directory.CreateTempSubdirectory("naova-state-").FullName;
        Environment.SetEnvironmentVariable("NAOVA_WHATSAPPTOKEN_STATE", folder);
        return folder;
    }

    public PsSession(TestHost? host, bool importModule)
    {
        _ = StateFolder;
        var state = InitialSessionState.CreateDefault2();
        _runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        Host = host;
        if (importModule) Run($"Import-Module '{Repo.Manifest}' -ErrorAction Stop").AssertClean();
    }

    public Runspace Runspace => _runspace;

    public TestHost? Host { get; }

    public PsResult Run(string script, object? variables = null) => Run(script, variables, outDefault: false);

    /// <summary>Runs <paramref name="script"/>, whose output goes to Out-Default, and answers what the host was given to show for it.</summary>
    public string Render(string script, object? variables = null)
    {
        var host = Host ?? throw new InvalidOperationException("rendering needs a TestHost");
        host.Clear();
        Run(script, variables, outDefault: true).AssertClean();
        return host.Text;
    }

    private PsResult Run(string script, object? variables, bool outDefault)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables != null)
            foreach (var property in variables.GetType().GetProperties())
                _runspace.SessionStateProxy.SetVariable(property.Name, property.GetValue(variables));
        ps.AddScript(script);
        if (outDefault) ps.AddCommand("Out-Default");
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
        }
        return new PsResult(output, ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), ps.Streams.Verbose.ToList(),
            ps.Streams.Debug.ToList(), ps.Streams.Information.ToList(), ps.Streams.Progress.ToList(), terminating);
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Reads module objects as PowerShell sees them: by property name (the test does not load a second copy of the module's types).</summary>
public static class PsObjectExtensions
{
    public static object? P(this PSObject o, string name) =>
        (o.Properties[name] ?? throw new KeyNotFoundException($"{o.BaseObject.GetType().Name} has no property {name}")).Value;

    public static string? S(this PSObject o, string name) => o.P(name)?.ToString();

    public static string[] Strings(this PSObject o, string name) =>
        o.P(name) is System.Collections.IEnumerable items and not string ? items.Cast<object>().Select(i => i.ToString()!).ToArray() : [];

    public static string TypeName(this PSObject o) => o.BaseObject.GetType().FullName!;
}
