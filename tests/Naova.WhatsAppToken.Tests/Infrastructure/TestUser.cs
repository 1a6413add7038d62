using System.Diagnostics;
using System.Globalization;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// A Unix user (and its own group) made for one test with useradd, and removed with userdel when disposed: the
/// application's user that owns a .env a root rotation writes. Only root can make one; <see cref="RootFactAttribute"/>
/// skips the test, saying why, elsewhere.
/// </summary>
public sealed class TestUser : IDisposable
{
    private TestUser(string name, uint id, uint group)
    {
        Name = name;
        Id = id;
        Group = group;
    }

    public string Name { get; }

    public uint Id { get; }

    public uint Group { get; }

    public static TestUser Create()
    {
        string name = "naova-" + Guid.NewGuid().ToString("N")[..10];
        Serialized(() => Run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
        return new TestUser(name, uint.Parse(Run("id", "-u", name).Trim(), CultureInfo.InvariantCulture), uint.Parse(Run("id", "-g", name).Trim(), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// One useradd or userdel at a time across the test processes (the engine's and the module's tests run at once):
    /// two at once fail to lock /etc/passwd.
    /// </summary>
    private static void Serialized(Action change)
    {
        using var mutex = new Mutex(false, "Global\\naova-test-users");
        try
        {
            mutex.WaitOne();
        }
        catch (AbandonedMutexException)
        {
            // A test process that ended holding it: the files are whole (useradd writes them atomically).
        }
        try
        {
            change();
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    /// <summary>What the user reads at <paramref name="path"/> (cat, run as the user), as the application would.</summary>
    public string Read(string path) => Run("setpriv", "--reuid=" + Id, "--regid=" + Group, "--clear-groups", "cat", path);

    /// <summary>Owner id, group id and permission bits of <paramref name="path"/>, from stat(1).</summary>
    public static (uint User, uint Group, string Mode) Status(string path)
    {
        string[] parts = Run("stat", "-c", "%u %g %a", path).Trim().Split(' ');
        return (uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }

    public void Dispose() => Serialized(() => Run("userdel", Name));

    public static string Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: exit {p.ExitCode}: {error.Result}");
        return output;
    }
}

/// <summary>A fact that needs root on Unix (to make a user with useradd and give it files); skipped, saying so, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix owners and groups exist on Unix only";
        else if (!Environment.IsPrivilegedProcess) Skip = "needs root, to make a user with useradd and give it a .env (CI runs as root); ran as " + Environment.UserName;
        else if (!File.Exists("/usr/sbin/useradd") && !File.Exists("/usr/bin/useradd")) Skip = "root, but no useradd here to make the application's user";
    }
}
