using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// A host that keeps everything written to its UI: what the formatter renders (Out-Default), and the error, warning,
/// verbose, debug, information and progress lines a console would show; what a person or a transcript would see.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUI _ui = new();

    public string Text => _ui.Text;

    public override string Name => "RecordingTestHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override void SetShouldExit(int exitCode) { }

    public override void EnterNestedPrompt() => throw new InvalidOperationException("no nested prompts in tests");

    public override void ExitNestedPrompt() { }

    public override void NotifyBeginApplication() { }

    public override void NotifyEndApplication() { }

    private sealed class RecordingUI : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();
        private readonly RecordingRawUI _raw = new();

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }

        public override PSHostRawUserInterface RawUI => _raw;

        private void Add(string? value)
        {
            lock (_text) _text.Append(value);
        }

        public override void Write(string value) => Add(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Add(value);

        public override void WriteLine(string value) => Add(value + "\n");

        public override void WriteErrorLine(string value) => Add("ERROR: " + value + "\n");

        public override void WriteDebugLine(string message) => Add("DEBUG: " + message + "\n");

        public override void WriteVerboseLine(string message) => Add("VERBOSE: " + message + "\n");

        public override void WriteWarningLine(string message) => Add("WARNING: " + message + "\n");

        public override void WriteInformation(InformationRecord record) => Add("INFO: " + record.MessageData + "\n");

        public override void WriteProgress(long sourceId, ProgressRecord record) =>
            Add($"PROGRESS: {record.Activity} | {record.StatusDescription} | {record.CurrentOperation}\n");

        public override string ReadLine() => throw new InvalidOperationException("ReadLine was called");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("ReadLineAsSecureString was called");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("Prompt was called");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new InvalidOperationException("PromptForChoice was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("PromptForCredential was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("PromptForCredential was called");
    }

    /// <summary>A wide, fixed console, so table views render every column.</summary>
    private sealed class RecordingRawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override Size BufferSize { get; set; } = new(400, 3000);

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; } = 1;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(400, 100);

        public override Size MaxWindowSize => new(400, 100);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; } = new(400, 100);

        public override string WindowTitle { get; set; } = "tests";

        public override void FlushInputBuffer() { }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("ReadKey was called");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}

/// <summary>A runspace on a <see cref="RecordingHost"/>, with the built module imported, that runs scripts as <see cref="PsSession"/> does.</summary>
public sealed class RecordedSession : IDisposable
{
    private readonly Runspace _runspace;

    public RecordedSession()
    {
        _runspace = RunspaceFactory.CreateRunspace(Host, InitialSessionState.CreateDefault2());
        _runspace.Open();
        Run($"Import-Module '{Repo.Manifest}' -ErrorAction Stop").AssertClean();
    }

    public RecordingHost Host { get; } = new();

    public PsResult Run(string script, object? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        if (variables != null)
            foreach (var property in variables.GetType().GetProperties())
                _runspace.SessionStateProxy.SetVariable(property.Name, property.GetValue(variables));
        ps.AddScript(script);
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
