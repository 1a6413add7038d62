using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// A host that keeps what Out-Default writes, as a console of a fixed width would show it, so tests read the module's
/// format views the way a person does. It takes no input: anything that would prompt fails the test.
/// </summary>
public sealed class RenderingHost : PSHost
{
    private readonly RenderingUI _ui;

    public RenderingHost(int width = 160) => _ui = new RenderingUI(width);

    /// <summary>What was shown, as plain text: the tests read columns, not colours (ANSI styles are dropped).</summary>
    public string Text => Ansi.Replace(_ui.Text.ToString(), string.Empty);

    private static readonly System.Text.RegularExpressions.Regex Ansi = new(@"\x1b\[[0-9;?]*[A-Za-z]");

    public void Clear() => _ui.Text.Clear();

    public override string Name => "RenderingTestHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void SetShouldExit(int exitCode) { }

    public override void EnterNestedPrompt() => throw new InvalidOperationException("no nested prompts in tests");

    public override void ExitNestedPrompt() { }

    public override void NotifyBeginApplication() { }

    public override void NotifyEndApplication() { }

    /// <summary>A runspace on this host with the built module imported; the caller disposes it.</summary>
    public Runspace OpenWithModule()
    {
        var runspace = RunspaceFactory.CreateRunspace(this, InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($"Import-Module '{Repo.Manifest}' -ErrorAction Stop").Invoke();
        Assert.False(ps.HadErrors, "import failed");
        return runspace;
    }

    /// <summary>Runs <paramref name="script"/>, whose output goes to Out-Default, and answers what this host was given to show.</summary>
    public string Render(Runspace runspace, string script, object? variables = null)
    {
        Clear();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        if (variables != null)
            foreach (var property in variables.GetType().GetProperties())
                runspace.SessionStateProxy.SetVariable(property.Name, property.GetValue(variables));
        ps.AddScript(script).AddCommand("Out-Default");
        ps.Invoke();
        Assert.False(ps.HadErrors, "errors: " + string.Join(" | ", ps.Streams.Error.Select(e => e.ToString())));
        return Text;
    }

    private sealed class RenderingUI : PSHostUserInterface
    {
        private readonly RenderingRawUI _raw;

        public RenderingUI(int width) => _raw = new RenderingRawUI(width);

        public StringBuilder Text { get; } = new();

        public override PSHostRawUserInterface RawUI => _raw;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("Prompt was called");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new InvalidOperationException("PromptForChoice was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("PromptForCredential was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("PromptForCredential was called");

        public override string ReadLine() => throw new InvalidOperationException("ReadLine was called");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("ReadLineAsSecureString was called");

        public override void Write(string value) => Text.Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Text.Append(value);

        public override void WriteLine(string value) => Text.Append(value).Append('\n');

        public override void WriteErrorLine(string value) => Text.Append(value).Append('\n');

        public override void WriteDebugLine(string message) { }

        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override void WriteVerboseLine(string message) { }

        public override void WriteWarningLine(string message) { }
    }

    private sealed class RenderingRawUI : PSHostRawUserInterface
    {
        private readonly int _width;

        public RenderingRawUI(int width) => _width = width;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Coordinates CursorPosition { get; set; }

        public override Coordinates WindowPosition { get; set; }

        public override int CursorSize { get; set; }

        public override Size BufferSize { get => new(_width, 3000); set { } }

        public override Size WindowSize { get => new(_width, 50); set { } }

        public override Size MaxWindowSize => new(_width, 50);

        public override Size MaxPhysicalWindowSize => new(_width, 50);

        public override bool KeyAvailable => false;

        public override string WindowTitle { get; set; } = string.Empty;

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("ReadKey was called");

        public override void FlushInputBuffer() { }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    }
}
