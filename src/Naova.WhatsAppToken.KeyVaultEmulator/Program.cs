using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace Naova.WhatsAppToken.KeyVaultEmulator;

/// <summary>
/// dotnet Naova.WhatsAppToken.KeyVaultEmulator.dll --cert CERT.pem --key KEY.pem --token TOKEN [--token ...] [--port N]
/// Prints "Key Vault emulator listening on https://127.0.0.1:PORT/" once it answers, and runs until SIGTERM or Ctrl+C.
/// </summary>
public static class KeyVaultEmulatorProgram
{
    public const string Usage = "Usage: Naova.WhatsAppToken.KeyVaultEmulator --cert CERT.pem --key KEY.pem --token TOKEN [--token TOKEN ...] [--port N]";

    public static async Task<int> Main(string[] args)
    {
        string? cert = null, key = null;
        int port = 0;
        var tokens = new List<string>();
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--cert": cert = Next(); break;
                    case "--key": key = Next(); break;
                    case "--token": tokens.Add(Next()); break;
                    case "--port": port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--help" or "-h":
                        Console.WriteLine(Usage);
                        return 0;
                    default: throw new ArgumentException($"Unknown argument {args[i]}.");
                }
            }
            if (cert is null || key is null || tokens.Count == 0) throw new ArgumentException("--cert, --key and --token are required.");
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(cert, key);
        await using KeyVaultEmulator emulator = await KeyVaultEmulator.StartAsync(new KeyVaultEmulatorOptions
        {
            Port = port,
            // Kestrel on Linux takes a PEM-loaded key as it is; elsewhere an exported PFX keeps the key usable for TLS.
            Certificate = OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null) : certificate,
            AcceptedTokens = tokens,
        });
        Console.WriteLine($"Key Vault emulator listening on {emulator.VaultUri}");
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        return 0;
    }
}
