using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// What the module Microsoft.PowerShell.SecretStore keeps, as a writer of it must know: every vault registered with
    /// it is one store file per user, and each process keeps that store, decrypted, in memory.
    /// </summary>
    /// <remarks>
    /// SecretStore reloads its copy only on a file-watcher event followed by a 5-second timer, and ignores a change
    /// made within 5 seconds of its own last write; every Set-Secret writes the whole copy back. A process that read the
    /// store and writes a while after another process did would put back what the other one replaced (a revoked token).
    /// SecretStore has no public way to reload, and it is feature-complete upstream (1.0.6, its only release, is the
    /// last): so the copy is re-read through reflection, by the internal names of 1.0.6 below, pinned by a test that
    /// fails when they change. Best-effort: any failure leaves the copy as it is, and says why, never throws; the file
    /// is read with the password the process already holds, so a locked store is not unlocked and never prompts.
    /// </remarks>
    internal static class SecretStoreCache
    {
        public const string Module = "Microsoft.PowerShell.SecretStore";

        // SecretStore 1.0.6's internal names: the process's one store, its SecureStore, and the reload the file watcher calls.
        internal const string StoreType = "Microsoft.PowerShell.SecretStore.LocalSecretStore";
        internal const string InstanceField = "LocalStore";
        internal const string SecureStoreField = "_secureStore";
        internal const string DataProperty = "Data";
        internal const string ReloadMethod = "UpdateDataFromFile";

        /// <summary>
        /// The folder of this user's store file, as SecretStore names it (its SecureStoreFile: $HOME/.secretmanagement/localstore
        /// on Unix, %LOCALAPPDATA%\Microsoft\PowerShell\secretmanagement\localstore on Windows), every link followed.
        /// </summary>
        public static string Folder()
        {
            string folder = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "Microsoft", "PowerShell", "secretmanagement", "localstore")
                : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? string.Empty, ".secretmanagement", "localstore");
            try
            {
                return AtomicFile.RealPath(Path.GetFullPath(folder));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return Path.GetFullPath(folder);
            }
        }

        /// <summary>The members the reload goes through, or null with the first one <paramref name="assembly"/> lacks.</summary>
        internal static (FieldInfo Instance, FieldInfo Store, PropertyInfo Data, MethodInfo Reload)? Find(Assembly assembly, out string missing)
        {
            var type = assembly.GetType(StoreType, throwOnError: false);
            var instance = type?.GetField(InstanceField, BindingFlags.NonPublic | BindingFlags.Static);
            var store = type?.GetField(SecureStoreField, BindingFlags.NonPublic | BindingFlags.Instance);
            var data = store?.FieldType.GetProperty(DataProperty, BindingFlags.Public | BindingFlags.Instance);
            var reload = store?.FieldType.GetMethod(ReloadMethod, BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            missing = type == null ? StoreType : instance == null ? InstanceField : store == null ? SecureStoreField : data == null ? DataProperty : reload == null ? ReloadMethod : string.Empty;
            if (instance == null || store == null || data == null || reload == null) return null;
            return (instance, store, data, reload);
        }

        /// <summary>
        /// Re-reads the store file into the copy SecretStore keeps in this process, where it is loaded (the assembly and
        /// its statics are the process's, though SecretManagement runs the extension in a runspace of its own). Null when
        /// it was re-read or there is no copy; else why not, in words for a Verbose line.
        /// </summary>
        public static string? Refresh()
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (!string.Equals(assembly.GetName().Name, Module, StringComparison.Ordinal)) continue;
                string version = assembly.GetName().Version?.ToString() ?? "?";
                try
                {
                    if (!(Find(assembly, out string missing) is var (instance, store, data, reload)))
                        return Messages.Get("Verbose.SecretStoreNamesMissing", version, missing);
                    // No store yet in this process: its first use reads the file.
                    if (!(instance.GetValue(null) is object local) || !(store.GetValue(local) is object secure)) continue;
                    object? before = data.GetValue(secure);
                    reload.Invoke(secure, null);
                    // SecretStore replaces its data only when the file was read, and says nothing when it was not.
                    if (ReferenceEquals(before, data.GetValue(secure))) return Messages.Get("Verbose.SecretStoreNotReread", version);
                }
                catch (Exception ex) when (ex is TargetInvocationException || ex is MemberAccessException || ex is ArgumentException
                    || ex is InvalidOperationException || ex is NotSupportedException || ex is TypeLoadException || ex is IOException)
                {
                    return Messages.Get("Verbose.SecretStoreRereadFailed", version, (ex.InnerException ?? ex).Message);
                }
            }
            return null;
        }
    }
}
