using System.Runtime.InteropServices;

namespace Naova.WhatsAppToken.Emulator;

/// <summary>
/// dotnet run --project src/Naova.WhatsAppToken.Emulator -- --urls http://127.0.0.1:5080
///   [--seed PATH] [--require-expiring-tokens] [--max-system-users N] [--latency-ms N]
/// </summary>
public static class EmulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        EmulatorOptions? options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(CommandLine.Usage);
            return 2;
        }
        if (options is null)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        await using GraphEmulator emulator = await GraphEmulator.StartAsync(options);
        EmulatorSeed seed = emulator.Seed;
        Console.WriteLine($"Graph API emulator listening on {emulator.BaseUri}");
        Console.WriteLine($"  business        {seed.BusinessId} ({seed.BusinessName})");
        Console.WriteLine($"  app             {seed.AppId} ({seed.AppName})");
        Console.WriteLine($"  admin person    {seed.AdminUserId} ({seed.AdminUserName})");
        Console.WriteLine($"  employee person {seed.EmployeeUserId} ({seed.EmployeeUserName})");
        Console.WriteLine($"  WABA            {seed.WabaId} ({seed.WabaName}), phone number {seed.PhoneNumberId} ({seed.DisplayPhoneNumber})");
        Console.WriteLine($"  second WABA     {seed.SecondWabaId}");
        Console.WriteLine($"  fixture file    {seed.SeedSource} (the app secret and the people's tokens are there)");
        Console.WriteLine($"  state           {emulator.BaseUri}_emulator/state");
        Console.WriteLine("Press Ctrl+C to stop.");

        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        return 0;
    }
}
