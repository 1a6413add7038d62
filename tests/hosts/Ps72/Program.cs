using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Naova.WhatsAppToken.Hosts;

/// <summary>
/// Runs one script file in the PowerShell engine this program was built with, in a runspace of
/// <see cref="InitialSessionState.CreateDefault2"/>: each output object as a line on stdout, each error and warning as
/// a line on stderr ("error: &lt;ErrorId&gt;: &lt;message&gt;"). Exit code 0 when the script ran to its end without an
/// error, 1 otherwise, 2 for a wrong command line.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: Ps72 <script.ps1> [argument...]");
            return 2;
        }
        // The execution policy is left as it is: PowerShell has none off Windows, and setting it there throws.
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = PowerShell.Create(runspace);
        shell.AddCommand(Path.GetFullPath(args[0]));
        foreach (string argument in args.Skip(1)) shell.AddArgument(argument);
        shell.Streams.Error.DataAdded += (_, e) => Report("error", shell.Streams.Error[e.Index]);
        shell.Streams.Warning.DataAdded += (_, e) => Console.Error.WriteLine("warning: " + shell.Streams.Warning[e.Index].Message);
        // Each line as it comes: what a script wrote before it failed is kept.
        using var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => Console.Out.WriteLine(output[e.Index]?.ToString());
        try
        {
            shell.Invoke<PSObject, PSObject>(null, output, new PSInvocationSettings());
        }
        catch (RuntimeException e)
        {
            Report("terminated", e.ErrorRecord);
            return 1;
        }
        return shell.HadErrors ? 1 : 0;
    }

    private static void Report(string kind, ErrorRecord error) =>
        Console.Error.WriteLine($"{kind}: {error.FullyQualifiedErrorId}: {error.Exception.Message}" +
                                (error.InvocationInfo?.PositionMessage is { Length: > 0 } where ? "\n" + where : string.Empty));
}
