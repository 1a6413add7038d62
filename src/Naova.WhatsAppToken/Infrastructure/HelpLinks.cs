namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Where Get-Help -Online goes: the project's README (ProjectUri in the manifest), which describes every cmdlet and
    /// the whole procedure. No per-cmdlet pages are published; the offline help is the full text.
    /// </summary>
    internal static class HelpLinks
    {
        public const string Online = "https://github.com/naova/Naova.WhatsAppToken/blob/main/README.md";
    }
}
