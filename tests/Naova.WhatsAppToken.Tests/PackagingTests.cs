using System.IO.Compression;
using System.Management.Automation;
using System.Xml.Linq;
using Naova.WhatsAppToken.Packaging;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// The packager (what `build.ps1 -Task Package` and the Package target run) on the module folder the other tests
/// import: the Gallery package and the Azure Automation zip, opened and checked as those services read them.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private const string Module = "Naova.WhatsAppToken";
    private readonly string _output = Path.Combine(Path.GetTempPath(), "naova-package-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    private static ModuleManifest Manifest => ModuleManifest.Read(Repo.Manifest);

    private static string[] ModuleFiles() =>
        Directory.EnumerateFiles(Repo.ModuleFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.ModuleFolder, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

    [Fact]
    public void Gallery_package_holds_the_module_at_its_root_with_the_manifest_metadata()
    {
        var result = ModulePackager.Package(Repo.ModuleFolder, _output);

        Assert.Equal($"{Module}.{Manifest.Text("ModuleVersion")}.nupkg", Path.GetFileName(result.GalleryPackage));
        using var package = ZipFile.OpenRead(result.GalleryPackage);
        var names = package.Entries.Select(e => e.FullName).ToArray();
        string[] packaging = { "_rels/.rels", "[Content_Types].xml", Module + ".nuspec" };
        Assert.All(packaging, p => Assert.Contains(p, names));
        var moduleEntries = names.Where(n => !packaging.Contains(n) && !n.StartsWith("package/", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(ModuleFiles(), moduleEntries);
        Assert.Contains(Module + ".psd1", names);
        Assert.Contains(Module + ".dll", names);
        Assert.Contains("dependencies/net472/Naova.WhatsAppToken.Engine.dll", names);
        Assert.Contains("dependencies/net8.0/Naova.WhatsAppToken.Engine.dll", names);
        AssertNoTestOrSymbolFiles(names);

        XNamespace ns = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
        using var nuspecStream = package.GetEntry(Module + ".nuspec")!.Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Element(ns + "metadata")!;
        string Field(string name) => metadata.Element(ns + name)?.Value ?? throw new Xunit.Sdk.XunitException("nuspec has no " + name);
        Assert.Equal(Module, Field("id"));
        Assert.Equal(Manifest.PackageVersion, Field("version"));
        Assert.Equal(Manifest.Text("Author"), Field("authors"));
        Assert.Equal(Manifest.Text("Description"), Field("description"));
        Assert.Equal(Manifest.PSDataText("ProjectUri"), Field("projectUrl"));
        Assert.Equal(Manifest.PSDataText("LicenseUri"), Field("licenseUrl"));
        Assert.Equal(Manifest.PSDataText("ReleaseNotes"), Field("releaseNotes"));
        var tags = Field("tags").Split(' ');
        foreach (string tag in new[] { "PSEdition_Desktop", "PSEdition_Core", "Windows", "Linux", "MacOS", "WhatsApp", "Meta", "PSModule", "PSIncludes_Cmdlet" })
            Assert.Contains(tag, tags);
        foreach (string cmdlet in Manifest.List("CmdletsToExport"))
        {
            Assert.Contains("PSCmdlet_" + cmdlet, tags);
            Assert.Contains("PSCommand_" + cmdlet, tags);
        }
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Automation_zip_holds_the_module_folder_named_as_the_zip_and_the_manifest_and_it_passes_Test_ModuleManifest()
    {
        var result = ModulePackager.Package(Repo.ModuleFolder, _output);

        Assert.Equal(Module + ".zip", Path.GetFileName(result.AutomationZip));
        using (var zip = ZipFile.OpenRead(result.AutomationZip))
        {
            var names = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.All(names, n => Assert.StartsWith(Module + "/", n));
            Assert.Equal(ModuleFiles().Select(f => Module + "/" + f), names.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Contains($"{Module}/{Module}.psd1", names);
            Assert.Contains($"{Module}/dependencies/net472/Refit.dll", names);
            Assert.Contains($"{Module}/dependencies/net8.0/Refit.dll", names);
            AssertNoTestOrSymbolFiles(names);
        }

        // Unpacked as the Automation import unpacks it, the folder is a valid module whose files are all there.
        string unpacked = Path.Combine(_output, "unpacked");
        ZipFile.ExtractToDirectory(result.AutomationZip, unpacked);
        using var ps = new PsSession(importModule: false);
        var info = ps.Run($"Test-ModuleManifest -Path '{Path.Combine(unpacked, Module, Module + ".psd1")}'").AssertClean().Single<PSModuleInfo>();
        Assert.Equal(Module, info.Name);
        Assert.Equal(Manifest.Text("ModuleVersion"), info.Version.ToString());
    }

    [Fact]
    public void Packaging_twice_gives_the_same_zip()
    {
        var first = File.ReadAllBytes(ModulePackager.Package(Repo.ModuleFolder, _output).AutomationZip);
        var second = File.ReadAllBytes(ModulePackager.Package(Repo.ModuleFolder, _output).AutomationZip);
        Assert.Equal(first, second);
        Assert.Empty(Directory.GetFiles(_output, "*.partial"));
    }

    [Fact]
    public void Symbols_and_test_files_are_never_shipped()
    {
        Assert.False(ModulePackager.IsShipped("Naova.WhatsAppToken.pdb"));
        Assert.False(ModulePackager.IsShipped("Onboarding.Tests.ps1"));
        Assert.False(ModulePackager.IsShipped("tests/Pester/Onboarding.ps1"));
        Assert.False(ModulePackager.IsShipped("dependencies/net8.0/Naova.WhatsAppToken.Tests.dll"));
        Assert.True(ModulePackager.IsShipped("en-US/about_Naova.WhatsAppToken.help.txt"));
        Assert.True(ModulePackager.IsShipped("dependencies/net472/Refit.dll"));
    }

    [Fact]
    public void A_module_folder_the_Gallery_would_refuse_is_refused_with_the_reason()
    {
        string folder = Path.Combine(_output, "src", "Broken");
        Directory.CreateDirectory(Path.Combine(folder, "tests"));
        File.WriteAllText(Path.Combine(folder, "Broken.psd1"), "@{ RootModule = 'Broken.dll'; ModuleVersion = '1.0.0'; GUID = '6d1f0c1e-0000-4000-8000-000000000001'; Description = 'x' }");
        File.WriteAllText(Path.Combine(folder, "Broken.dll"), "not really");

        var noAuthor = Assert.Throws<PackagingException>(() => ModulePackager.Package(folder, Path.Combine(_output, "out")));
        Assert.Contains("Author", noAuthor.Message);

        File.WriteAllText(Path.Combine(folder, "Broken.psd1"), """
            @{ RootModule = 'Missing.dll'; ModuleVersion = '1.0.0'; GUID = '6d1f0c1e-0000-4000-8000-000000000001'; Description = 'x'; Author = 'a'
               PrivateData = @{ PSData = @{ ProjectUri = 'https://example.org/p'; LicenseUri = 'https://example.org/l' } } }
            """);
        var missing = Assert.Throws<PackagingException>(() => ModulePackager.Package(folder, Path.Combine(_output, "out")));
        Assert.Contains("Missing.dll", missing.Message);

        File.WriteAllText(Path.Combine(folder, "Broken.psd1"), "@{ ModuleVersion = (Get-Date).ToString() }");
        Assert.Throws<PackagingException>(() => ModulePackager.Package(folder, Path.Combine(_output, "out")));
        Assert.False(Directory.Exists(Path.Combine(_output, "out")) && Directory.EnumerateFiles(Path.Combine(_output, "out")).Any());
    }

    private static void AssertNoTestOrSymbolFiles(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            Assert.DoesNotContain(".Tests.", name, StringComparison.OrdinalIgnoreCase);
            Assert.False(name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase), name);
            Assert.DoesNotContain("xunit", name, StringComparison.OrdinalIgnoreCase);
        }
    }
}
