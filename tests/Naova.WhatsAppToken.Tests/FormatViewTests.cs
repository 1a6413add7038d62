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
            v.Elements().First(e => e.Name.LocalName.EndsWith("Control", StringComparison.Ordinal)).Name.LocalName,
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
        var connectionViews = Views().Where(v => v.TypeName == "Naova.WhatsAppToken.WaConnection").ToArray();
        Assert.NotEmpty(connectionViews);
        foreach (var connection in connectionViews)
        {
            Assert.DoesNotContain("AccessToken", connection.Properties);
            Assert.DoesNotContain("AppSecret", connection.Properties);
        }
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
        Assert.Equal(new[] { "Fingerprint", "Status", "Reason" }, report.Properties);
        // The first column names the secret (a script over StoredIn: its name, or its .env variable).
        Assert.Contains(report.Scripts, s => s.Contains("$_.StoredIn.Name") && s.Contains("$_.StoredIn.Variable"));
    }

    [Fact]
    public void Every_label_is_the_name_of_a_property_of_its_type_and_every_table_but_its_last_column_has_a_width()
    {
        using var ps = new PsSession();
        var types = ModuleTypes(ps).ToDictionary(t => t.FullName!);
        var doc = XDocument.Load(FormatFile);
        foreach (var view in doc.Descendants("View"))
        {
            string name = view.Element("Name")!.Value;
            var type = types[view.Element("ViewSelectedBy")!.Element("TypeName")!.Value];
            var labels = view.Descendants("Label").Select(l => l.Value.Trim()).ToArray();
            Assert.NotEmpty(labels);
            foreach (string label in labels)
                Assert.True(type.GetProperty(label) != null, $"{name}: the label {label} is no property of {type.Name}, so Where-Object {label} finds nothing");
            var items = view.Descendants("TableColumnItem").Concat(view.Descendants("ListItem")).ToArray();
            var headers = view.Descendants("TableColumnHeader").ToArray();
            for (int i = 0; i < headers.Length; i++)
            {
                string? property = items[i].Element("PropertyName")?.Value.Trim();
                Assert.True(property == null || property == labels[i], $"{name}: column {labels[i]} shows the property {property}");
                Assert.True((headers[i].Element("Width") == null) == (i == headers.Length - 1), $"{name}: only the last column takes the rest of the line ({labels[i]})");
            }
            if (headers.Length > 0)
            {
                int fixedWidth = headers.Sum(h => (int?)h.Element("Width") ?? 0) + headers.Length - 1;
                Assert.True(fixedWidth <= 80 - 12, $"{name}: fixed columns take {fixedWidth} of 80 columns, too few are left for the last");
                Assert.NotNull(view.Descendants("Wrap").FirstOrDefault());
            }
        }
    }

    /// <summary>
    /// One date format in every view, Format-List's too: a date property is shown only through '{0:u}', and every type
    /// with a date property has a list view (else Format-List would print the culture's format).
    /// </summary>
    [Fact]
    public void Every_date_a_view_shows_is_in_the_one_UTC_format_and_types_with_dates_have_a_list_view()
    {
        using var ps = new PsSession();
        var types = ModuleTypes(ps).ToDictionary(t => t.FullName!);
        bool IsDate(Type t) => t == typeof(DateTimeOffset) || t == typeof(DateTimeOffset?) || t == typeof(DateTime) || t == typeof(DateTime?);
        var views = Views();
        foreach (var view in views)
        {
            var type = types[view.TypeName];
            foreach (string property in view.Properties)
                Assert.False(IsDate(type.GetProperty(property)!.PropertyType), $"{view.Name} shows the date {property} in the culture's format: use '{{0:u}}' -f $_.{property}");
            foreach (string script in view.Scripts.Where(sc => ScriptProperty.Matches(sc).Any(m => type.GetProperty(m.Groups[1].Value.Trim('.').Split('.')[0]) is { } p && IsDate(p.PropertyType))))
                Assert.StartsWith("'{0:u}' -f $_.", script);
        }
        var dated = views.Select(v => types[v.TypeName]).Distinct().Where(t => t.GetProperties().Any(p => IsDate(p.PropertyType))).ToArray();
        Assert.Contains(dated, t => t.Name == "WaConnection");
        foreach (var type in dated)
            Assert.True(views.Any(v => v.TypeName == type.FullName && v.Control == "ListControl"), $"{type.Name} has dates but no list view");
    }

    /// <summary>Every table the module shows, drawn by the real formatter at the width of a small and of a wide terminal.</summary>
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task Every_default_view_reads_whole_at_80_and_120_columns(int width)
    {
        await using var s = await EmulatorSession.StartAsync();
        var host = new TestHost(width);
        using var session = new PsSession(host, importModule: true);
        var runspace = session.Runspace;
        var vars = s.Vars();
        string file = Path.Combine(Path.GetTempPath(), "naova-views-" + Guid.NewGuid().ToString("N") + ".env");
        var shown = new Dictionary<string, string>();
        try
        {
            shown["WaConnection"] = session.Render(EmulatorSession.Connect + "Get-WaConnection", vars);
            shown["WaSystemUser"] = session.Render("$script:user = New-WaSystemUser -Name naova-whatsapp-service -Role Admin; Get-WaSystemUser");
            shown["WaAssetGrant"] = session.Render("$script:grant = $script:user | Grant-WaAssets -WhatsAppBusinessAccount $waba, $waba2 3>$null; $script:grant", vars);
            shown["WaAccountGrant"] = session.Render("$script:grant.WhatsAppBusinessAccounts");
            shown["WaToken"] = session.Render($"$script:token = $script:grant | New-WaToken | Save-WaToken -EnvFile '{file}'; $script:token");
            shown["WaWhatsAppAccount"] = session.Render("Get-WaWhatsAppAccount");
            shown["WaPhoneNumber"] = session.Render("(Get-WaWhatsAppAccount -Ownership Owned).PhoneNumbers");
            shown["WaApp"] = session.Render("Get-WaApp");
            shown["WaTokenReport"] = session.Render("""
                $script:healthy = $script:token | Test-WaToken
                $script:bad = New-WaToken -SystemUserId $script:token.SystemUserId -Scope business_management | Test-WaToken
                $script:healthy, $script:bad
                """);
            shown["WaTokenProblem"] = session.Render("$script:bad.Problems");
            shown["WaTokenRotation"] = session.Render($"Update-WaToken -EnvFile '{file}' -Force");
            shown["WaTokenRevocation"] = session.Render("New-WaToken -SystemUserId $script:token.SystemUserId | Revoke-WaToken -Confirm:$false -PassThru");
        }
        finally
        {
            foreach (string f in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*")) File.Delete(f);
        }

        var views = Views().Where(v => v.Control == "TableControl").ToDictionary(v => v.TypeName.Substring("Naova.WhatsAppToken.".Length));
        Assert.Equal(views.Keys.OrderBy(k => k), shown.Keys.OrderBy(k => k));
        foreach (var (type, text) in shown)
        {
            // The host's own lines (progress, warnings) are not the formatter's.
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !Regex.IsMatch(l, "^(PROGRESS|WARNING|VERBOSE): ")).ToArray();
            // Nothing cut, nothing dropped: every column's header is there, in the view's order, and no line is longer than the screen.
            Assert.DoesNotContain("\u2026", text);
            Assert.All(lines, l => Assert.True(l.Length <= width, $"{type} at {width}: a line of {l.Length} columns: {l}"));
            var labels = XDocument.Load(FormatFile).Descendants("View").First(v => v.Element("Name")!.Value == type).Descendants("Label").Select(l => l.Value).ToArray();
            Assert.True(lines.Any(l => Regex.IsMatch(l, "^" + string.Join(@"\s+", labels) + @"\s*$")), $"{type} at {width}: no header line {string.Join(" ", labels)} in\n{text}");
            // One date format everywhere: the UTC 'u' form, never the culture's.
            Assert.DoesNotMatch(@"\d{1,2}/\d{1,2}/\d{4}", text);
        }

        string Squashed(string type) => Squash(shown[type]);
        Assert.Contains(s.Seed.BusinessId, Squashed("WaConnection"));
        Assert.Contains(s.Seed.AppId, shown["WaConnection"]);
        string userId = Assert.IsType<string>(RunIn(runspace, "$script:user.Id"));
        Assert.Contains(userId, shown["WaSystemUser"]);
        Assert.Matches($@"{userId}\s+Admin\s+\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}:\d{{2}}Z\s+naova-whatsapp-service", shown["WaSystemUser"]);
        Assert.Contains("naova-whatsapp-service", Column(shown["WaAssetGrant"], "SystemUserName"));
        Assert.Contains(s.Seed.WabaId, shown["WaAssetGrant"]);
        Assert.Contains(s.Seed.SecondWabaId, shown["WaAssetGrant"]);
        Assert.Matches($@"{s.Seed.WabaId}\s+MANAGE\s+Naova Demo WABA", shown["WaAccountGrant"]);
        var fingerprint = s.Emulator.State.GetTokens().First(t => t.Type == "SYSTEM_USER").Fingerprint;
        Assert.Matches($@"{fingerprint}\s+Never\s+naova-whatsapp-service", shown["WaToken"]);
        Assert.Contains(Squash(file), Column(shown["WaToken"], "StoredIn"));
        Assert.Matches($@"{s.Seed.WabaId}\s+APPROVED\s+Naova Demo WABA\s+\+1 555-010-4477", shown["WaWhatsAppAccount"]);
        Assert.Contains(s.Seed.SecondWabaId, shown["WaWhatsAppAccount"]);
        Assert.Matches($@"{s.Seed.PhoneNumberId}\s+\+1 555-010-4477\s+GREEN\s+CONNECTED\s+Naova Demo", shown["WaPhoneNumber"]);
        Assert.Matches($@"{s.Seed.AppId}\s+Owned\s+True\s+{s.Seed.BusinessId}\s+Naova Demo App", shown["WaApp"]);
        Assert.Matches($@"{fingerprint}\s+Healthy", shown["WaTokenReport"]);
        Assert.Matches(@"Remade\s+Completed\s+[0-9a-f]{12}\s+" + fingerprint, shown["WaTokenRotation"]);
        Assert.Matches(@"[0-9a-f]{12}\s+False\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z", shown["WaTokenRevocation"]);

        // A token without a WhatsApp scope: the table names the status and why, in full (wrapped, not cut or dropped).
        string status = Assert.IsType<string>(RunIn(runspace, "$script:bad.Status.ToString()"));
        Assert.NotEqual("Healthy", status);
        Assert.Matches($@"\s{status}\s", shown["WaTokenReport"]);
        string reason = Assert.IsType<string>(RunIn(runspace, "$script:bad.Reason"));
        Assert.Contains(Squash(Assert.IsType<string>(RunIn(runspace, "$script:bad.Problems[0].Message"))), Squash(reason));
        Assert.Contains(Squash(Assert.IsType<string>(RunIn(runspace, "$script:bad.Remedy"))), Squash(reason));
        Assert.Contains(Squash(reason), Column(shown["WaTokenReport"], "Reason"));
        Assert.Contains(Squash(Assert.IsType<string>(RunIn(runspace, "$script:bad.Problems[0].Message"))), Column(shown["WaTokenProblem"], "Message"));
        Assert.Contains(Squash(Assert.IsType<string>(RunIn(runspace, "$script:bad.Problems[0].Remedy"))), Column(shown["WaTokenProblem"], "Remedy"));
        string secret = Assert.IsType<string>(RunIn(runspace, "[System.Net.NetworkCredential]::new('', $script:token.Token).Password"));
        Assert.True(secret.Length > 20);
        Assert.DoesNotContain(secret, host.Text);
    }

    /// <summary>
    /// Whatever statuses a report may have (the enum as built, so a status added later is covered too), a report that is
    /// not Healthy shows its reason in the table at 80 columns, even with a long secret name and a long remedy.
    /// </summary>
    [Fact]
    public void A_report_that_is_not_healthy_shows_why_at_80_columns_whatever_its_status()
    {
        var host = new TestHost(80);
        using var session = new PsSession(host, importModule: true);
        var statuses = session.Run("[enum]::GetNames([Naova.WhatsAppToken.WaTokenStatus])").AssertClean().Objects<string>().ToArray();
        Assert.Contains("Failed", statuses);
        foreach (string status in statuses)
        {
            string rendered = session.Render("""
                function Set-Internal($o, $name, $value) { $o.GetType().GetProperty($name).SetValue($o, $value); $o }
                $problem = Set-Internal ([Naova.WhatsAppToken.WaTokenProblem]::new()) Severity ([Naova.WhatsAppToken.WaTokenStatus]$status)
                $null = Set-Internal $problem Kind CheckFailed
                $null = Set-Internal $problem Message "Status $status because of a cause that takes more words than one column holds."
                $null = Set-Internal $problem Remedy 'Do the one thing that fixes it, described at length so that it has to wrap.'
                $report = Set-Internal ([Naova.WhatsAppToken.WaTokenReport]::new()) Status ([Naova.WhatsAppToken.WaTokenStatus]$status)
                $null = Set-Internal $report Fingerprint 0123456789ab
                $place = [Naova.WhatsAppToken.WaTokenPlace].GetMethod('InVault', [Reflection.BindingFlags]'NonPublic,Static').Invoke($null, @('Production', 'WHATSAPP_ACCESS_TOKEN_OF_A_LONG_NAME'))
                $null = Set-Internal $report StoredIn $place
                $null = Set-Internal $report Problems ([Naova.WhatsAppToken.WaTokenProblem[]]@($problem))
                $report
                """, new { status });
            Assert.Matches($@"0123456789ab\s+{status}\s", rendered);
            if (status == "Healthy") continue;
            // Read by column: the secret's name wraps too, beside the reason.
            Assert.Contains(Squash($"Status {status} because of a cause that takes more words than one column holds."), Column(rendered, "Reason"));
            Assert.Contains(Squash("Do the one thing that fixes it, described at length so that it has to wrap."), Column(rendered, "Reason"));
            Assert.Equal("WHATSAPP_ACCESS_TOKEN_OF_A_LONG_NAME", Column(rendered, "StoredIn"));
            Assert.All(rendered.Split('\n'), l => Assert.True(l.Length <= 80, l));
        }
    }

    /// <summary>
    /// One column of a drawn table, read down from its header to the end of the table, without white space: a wrapped
    /// cell's lines joined back, whatever the columns beside it hold.
    /// </summary>
    private static string Column(string table, string label)
    {
        var lines = table.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !Regex.IsMatch(l, "^(PROGRESS|WARNING|VERBOSE): ")).ToList();
        int header = lines.FindIndex(l => Regex.IsMatch(l, $@"(^|\s){label}(\s|$)"));
        Assert.True(header >= 0, $"no column {label} in\n{table}");
        int start = Regex.Match(lines[header], $@"(^|(?<=\s)){label}(?=\s|$)").Index;
        var next = Regex.Match(lines[header].Substring(start + label.Length), @"\S");
        int end = next.Success ? start + label.Length + next.Index : int.MaxValue;
        var cells = lines.Skip(header + 2).TakeWhile(l => l.Trim().Length > 0)
            .Select(l => l.Length <= start ? string.Empty : l.Substring(start, Math.Min(end, l.Length) - start));
        return Squash(string.Concat(cells));
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
