using Naova.WhatsAppToken.Packaging;

// dotnet Naova.WhatsAppToken.Packaging.dll --module out/Naova.WhatsAppToken --output artifacts
string? module = null, output = null;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--module") module = args[i + 1];
    else if (args[i] == "--output") output = args[i + 1];
}
if (module == null || output == null)
{
    Console.Error.WriteLine("usage: Naova.WhatsAppToken.Packaging --module <module folder> --output <folder>");
    return 2;
}
try
{
    var result = ModulePackager.Package(module, output);
    Console.WriteLine($"PowerShell Gallery package: {result.GalleryPackage}");
    Console.WriteLine($"Azure Automation zip:       {result.AutomationZip}");
    Console.WriteLine($"{result.Files.Count} files from {Path.GetFullPath(module)}");
    return 0;
}
catch (PackagingException ex)
{
    // MSBuild reads "error :" lines as build errors.
    Console.Error.WriteLine("error : " + ex.Message);
    return 1;
}
