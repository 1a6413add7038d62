using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Naova.WhatsAppToken.Loading
{
    /// <summary>
    /// PowerShell 7: the default context gets the engine from a private context, and only the engine; everything
    /// the engine needs is then resolved inside that private context. Kept in its own class so Windows PowerShell
    /// never compiles a method that names AssemblyLoadContext.
    /// </summary>
    internal static class CoreDependencyLoader
    {
        private static ModuleLoadContext? _context;

        internal static void Register(string folder)
        {
            _context = new ModuleLoadContext(folder);
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }

        private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
            _context != null && string.Equals(name.Name, DependencyLoader.EngineAssemblyName, StringComparison.Ordinal)
                ? _context.LoadFromAssemblyName(name)
                : null;
    }

    internal sealed class ModuleLoadContext : AssemblyLoadContext
    {
        // Ours alone: always the copy in our folder, whatever another module loaded.
        private static readonly string[] PrivatePrefixes = { "Naova.", "Refit", "ReactiveUI.", "Polly" };

        private readonly string _folder;

        public ModuleLoadContext(string folder)
        {
            _folder = folder;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            string? path = DependencyLoader.PathInFolder(_folder, name);
            if (path == null) return null; // the runtime's own assemblies: the default context answers
            if (!IsPrivate(name.Name!) && TryRuntimeCopy(name) is Assembly shared) return shared;
            return LoadFromAssemblyPath(path);
        }

        private static bool IsPrivate(string simpleName)
        {
            foreach (var prefix in PrivatePrefixes)
                if (simpleName.StartsWith(prefix, StringComparison.Ordinal)) return true;
            return false;
        }

        // System.Text.Json, System.Memory and friends: one copy per process is best, if the runtime's is new enough.
        private static Assembly? TryRuntimeCopy(AssemblyName name)
        {
            try
            {
                var shared = Default.LoadFromAssemblyName(name);
                return shared.GetName().Version >= (name.Version ?? new Version(0, 0)) ? shared : null;
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (FileLoadException)
            {
                return null;
            }
        }
    }
}
