using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// An interactive host whose person answers every choice with <see cref="Answer"/> (a label such as "&amp;Yes" or "&amp;No"
/// without the ampersand), and counts how often it was asked. Reading a line or a secret fails: nothing here should.
/// </summary>
public sealed class ScriptedHost : PSHost
{
    private readonly ScriptedUI _ui;

    public ScriptedHost(string answer) => _ui = new ScriptedUI(answer);

    public int Prompts => _ui.Prompts;

    /// <summary>Everything written to the host's screen (What if: lines among them).</summary>
    public IReadOnlyList<string> Lines => _ui.Lines;

    public override string Name => "ScriptedTestHost";

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

    private sealed class ScriptedUI : PSHostUserInterface
    {
        private readonly string _answer;

        public ScriptedUI(string answer) => _answer = answer;

        public int Prompts { get; private set; }

        public List<string> Lines { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts++;
            for (int i = 0; i < choices.Count; i++)
                if (string.Equals(choices[i].Label.Replace("&", string.Empty), _answer, StringComparison.OrdinalIgnoreCase)) return i;
            throw new InvalidOperationException("no choice labelled " + _answer + " among " + string.Join(", ", choices.Select(c => c.Label)));
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException("Prompt was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("PromptForCredential was called");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("PromptForCredential was called");

        public override string ReadLine() => throw new InvalidOperationException("ReadLine was called");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("ReadLineAsSecureString was called");

        public override void Write(string value) => Lines.Add(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);

        public override void WriteLine(string value) => Lines.Add(value);

        public override void WriteErrorLine(string value) { }

        public override void WriteDebugLine(string message) { }

        public override void WriteProgress(long sourceId, ProgressRecord record) { }

        public override void WriteVerboseLine(string message) { }

        public override void WriteWarningLine(string message) { }
    }
}
