namespace Naova.WhatsAppToken.Hosts;

/// <summary>What pwsh.dll's Main does: PowerShell's console host, with its command line.</summary>
public static class Program
{
    public static int Main(string[] args) => Microsoft.PowerShell.UnmanagedPSEntry.Start(args, args.Length);
}
