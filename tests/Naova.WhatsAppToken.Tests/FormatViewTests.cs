using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Security;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The module's format views: every name they use exists on the type they show, no view can show a secret, every
/// output type has a table, and the tables read right when the real formatter draws them (Out-Default on a host).
/// </summary>
public class FormatViewTests
{
    private static string FormatFile => Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.format.ps1xml");

    private static readonly Regex ScriptProperty = new(@"\$_((?:\.[A-Za-z_][A-Za-z0-9_]*)+)", RegexOptions.CultureInvariant);

    private sealed record ViewInfo(string Name, string TypeName, string Control, IReadOnlyList<string> Properties, IReadOnlyList<string> Scripts);

    private static IReadOnlyList<ViewInfo> Views()
    {
        var doc = XDocument.Load(FormatFile);
        return doc.Descendants("View").Select(v => new ViewInfo(
            v.Element("Name")!.Value,
            v.Element("ViewSelectedBy")!.Element("TypeName")!.Value,
            v.Elements().First(e => e.Name.LocalName.EndsWith("Control")).Name.LocalName,
            v.Descendants("PropertyName").Select(p => p.Value.Trim()).ToArray(),
            v.Descendants("ScriptBlock").Select(p => p.Value.Trim()).ToArray())).ToArray();
    }

    /// <summary>The module's types, as the imported module defines them (the test does not reference the module).</summary>
    private static Type[] ModuleTypes(PsSession ps) =>
        ps.Run("(Get-Module Naova.WhatsAppToken).ImplementingAssembly.GetExportedTypes()").AssertClean().Objects<Type>().ToArray();

