using System.Globalization;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// Runs what follows under a culture, then puts the caller's back. PowerShell 7 runs each pipeline on a thread it
/// starts from the invoking thread, and .NET carries CurrentCulture/CurrentUICulture (async-local) onto that thread:
/// so a culture set here before PsSession.Run is the one Get-Help and the module's resources see ($PSUICulture).
/// Set per test thread, never process-wide, so tests running in parallel keep their own cultures.
/// </summary>
public sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture;
    private readonly CultureInfo _uiCulture;

    private CultureScope(string name)
    {
        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    public static CultureScope Use(string name) => new(name);

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
