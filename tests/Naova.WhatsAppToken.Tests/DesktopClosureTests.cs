using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Naova.WhatsAppToken.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// Windows PowerShell 5.1, as far as this machine can prove it without .NET Framework: every assembly reference of the
/// cmdlet assembly and of every file in dependencies/net472 resolves, on .NET Framework 4.7.2, to the framework (its
/// reference assemblies, NuGet Microsoft.NETFramework.ReferenceAssemblies.net472 1.0.3) or to a file shipped there, with
/// a version at least the one asked. .NET Framework answers a strong-named reference from the GAC when the framework
/// has that assembly at that version or newer (it unifies its own assemblies upward); anything else is probed beside
/// the requesting file and, where the file there has another version, the bind fails and raises
/// AppDomain.AssemblyResolve, which the module's handler answers by simple name from dependencies/net472
/// (DependencyLoader.PathInFolder, asked here through the built assembly itself).
/// </summary>
public sealed class DesktopClosureTests(ITestOutputHelper output)
{
    private static readonly string Dependencies = Path.Combine(Repo.ModuleFolder, "dependencies", "net472");
    private static readonly string CmdletAssembly = Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.dll");

    /// <summary>What PowerShell itself brings (5.1 has it in the GAC); and the contract only the PowerShell 7 path names.</summary>
    private static readonly string[] HostProvided = ["System.Management.Automation"];
    private const string CoreOnly = "System.Runtime.Loader";

    [Fact]
    public void Every_reference_of_the_Desktop_build_resolves_to_the_framework_or_a_shipped_file_at_least_as_new()
    {
        var framework = FrameworkAssemblies();
        Assert.Contains("mscorlib", framework.Keys); // the reference assemblies are there: this test checks something
        var files = Directory.GetFiles(Dependencies, "*.dll").Append(CmdletAssembly).ToArray();
        var unresolved = new List<string>();
        var handedOver = new List<string>();

        foreach (string file in files)
        {
            foreach (var asked in References(file))
            {
                string from = Path.GetFileNameWithoutExtension(file);
                if (framework.TryGetValue(asked.Name!, out var inBox) && inBox >= asked.Version!) continue;
                if (HostProvided.Contains(asked.Name) && file == CmdletAssembly) continue;
                if (asked.Name == CoreOnly && file == CmdletAssembly) continue; // never loaded on Desktop: see DesktopLoaderTests
                string? answer = ResolverAnswer(asked);
                if (answer == null)
                {
                    unresolved.Add($"{from} -> {asked.FullName}: neither in .NET Framework 4.7.2{(inBox == null ? "" : " (it has " + inBox + ")")} nor shipped");
                    continue;
                }
                var shipped = AssemblyName.GetAssemblyName(answer);
                if (shipped.Version! < asked.Version! || !Token(shipped).SequenceEqual(Token(asked)))
                    unresolved.Add($"{from} -> {asked.FullName}: the resolver hands over {shipped.FullName}");
                else if (shipped.Version != asked.Version)
                    handedOver.Add($"{from} asks {asked.Name} {asked.Version}: AssemblyResolve hands over the shipped {shipped.Version}");
            }
        }

        output.WriteLine($"{files.Length} files checked against .NET Framework 4.7.2 ({framework.Count} assemblies) and dependencies/net472.");
        output.WriteLine($"{handedOver.Count} references ask another version than the file shipped, each answered by the module's handler:");
        foreach (string line in handedOver) output.WriteLine("  " + line);
        Assert.True(unresolved.Count == 0, "unresolved on Windows PowerShell 5.1:\n" + string.Join("\n", unresolved));
    }

    [Fact]
    public void The_resolver_answers_only_for_files_of_its_folder()
    {
        Assert.Equal(Path.Combine(Dependencies, "System.Text.Json.dll"), ResolverAnswer(new AssemblyName("System.Text.Json, Version=10.0.0.13, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
        Assert.Null(ResolverAnswer(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed")));
        Assert.Null(ResolverAnswer(new AssemblyName("System.Management.Automation, Version=3.0.0.0")));
    }

    private static string? ResolverAnswer(AssemblyName name)
    {
        var module = Assembly.LoadFrom(CmdletAssembly);
        var pathInFolder = module.GetType("Naova.WhatsAppToken.Loading.DependencyLoader", throwOnError: true)!
            .GetMethod("PathInFolder", BindingFlags.NonPublic | BindingFlags.Static)!;
        return (string?)pathInFolder.Invoke(null, [Dependencies, name]);
    }

    private static byte[] Token(AssemblyName name) => name.GetPublicKeyToken() ?? [];

    internal static IEnumerable<AssemblyName> References(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        var md = pe.GetMetadataReader();
        return md.AssemblyReferences.Select(h => md.GetAssemblyReference(h).GetAssemblyName()).ToArray();
    }

    /// <summary>.NET Framework 4.7.2's assemblies and facades, by name, with their versions.</summary>
    internal static Dictionary<string, Version> FrameworkAssemblies()
    {
        string folder = typeof(DesktopClosureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NetFx472ReferenceAssemblies").Value!;
        Assert.True(Directory.Exists(folder), ".NET Framework 4.7.2 reference assemblies not restored: " + folder);
        var all = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Directory.GetFiles(folder, "*.dll").Concat(Directory.GetFiles(Path.Combine(folder, "Facades"), "*.dll")))
        {
            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(file);
            }
            catch (BadImageFormatException)
            {
                continue; // a module of a multi-file assembly, not an assembly of its own
            }
            all[name.Name!] = name.Version!;
        }
        return all;
    }
}
