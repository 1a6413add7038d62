using System.Globalization;
using System.Net;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>The emulator's command line. Only loopback addresses are accepted.</summary>
internal static class CommandLine
{
    public const string Usage =
        "Usage: Naova.WhatsAppToken.Emulator [--urls http://127.0.0.1:5080] [--seed PATH] [--require-expiring-tokens]\n" +
        "                                    [--max-system-users N] [--latency-ms N]";

    /// <summary>The options, or null when help was asked for. Throws ArgumentException on a bad argument.</summary>
    public static EmulatorOptions? Parse(string[] args)
    {
        var options = new EmulatorOptions();
        SetUrl(options, "http://127.0.0.1:5080");
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--help" or "-h" or "-?":
                    return null;
                case "--urls":
                    SetUrl(options, Value(args, ref i).Split(';')[0]);
                    break;
                case "--seed":
                    options.SeedPath = Value(args, ref i);
                    break;
                case "--require-expiring-tokens":
                    options.RequireExpiringTokens = true;
                    break;
                case "--max-system-users":
                    options.MaxSystemUsers = Number(args, ref i);
                    break;
                case "--latency-ms":
                    options.InitialLatency = TimeSpan.FromMilliseconds(Number(args, ref i));
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{arg}'.");
            }
        }
        return options;
    }

    private static void SetUrl(EmulatorOptions options, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != "http")
            throw new ArgumentException($"--urls must be an http:// URL, not '{url}'.");
        IPAddress address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) ? ip
            : throw new ArgumentException($"--urls must name a loopback address, not '{uri.Host}'.");
        if (!IPAddress.IsLoopback(address))
            throw new ArgumentException($"Refusing to bind {uri.Host}: the emulator only listens on a loopback address (127.0.0.1, ::1, localhost).");
        options.ListenAddress = address;
        options.Port = uri.Port;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value.");
        return args[++i];
    }

    private static int Number(string[] args, ref int i)
    {
        string text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a non-negative number, not '{text}'.");
    }
}
