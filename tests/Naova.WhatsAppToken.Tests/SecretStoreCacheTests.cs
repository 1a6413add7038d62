using System.Reflection;
using System.Runtime.Loader;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// SecretStore's copy of its store is re-read through internal names of SecretStore 1.0.6 (it has no public reload):
/// pinned here against the real Microsoft.PowerShell.SecretStore.dll of ../shared/psmodules, through the module's own
/// lookup (SecretStoreCache.Find, as loaded), so a SecretStore that renamed them fails this test loudly rather than
/// leaving every write to start from a stale copy.
/// </summary>
public sealed class SecretStoreCacheTests
{
    private const string SecretStore = "Microsoft.PowerShell.SecretStore";
    private readonly ITestOutputHelper _out;

    public SecretStoreCacheTests(ITestOutputHelper output) => _out = output;

    private static Type Cache(PsSession ps) =>
        ((Assembly)ps.Run("[Naova.WhatsAppToken.WaToken].Assembly").AssertClean().Output.Single().BaseObject)
            .GetType("Naova.WhatsAppToken.SecretStoreCache", throwOnError: true)!;

    [Fact]
    public void The_internal_names_the_refresh_uses_are_those_of_the_real_SecretStore()
    {
        string? modules = PwshChild.SecretModules;
        if (modules == null)
        {
            _out.WriteLine("skipped: the real SecretStore (../shared/psmodules) is not on this machine, so its names were not checked");
            return;
        }
        using var ps = new PsSession();
        var find = Cache(ps).GetMethod("Find", BindingFlags.NonPublic | BindingFlags.Static)!;
        var dlls = Directory.GetFiles(Path.Combine(modules, SecretStore), SecretStore + ".dll", SearchOption.AllDirectories);
        Assert.NotEmpty(dlls);
        foreach (string dll in dlls)
        {
            // A load context of its own, unloaded after: the test process never runs SecretStore's static code.
            var context = new AssemblyLoadContext("secretstore-names", isCollectible: true);
            try
            {
                var assembly = context.LoadFromAssemblyPath(dll);
                _out.WriteLine("checked " + dll + " (" + assembly.GetName().Version + ")");
                var args = new object?[] { assembly, null };
                object? found = find.Invoke(null, args);
                Assert.True(found != null, "SecretStore at " + dll + " has no " + args[1] + ", a name the refresh of its copy in memory reads: find its new name");
                Assert.Equal(string.Empty, args[1]);
            }
            finally
            {
                context.Unload();
            }
        }
    }

    [Fact]
    public void Where_no_SecretStore_store_is_held_the_refresh_has_nothing_to_do_and_says_nothing()
    {
        using var ps = new PsSession();
        var refresh = Cache(ps).GetMethod("Refresh", BindingFlags.Public | BindingFlags.Static)!;
        bool loaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == SecretStore);
        _out.WriteLine("a SecretStore assembly is loaded in this test process: " + loaded);
        Assert.Null(refresh.Invoke(null, null));
    }
}
