using System.Diagnostics;

namespace Naova.WhatsAppToken.Pester;

/// <summary>
/// A child process run to its end: nothing on its standard input (a prompt fails instead of hanging), every line it
/// writes kept (stderr's marked), stopped with its children past a limit, and afterwards every process that still
/// carries its mark (a variable the caller put in its environment, which whatever it starts inherits) named and stopped.
/// </summary>
/// <param name="ExitCode">The child's exit code.</param>
/// <param name="TimedOut">Still running at the limit: it was stopped, with its children.</param>
/// <param name="Lines">stdout's lines as they are, stderr's as "stderr: ...", in the order they came.</param>
/// <param name="Left">Processes that carried the mark after it ended: stopped since.</param>
public sealed record ChildProcess(int ExitCode, bool TimedOut, List<string> Lines, IReadOnlyList<(int Pid, string Command)> Left)
{
    /// <param name="start">What to run; its environment carries <paramref name="markVariable"/>=<paramref name="mark"/>.</param>
    public static ChildProcess Run(ProcessStartInfo start, TimeSpan limit, string markVariable, string mark)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = new Process { StartInfo = start };
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (lines) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (lines) lines.Add("stderr: " + e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool timedOut = !process.WaitForExit(limit);
        if (timedOut) process.Kill(entireProcessTree: true);
        process.WaitForExit();

        var left = MarkedProcesses.Find(markVariable, mark);
        foreach (var (pid, _) in left)
            try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        lock (lines) return new ChildProcess(process.ExitCode, timedOut, new List<string>(lines), left);
    }
}
