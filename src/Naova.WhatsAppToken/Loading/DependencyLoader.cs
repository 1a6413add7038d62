using System;
using System.IO;
using System.Reflection;

namespace Naova.WhatsAppToken.Loading
{
    /// <summary>
    /// The engine, Refit, System.Text.Json and Polly live in dependencies/&lt;tfm&gt;/, away from the cmdlets, and
    /// are loaded only through this resolver, which answers only for files of that folder. On PowerShell 7 they
    /// go into a private AssemblyLoadContext, so a module that loaded another Refit first does not matter.
    /// </summary>
    internal static class DependencyLoader
    {
        internal const string EngineAssemblyName = "Naova.WhatsAppToken.Engine";

        private static readonly object Gate = new object();
        private static bool _registered;

        internal static bool IsCoreClr => typeof(object).Assembly.GetName().Name == "System.Private.CoreLib";

        internal static string ModuleDirectory => Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location)!;

        /// <summary>
        /// net10.0 (precompiled) for PowerShell 7.6+; net8.0 for PowerShell 7.4 and 7.5; net472 for Windows PowerShell and
        /// for PowerShell 7.2/7.3 (.NET 6/7).
        /// </summary>
        internal static string DependencyDirectory
        {
            get
            {
                string folder = Path.Combine(ModuleDirectory, "dependencies");
                if (IsCoreClr && Environment.Version.Major >= 10 && Directory.Exists(Path.Combine(folder, "net10.0"))) return Path.Combine(folder, "net10.0");
                return Path.Combine(folder, IsCoreClr && Environment.Version.Major >= 8 ? "net8.0" : "net472");
            }
        }

        internal static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                if (IsCoreClr) CoreDependencyLoader.Register(DependencyDirectory);
                else DesktopDependencyLoader.Register(DependencyDirectory);
                _registered = true;
            }
        }

        internal static void Unregister()
        {
            lock (Gate)
            {
                if (!_registered) return;
                if (!IsCoreClr) DesktopDependencyLoader.Unregister();
                // On CoreCLR the context stays: the engine may already be loaded into it, and it can not be unloaded.
                _registered = IsCoreClr;
            }
        }

        internal static string? PathInFolder(string folder, AssemblyName name)
        {
            if (string.IsNullOrEmpty(name.Name)) return null;
            string path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? path : null;
        }
    }

    /// <summary>Windows PowerShell 5.1: AppDomain.AssemblyResolve, answering only for files in the dependencies folder.</summary>
    internal static class DesktopDependencyLoader
    {
        private static string? _folder;

        internal static void Register(string folder)
        {
            _folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        internal static void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            if (_folder == null) return null;
            string? path = DependencyLoader.PathInFolder(_folder, new AssemblyName(args.Name));
            return path == null ? null : Assembly.LoadFrom(path);
        }
    }
}
