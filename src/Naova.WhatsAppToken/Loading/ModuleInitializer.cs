using System.Management.Automation;

namespace Naova.WhatsAppToken.Loading
{
    /// <summary>Registers the dependency resolver when the module is imported; nothing else happens at import.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyLoader.Register();

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyLoader.Unregister();
    }
}
