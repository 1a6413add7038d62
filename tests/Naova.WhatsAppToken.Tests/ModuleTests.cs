using System.Collections;
using System.Management.Automation;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>The built module folder, imported into the real PowerShell 7.6 engine as a user would.</summary>
public class ModuleTests
{
    [Fact]
    public void Manifest_passes_Test_ModuleManifest_and_declares_both_editions_and_5_1()
    {
        using var ps = new PsSession(importModule: false);
        var info = ps.Run($"Test-ModuleManifest -Path '{Repo.Manifest}'").AssertClean().Single<PSModuleInfo>();
        Assert.Equal(new[] { "Core", "Desktop" }, info.CompatiblePSEditions.OrderBy(e => e));
        Assert.Equal(new Version(5, 1), info.PowerShellVersion);
        Assert.Equal("Naova.WhatsAppToken.dll", Path.GetFileName(info.RootModule));
    }

    /// <summary>
    /// The design card's layout: the manifest at the repository's root is the source of truth, shipped as it is into the
    /// module folder (same GUID, same version), and the one place the version is typed: the cmdlet assembly takes its
    /// version from it (Directory.Build.props reads ModuleVersion).
    /// </summary>
    [Fact]
    public void The_root_manifest_is_the_one_shipped_and_the_assembly_carries_its_version()
    {
        string root = Path.Combine(Repo.Root, "Naova.WhatsAppToken.psd1");
        Assert.Equal(File.ReadAllText(root), File.ReadAllText(Repo.Manifest));
        Assert.False(File.Exists(Path.Combine(Repo.Root, "module", "Naova.WhatsAppToken.psd1")), "a second manifest in module/ would be a second source of truth");

        var source = Naova.WhatsAppToken.Packaging.ModuleManifest.Read(root);
        using var ps = new PsSession(importModule: false);
        var shipped = ps.Run($"Test-ModuleManifest -Path '{Repo.Manifest}'").AssertClean().Single<PSModuleInfo>();
        Assert.Equal(new Guid(source.Text("GUID")!), shipped.Guid);
        Assert.Equal(source.Text("ModuleVersion"), shipped.Version.ToString());

        var assembly = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.dll"));
        Assert.Equal(shipped.Version, new Version(assembly.Version!.Major, assembly.Version.Minor, assembly.Version.Build));
        foreach (string project in Directory.GetFiles(Path.Combine(Repo.Root, "src"), "*.csproj", SearchOption.AllDirectories))
            Assert.DoesNotMatch(@"<Version>\s*\d", File.ReadAllText(project));
    }

    /// <summary>
    /// Directory.Packages.props holds each package's one version (xunit pinned once for the four test projects): a project
    /// names the package only. LoadProbe's Refit 14.0.1 is a second version on purpose, as a VersionOverride.
    /// </summary>
    [Fact]
    public void Package_versions_are_set_in_one_place()
    {
        Assert.Contains("<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>", File.ReadAllText(Path.Combine(Repo.Root, "Directory.Packages.props")));
        var projects = Directory.GetFiles(Repo.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules")).ToArray();
        Assert.True(projects.Length >= 10, string.Join(", ", projects));
        foreach (string project in projects)
            Assert.DoesNotMatch(@"<PackageReference[^>]*\sVersion=", File.ReadAllText(project));
    }

    [Fact]
    public void Manifest_exports_cmdlets_by_name_and_they_are_exactly_the_cmdlets_the_binary_defines()
    {
        // The manifest is a hashtable literal: evaluating its text gives the data (Import-PowerShellDataFile is not in this host).
        var manifest = (Hashtable)new PsSession(importModule: false).Run(File.ReadAllText(Repo.Manifest)).Output.Single().BaseObject;
        var declared = ((object[])manifest["CmdletsToExport"]!).Cast<string>().ToArray();
        Assert.DoesNotContain("*", declared);
        Assert.Empty((object[])manifest["FunctionsToExport"]!);

        using var ps = new PsSession();
        var exported = ps.Run("Get-Command -Module Naova.WhatsAppToken").AssertClean().Objects<CmdletInfo>().Select(c => c.Name).ToArray();
        Assert.Equal(declared.OrderBy(n => n), exported.OrderBy(n => n));
        var defined = ps.Run("(Get-Module Naova.WhatsAppToken).ImplementingAssembly.GetExportedTypes() | Where-Object { $_.IsSubclassOf([System.Management.Automation.Cmdlet]) -and -not $_.IsAbstract }")
            .Objects<Type>().Select(t => ((CmdletAttribute)t.GetCustomAttributes(typeof(CmdletAttribute), false).Single())).Select(a => a.VerbName + "-" + a.NounName);
        Assert.Equal(declared.OrderBy(n => n), defined.OrderBy(n => n));
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type_and_every_change_supports_ShouldProcess()
    {
        using var ps = new PsSession();
        var commands = ps.Run("Get-Command -Module Naova.WhatsAppToken").Objects<CmdletInfo>().ToArray();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            Assert.True(command.ImplementingType.GetCustomAttributes(typeof(OutputTypeAttribute), false).Length > 0, command.Name + " has no [OutputType]");
            bool changes = command.Verb is "New" or "Grant" or "Save" or "Update" or "Revoke" or "Set" or "Remove";
            if (changes) Assert.True(command.Parameters.ContainsKey("WhatIf") && command.Parameters.ContainsKey("Confirm"), command.Name + " changes something but has no -WhatIf/-Confirm");
        }
    }

    [Fact]
    public void Module_folder_keeps_dependencies_apart_from_the_cmdlet_assembly()
    {
        var root = Directory.GetFiles(Repo.ModuleFolder, "*.dll").Select(Path.GetFileName).ToArray();
        Assert.Equal(new[] { "Naova.WhatsAppToken.dll" }, root);
        foreach (var tfm in new[] { "net472", "net8.0", "net10.0" })
        {
            var deps = Path.Combine(Repo.ModuleFolder, "dependencies", tfm);
            Assert.True(File.Exists(Path.Combine(deps, "Naova.WhatsAppToken.Engine.dll")), tfm + " engine missing");
            Assert.True(File.Exists(Path.Combine(deps, "Refit.dll")), tfm + " Refit missing");
        }
        Assert.True(File.Exists(Path.Combine(Repo.ModuleFolder, "dependencies", "net472", "System.Text.Json.dll")));
    }
}
