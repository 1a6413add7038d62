using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.Loader;
using System.Security;

// Usage: LoadProbe <module manifest path>; NAOVA_PROBE_* environment variables carry the emulator's address and the
// seeded demo credentials. Prints key=value lines; exit code 0 only if the module worked next to Refit 14.
string manifest = args[0];
var refitFirst = typeof(Refit.RestService).Assembly;
Report("refit.default", refitFirst.GetName().Version);

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddScript($"Import-Module '{manifest}' -ErrorAction Stop").Invoke();
Report("engine.loaded.after.import", Loaded("Naova.WhatsAppToken.Engine").Any());

ps.Commands.Clear();
runspace.SessionStateProxy.SetVariable("biz", Env("BUSINESS"));
runspace.SessionStateProxy.SetVariable("app", Env("APP"));
runspace.SessionStateProxy.SetVariable("admin", Secure(Env("TOKEN")));
runspace.SessionStateProxy.SetVariable("secret", Secure(Env("SECRET")));
runspace.SessionStateProxy.SetVariable("uri", new Uri(Env("URI")));
var output = ps.AddScript("""
    Connect-WaBusiness -BusinessId $biz -AppId $app -AccessToken $admin -AppSecret $secret -GraphUri $uri
    New-WaSystemUser -Name probe-user -Role Employee
    """).Invoke();
foreach (var error in ps.Streams.Error) Report("error", error.FullyQualifiedErrorId + " " + error.Exception.Message);
Report("systemuser.id", output.Select(o => o.Properties["Id"]?.Value).FirstOrDefault());

foreach (var refit in Loaded("Refit"))
    Report("refit.loaded", $"{refit.Assembly.GetName().Version} in {refit.Context.Name ?? refit.Context.GetType().Name}");
Report("engine.context", Loaded("Naova.WhatsAppToken.Engine").Select(e => e.Context.GetType().Name).FirstOrDefault());
return ps.Streams.Error.Count == 0 && output.Count == 1 ? 0 : 1;

static IEnumerable<(System.Reflection.Assembly Assembly, AssemblyLoadContext Context)> Loaded(string name) =>
    AssemblyLoadContext.All.SelectMany(c => c.Assemblies.Where(a => a.GetName().Name == name).Select(a => (a, c)));

static string Env(string name) => Environment.GetEnvironmentVariable("NAOVA_PROBE_" + name) ?? throw new InvalidOperationException("NAOVA_PROBE_" + name + " is not set");

static SecureString Secure(string text)
{
    var s = new SecureString();
    foreach (char c in text) s.AppendChar(c);
    return s;
}

static void Report(string key, object? value) => Console.WriteLine($"{key}={value}");
