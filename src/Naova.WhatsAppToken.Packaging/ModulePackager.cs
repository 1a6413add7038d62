using System.IO.Compression;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace Naova.WhatsAppToken.Packaging;

/// <summary>What <see cref="ModulePackager.Package"/> made.</summary>
public sealed record PackageResult(string GalleryPackage, string AutomationZip, IReadOnlyList<string> Files);

/// <summary>
/// Packs a built module folder for its two destinations. The Gallery package is what Publish-Module pushes: the
/// manifest's metadata in the nuspec, the tags PowerShellGet adds (PSModule, PSIncludes_Cmdlet, PSCmdlet_*,
/// PSCommand_*), and the module's files at the package root. The Azure Automation zip holds the module folder at its
/// root, and the zip, the folder and the manifest share the module's name, which is what the import requires.
/// </summary>
public static class ModulePackager
{
    /// <summary>Never shipped: debug symbols, and anything that looks like a test.</summary>
    public static bool IsShipped(string relativePath)
    {
        string path = relativePath.Replace('\\', '/');
        string name = System.IO.Path.GetFileName(path);
        if (name.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)) return false;
        if (name.EndsWith(".Tests.ps1", StringComparison.OrdinalIgnoreCase)) return false;
        if (name.Contains(".Tests.", StringComparison.OrdinalIgnoreCase) || name.Contains("xunit", StringComparison.OrdinalIgnoreCase)) return false;
        return !path.Split('/').Any(segment => segment.Equals("tests", StringComparison.OrdinalIgnoreCase) || segment.Equals("TestResults", StringComparison.OrdinalIgnoreCase));
    }

    public static PackageResult Package(string moduleFolder, string outputFolder)
    {
        moduleFolder = System.IO.Path.GetFullPath(moduleFolder).TrimEnd('/', '\\');
        string name = System.IO.Path.GetFileName(moduleFolder);
        string manifestPath = System.IO.Path.Combine(moduleFolder, name + ".psd1");
        if (!File.Exists(manifestPath))
            throw new PackagingException($"{moduleFolder} has no {name}.psd1: a module folder, its manifest and the module share one name.");
        var manifest = ModuleManifest.Read(manifestPath);
        var files = ShippedFiles(moduleFolder);
        RequireComplete(manifest, moduleFolder, files);

        Directory.CreateDirectory(outputFolder);
        string nupkg = System.IO.Path.Combine(outputFolder, $"{name}.{manifest.PackageVersion}.nupkg");
        string zip = System.IO.Path.Combine(outputFolder, name + ".zip");
        WriteGalleryPackage(manifest, moduleFolder, files, nupkg);
        WriteAutomationZip(name, moduleFolder, files, zip);
        return new PackageResult(nupkg, zip, files);
    }

    private static List<string> ShippedFiles(string moduleFolder) =>
        Directory.EnumerateFiles(moduleFolder, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(moduleFolder, f).Replace('\\', '/'))
            .Where(IsShipped)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>What the Gallery asks of a manifest, and the files the manifest names.</summary>
    private static void RequireComplete(ModuleManifest manifest, string moduleFolder, List<string> files)
    {
        foreach (string key in new[] { "ModuleVersion", "GUID", "Author", "Description" })
            if (string.IsNullOrWhiteSpace(manifest.Text(key))) throw new PackagingException($"{manifest.Path} has no {key}; the PowerShell Gallery requires it.");
        foreach (string key in new[] { "ProjectUri", "LicenseUri" })
            if (!Uri.TryCreate(manifest.PSDataText(key), UriKind.Absolute, out _)) throw new PackagingException($"{manifest.Path} has no absolute PrivateData.PSData.{key}.");
        if (manifest.List("CmdletsToExport").Any(c => c.Contains('*')))
            throw new PackagingException($"{manifest.Path} exports cmdlets by wildcard; name them.");
        var named = new List<string>();
        if (manifest.Text("RootModule") is { } root) named.Add(root);
        named.AddRange(manifest.List("FormatsToProcess"));
        named.AddRange(manifest.List("TypesToProcess"));
        named.AddRange(manifest.List("NestedModules").Where(n => n.Contains('.')));
        foreach (string file in named)
            if (!files.Contains(file.Replace('\\', '/'), StringComparer.OrdinalIgnoreCase))
                throw new PackagingException($"{manifest.Path} names {file}, which is not in {moduleFolder}.");
    }

    private static void WriteGalleryPackage(ModuleManifest manifest, string moduleFolder, List<string> files, string path)
    {
        var builder = new PackageBuilder(deterministic: true)
        {
            Id = manifest.Name,
            Version = NuGetVersion.Parse(manifest.PackageVersion),
            Description = manifest.Text("Description")!,
            Copyright = manifest.Text("Copyright"),
            ReleaseNotes = manifest.PSDataText("ReleaseNotes"),
            ProjectUrl = new Uri(manifest.PSDataText("ProjectUri")!),
#pragma warning disable CS0618 // licenseUrl is what Publish-Module writes and what the Gallery shows for modules
            LicenseUrl = new Uri(manifest.PSDataText("LicenseUri")!),
#pragma warning restore CS0618
            RequireLicenseAcceptance = string.Equals(manifest.PSDataText("RequireLicenseAcceptance"), "True", StringComparison.OrdinalIgnoreCase),
        };
        if (manifest.PSDataText("IconUri") is { } icon) builder.IconUrl = new Uri(icon);
        builder.Authors.Add(manifest.Text("Author")!);
        builder.Owners.Add(manifest.Text("CompanyName") ?? manifest.Text("Author")!);
        builder.Tags.AddRange(Tags(manifest));
        var dependencies = manifest.RequiredModules().Select(m => new PackageDependency(m.Name,
            m.RequiredVersion != null ? new VersionRange(NuGetVersion.Parse(m.RequiredVersion), true, NuGetVersion.Parse(m.RequiredVersion), true)
            : m.MinimumVersion != null ? new VersionRange(NuGetVersion.Parse(m.MinimumVersion)) : VersionRange.All)).ToArray();
        if (dependencies.Length > 0)
            builder.DependencyGroups.Add(new PackageDependencyGroup(NuGet.Frameworks.NuGetFramework.AnyFramework, dependencies));
        foreach (string file in files)
            builder.Files.Add(new PhysicalPackageFile { SourcePath = System.IO.Path.Combine(moduleFolder, file), TargetPath = file });
        string partial = path + ".partial";
        using (var stream = File.Create(partial)) builder.Save(stream);
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The manifest's tags, then the ones PowerShellGet adds so the Gallery can find the module by its commands.</summary>
    public static IReadOnlyList<string> Tags(ModuleManifest manifest)
    {
        var tags = new List<string>(manifest.PSDataList("Tags"));
        tags.AddRange(manifest.List("CompatiblePSEditions").Select(e => "PSEdition_" + e));
        tags.Add("PSModule");
        var cmdlets = manifest.List("CmdletsToExport");
        if (cmdlets.Length > 0) tags.Add("PSIncludes_Cmdlet");
        tags.AddRange(cmdlets.Select(c => "PSCmdlet_" + c));
        var functions = manifest.List("FunctionsToExport");
        if (functions.Length > 0) tags.Add("PSIncludes_Function");
        tags.AddRange(functions.Select(f => "PSFunction_" + f));
        tags.AddRange(cmdlets.Concat(functions).Select(c => "PSCommand_" + c));
        foreach (string tag in tags)
            if (tag.Any(char.IsWhiteSpace)) throw new PackagingException($"{manifest.Path}: the tag '{tag}' has white space; NuGet tags are single words.");
        return tags.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static void WriteAutomationZip(string name, string moduleFolder, List<string> files, string path)
    {
        string partial = path + ".partial";
        using (var archive = ZipFile.Open(partial, ZipArchiveMode.Create))
        {
            foreach (string file in files)
            {
                var entry = archive.CreateEntry(name + "/" + file, CompressionLevel.Optimal);
                // A fixed time, so the same module folder always gives the same zip.
                entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var source = File.OpenRead(System.IO.Path.Combine(moduleFolder, file));
                using var target = entry.Open();
                source.CopyTo(target);
            }
        }
        File.Move(partial, path, overwrite: true);
    }
}
