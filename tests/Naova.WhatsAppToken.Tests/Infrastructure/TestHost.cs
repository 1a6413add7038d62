using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// The one host the tests run the engine on. It keeps everything written to its UI: what the formatter renders
/// (Out-Default) on a console <c>width</c> columns wide, What if: lines, and the error, warning, verbose, debug,
/// information and progress lines a console would show; what a person or a transcript would see, for leak searches
/// and for reading format views as a person does. With an <see cref="Answer"/> a person answers every choice
/// (ShouldProcess and ShouldContinue prompts among them); without one nobody is there, and anything that would prompt
/// fails the test. Reading a line, a secret, a credential or a key always fails: nothing here should.
/// (A host the module must treat as non-interactive is the engine's own Default Host: PsSession without a host.)
/// </summary>
public sealed class TestHost : PSHost
{
    private static readonly Regex Ansi = new(@"\x1b\[[0-9;?]*[A-Za-z]");

    private readonly TestUI _ui;

    public TestHost(int width = 160) => _ui = new TestUI(this, width);

    /// <summary>The label of the choice the person picks at every prompt ("Yes", "No": without the ampersand); null: no person.</summary>
    public string? Answer { get; init; }

    /// <summary>The culture the engine runs under; null: the test thread's, as a console would.</summary>
    public CultureInfo? Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>How often a choice was asked for.</summary>
    public int Prompts => _ui.Prompts;

    /// <summary>Each question asked (a confirmation's caption and message, on one line), in order.</summary>
    public IReadOnlyList<string> Questions => _ui.Questions;

    /// <summary>What was shown, as plain text: the tests read words and columns, not colours (ANSI styles are dropped).</summary>
    public string Text => Ansi.Replace(_ui.Text, string.Empty);

    public void Clear() => _ui.Clear();

    public override string Name => "TestHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => Culture ?? CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => Culture ?? CultureInfo.CurrentUICulture;

    public override void SetShouldExit(int exitCode) { }

    public override void EnterNestedPrompt() => throw new InvalidOperationException("no nested prompts in tests");

    public override void ExitNestedPrompt() { }

    public override void NotifyBeginApplication() { }

    public override void NotifyEndApplication() { }

    private sealed class TestUI(TestHost host, int width) : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();
        private readonly TestRawUI _raw = new(width);
        private readonly List<string> _questions = new();
        private int _prompts;

        public IReadOnlyList<string> Questions
        {
            get { lock (_questions) return _questions.ToArray(); }
        }

        public string Text
        {
            get { lock (_text) return _text.ToString(); }
        }

        public int Prompts => _prompts;

        public override PSHostRawUserInterface RawUI => _raw;

        public void Clear()
        {
            lock (_text) _text.Clear();
        }

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

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Interlocked.Increment(ref _prompts);
            lock (_questions) _questions.Add(caption + " | " + message);
            string answer = host.Answer ?? throw new InvalidOperationException("PromptForChoice was called");
            for (int i = 0; i < choices.Count; i++)
                if (string.Equals(choices[i].Label.Replace("&", string.Empty), answer, StringComparison.OrdinalIgnoreCase)) return i;
            throw new InvalidOperationException("no choice labelled " + answer + " among " + string.Join(", ", choices.Select(c => c.Label)));
        }

        public override string ReadLine() => throw new InvalidOperationException("ReadLine was called");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("ReadLineAsSecureString was called");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("Prompt was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("PromptForCredential was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("PromptForCredential was called");
    }

    /// <summary>A fixed console: the formatter lays tables out to its buffer width, wrapping what does not fit.</summary>
    private sealed class TestRawUI(int width) : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override Size BufferSize { get => new(width, 3000); set { } }

        public override Size WindowSize { get => new(width, 100); set { } }

        public override Size MaxWindowSize => new(width, 100);

        public override Size MaxPhysicalWindowSize => new(width, 100);

        public override Coordinates CursorPosition { get; set; }

        public override Coordinates WindowPosition { get; set; }

        public override int CursorSize { get; set; } = 1;

        public override bool KeyAvailable => false;

        public override string WindowTitle { get; set; } = "tests";

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("ReadKey was called");

        public override void FlushInputBuffer() { }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