    [Fact]
    public void The_engine_loads_the_format_file_without_complaint()
    {
        // FormatTable is the engine's own loader: it refuses any file Update-FormatData would refuse.
        var table = new FormatTable(new[] { FormatFile });
        Assert.NotNull(table);
        using var ps = new PsSession();
        Assert.Contains(FormatFile, ps.Run("(Get-Module Naova.WhatsAppToken).ExportedFormatFiles").AssertClean().Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Every_name_a_view_uses_is_a_public_property_of_its_type_and_none_is_a_secret()
    {
        using var ps = new PsSession();
        var types = ModuleTypes(ps).ToDictionary(t => t.FullName!);
        var views = Views();
        Assert.True(views.Count >= 10, "views: " + views.Count);
        foreach (var view in views)
        {
            Assert.True(types.TryGetValue(view.TypeName, out var type), $"{view.Name}: no type {view.TypeName} in the module");
            foreach (string property in view.Properties) Resolve(view, type!, new[] { property });
            foreach (string script in view.Scripts)
            {
                var uses = ScriptProperty.Matches(script).Select(m => m.Groups[1].Value.Trim('.').Split('.')).ToArray();
                Assert.True(uses.Length > 0, $"{view.Name}: script '{script}' reads no property of $_");
                foreach (var chain in uses) Resolve(view, type!, chain);
            }
        }
    }

    /// <summary>Follows $_.A.B through property types (and array elements, as member enumeration does); no step may be a SecureString.</summary>
    private static void Resolve(ViewInfo view, Type type, string[] chain)
    {
        var current = type;
        foreach (string name in chain)
        {
            if (current.IsArray) current = current.GetElementType()!;
            var property = current.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property == null && current == typeof(string) || current.IsPrimitive) return; // .Count, .Length and the like on simple values
            Assert.True(property != null, $"{view.Name}: {current.Name} has no public property {name}");
            Assert.False(typeof(SecureString).IsAssignableFrom(property!.PropertyType), $"{view.Name} shows {current.Name}.{name}, a SecureString");
            current = property.PropertyType;
        }
    }

    [Fact]
    public void No_view_of_a_token_names_its_text()
    {
        var tokenViews = Views().Where(v => v.TypeName == "Naova.WhatsAppToken.WaToken").ToArray();
        Assert.NotEmpty(tokenViews);
        foreach (var view in tokenViews)
        {
            Assert.DoesNotContain("Token", view.Properties);
            Assert.Contains("Fingerprint", view.Properties);
            Assert.All(view.Scripts, s => Assert.DoesNotMatch(@"\.Token\b", s));
        }
        var connection = Views().Single(v => v.TypeName == "Naova.WhatsAppToken.WaConnection");
        Assert.DoesNotContain("AccessToken", connection.Properties);
        Assert.DoesNotContain("AppSecret", connection.Properties);
    }

    [Fact]
    public void Every_type_a_cmdlet_writes_has_a_table_first_and_reports_have_a_list_with_every_problem()
    {
        using var ps = new PsSession();
        var outputTypes = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<CmdletInfo>()
            .SelectMany(c => c.ImplementingType.GetCustomAttributes(typeof(OutputTypeAttribute), false).Cast<OutputTypeAttribute>())
            .SelectMany(a => a.Type).Select(t => t.Type?.FullName ?? t.Name)
            .Where(n => n.StartsWith("Naova.WhatsAppToken.", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.Contains("Naova.WhatsAppToken.WaWhatsAppAccount", outputTypes);
        var views = Views();
        foreach (string type in outputTypes)
        {
            var first = views.FirstOrDefault(v => v.TypeName == type);
            Assert.True(first != null, $"no view for {type}");
            Assert.Equal("TableControl", first!.Control);
        }

        var list = Assert.Single(views, v => v.TypeName == "Naova.WhatsAppToken.WaTokenReport" && v.Control == "ListControl");
        Assert.Contains(list.Scripts, s => s.Contains("$_.Problems"));
        var report = views.First(v => v.TypeName == "Naova.WhatsAppToken.WaTokenReport");
        Assert.Equal(new[] { "Fingerprint", "Status", "Expires" }, report.Properties.Take(3));
        Assert.Contains("Remedy", report.Properties);
    }

    [Fact]
    public async Task Tables_read_at_a_glance_when_drawn_by_the_real_formatter()
    {
        await using var s = await EmulatorSession.StartAsync();
        var host = new TestHost();
        using var session = new PsSession(host, importModule: true);
        var runspace = session.Runspace;
        var vars = s.Vars();
        session.Render(EmulatorSession.Connect.TrimEnd() + " -PassThru", vars);
        Assert.Contains("TokenFingerprint", host.Text);

        string accounts = session.Render("Get-WaWhatsAppAccount");
        Assert.Matches(@"Name\s+WhatsAppBusinessAccountId\s+Ownership\s+Owner\s+Review\s+PhoneNumbers", accounts);
        Assert.Matches($@"Naova Demo WABA\s+{s.Seed.WabaId}\s+Owned\s+.*APPROVED\s+\+1 555-010-4477", accounts);
        Assert.Matches($@"Client Co WABA\s+{s.Seed.SecondWabaId}\s+Client\s+Client Co\s+APPROVED", accounts);

        string apps = session.Render("Get-WaApp");
        Assert.Matches($@"Naova Demo App\s+{s.Seed.AppId}\s+Owned\s+True", apps);

        string numbers = session.Render("(Get-WaWhatsAppAccount -Ownership Owned).PhoneNumbers");
        Assert.Matches($@"\+1 555-010-4477\s+Naova Demo\s+{s.Seed.PhoneNumberId}\s+GREEN\s+CONNECTED\s+VERIFIED", numbers);

        string made = session.Render("""
            $script:token = New-WaSystemUser -Name render-service -Role Admin | Grant-WaAssets -WhatsAppBusinessAccount $waba | New-WaToken
            $script:token
            """);
        var fingerprint = Assert.Single(s.Emulator.State.GetTokens(), t => t.Type == "SYSTEM_USER").Fingerprint;
        Assert.Matches($@"Fingerprint\s+SystemUser\s+AppId\s+Expires\s+Scopes", made);
        Assert.Matches($@"{fingerprint}\s+render-service\s+{s.Seed.AppId}\s+Never\s+3", made);
        string text = Assert.IsType<string>(RunIn(runspace, "[System.Net.NetworkCredential]::new('', $script:token.Token).Password"));
        Assert.True(text.Length > 20);
        Assert.DoesNotContain(text, host.Text);
        Assert.DoesNotContain("SecureString", host.Text);

        string healthy = session.Render("$script:token | Test-WaToken");
        Assert.Matches($@"{fingerprint}\s+Healthy\s+Never\s+SYSTEM_USER", healthy);

        // A token without a WhatsApp scope: the table names the status and the first remedy, in full (wrapped, not cut).
        string failing = session.Render("""
            $script:bad = New-WaToken -SystemUserId $script:token.SystemUserId -Scope business_management | Test-WaToken
            $script:bad
            """);
        string status = Assert.IsType<string>(RunIn(runspace, "$script:bad.Status.ToString()"));
        Assert.NotEqual("Healthy", status);
        Assert.Matches($@"\s{status}\s", failing);
        string remedy = Assert.IsType<string>(RunIn(runspace, "$script:bad.Remedy"));
        Assert.False(string.IsNullOrWhiteSpace(remedy));
        Assert.Contains(Squash(remedy), Squash(failing));
    }

    /// <summary>Wrapped columns break lines and pad them: compare text with all white space removed.</summary>
    private static string Squash(string text) => Regex.Replace(text, @"\s+", string.Empty);

    private static object? RunIn(Runspace runspace, string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var output = ps.AddScript(script).Invoke();
        Assert.False(ps.HadErrors, string.Join(" | ", ps.Streams.Error.Select(e => e.ToString())));
        return output.Count == 1 ? output[0].BaseObject : null;
    }
}
