using System;
using System.Collections;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// What a registered vault does with a secret, known from its registration before anything is written to it:
    /// whether it keeps metadata, and whether it is Azure Key Vault (registered with Az.KeyVault's extension), whose
    /// names are letters, digits and dashes and whose Remove-Secret is a soft delete that keeps the name taken until the
    /// secret is recovered or purged.
    /// </summary>
    internal sealed class VaultTraits
    {
        public const string AzKeyVaultModule = "Az.KeyVault";

        // Key Vault's rule for a secret's name (its REST API's pattern for {secret-name}).
        private static readonly Regex KeyVaultNamePattern = new Regex("^[0-9a-zA-Z-]{1,127}$", RegexOptions.CultureInvariant);

        // Whether an extension keeps metadata, by vault, module and module path: asked once per process, as a loaded
        // module does not change under it (a vault registered again with another module is another key).
        private static readonly ConcurrentDictionary<string, bool> KeepsMetadataByModule = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        private VaultTraits(string module, bool keepsMetadata, string? keyVaultName)
        {
            Module = module;
            KeepsMetadata = keepsMetadata;
            KeyVaultName = keyVaultName;
        }

        /// <summary>The vault's extension module, as registered (empty when the registration could not be read).</summary>
        public string Module { get; }

        /// <summary>Whether the vault keeps a secret's metadata: sent only then, so SecretManagement never removes a secret it could not describe.</summary>
        public bool KeepsMetadata { get; }

        /// <summary>Whether this is Azure Key Vault through Az.KeyVault's extension.</summary>
        public bool IsKeyVault => string.Equals(Module, AzKeyVaultModule, StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether Remove-Secret leaves the name taken (Key Vault's soft delete), so a name needed again must never be removed.</summary>
        public bool SoftDeletes => IsKeyVault;

        /// <summary>The Azure name of the Key Vault (its AZKVaultName), for the Az commands a message gives; null for another vault.</summary>
        public string? KeyVaultName { get; }

        /// <summary>The vault's traits, from its registration (Get-SecretVault) and, once per process, its extension module.</summary>
        public static VaultTraits Of(string vault)
        {
            var registration = SecretManagementBridge.Registration(vault);
            string module = registration?.Properties["ModuleName"]?.Value as string ?? string.Empty;
            string path = registration?.Properties["ModulePath"]?.Value as string ?? string.Empty;
            bool keeps = module.Length > 0 && KeepsMetadataByModule.GetOrAdd(vault + "\n" + module + "\n" + path, _ => ExtensionKeepsMetadata(module, path));
            string? keyVaultName = null;
            if (string.Equals(module, AzKeyVaultModule, StringComparison.OrdinalIgnoreCase))
            {
                var parameters = registration?.Properties["VaultParameters"]?.Value;
                if (parameters is PSObject wrapped) parameters = wrapped.BaseObject;
                keyVaultName = (parameters as IDictionary)?["AZKVaultName"]?.ToString();
            }
            return new VaultTraits(module, keeps, keyVaultName);
        }

        /// <summary>Whether the vault would refuse <paramref name="name"/>; <paramref name="taken"/> is then the name it would take.</summary>
        public bool Refuses(string name, out string taken)
        {
            taken = name;
            if (!IsKeyVault || KeyVaultNamePattern.IsMatch(name)) return false;
            taken = KeyVaultNameFor(name);
            return true;
        }

        /// <summary>The Key Vault name closest to <paramref name="name"/>: every other character a dash, at most 127 (WHATSAPP_ACCESS_TOKEN: WHATSAPP-ACCESS-TOKEN).</summary>
        public static string KeyVaultNameFor(string name)
        {
            string dashed = Regex.Replace(name, "[^0-9a-zA-Z-]", "-");
            return dashed.Length > 127 ? dashed.Substring(0, 127) : dashed;
        }

        /// <summary>
        /// What SecretManagement itself checks when it writes metadata: the extension's Set-Secret takes -Metadata, or the
        /// extension exports Set-SecretInfo. The extension is the module &lt;ModuleName&gt;.Extension beside the
        /// registered module's manifest, imported into a runspace of its own (as SecretManagement does), never into the
        /// caller's, where its Set-Secret would hide SecretManagement's. An extension that can not be found or loaded is
        /// taken as keeping none: then no metadata is sent, and nothing is written that SecretManagement could remove.
        /// </summary>
        private static bool ExtensionKeepsMetadata(string module, string path)
        {
            try
            {
                using (var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()))
                {
                    runspace.Open();
                    string folder = path;
                    using (var ps = PowerShell.Create())
                    {
                        ps.Runspace = runspace;
                        // The registration keeps the module's folder without its version folders: the newest is the one loaded.
                        ps.AddCommand("Microsoft.PowerShell.Core\\Get-Module").AddParameter("ListAvailable").AddParameter("Name", path).AddParameter("ErrorAction", ActionPreference.Ignore);
                        var newest = ps.Invoke<PSModuleInfo>().Where(m => m != null).OrderByDescending(m => m.Version).FirstOrDefault();
                        if (newest != null) folder = newest.ModuleBase;
                    }
                    string extension = Path.Combine(folder, module + ".Extension");
                    if (!Directory.Exists(extension)) return false;
                    using (var ps = PowerShell.Create())
                    {
                        ps.Runspace = runspace;
                        ps.AddCommand("Microsoft.PowerShell.Core\\Import-Module").AddParameter("Name", extension).AddParameter("PassThru").AddParameter("ErrorAction", ActionPreference.Stop);
                        var loaded = ps.Invoke<PSModuleInfo>().FirstOrDefault(m => m != null);
                        if (loaded == null) return false;
                        var commands = loaded.ExportedCommands;
                        return commands.ContainsKey("Set-SecretInfo") || (commands.TryGetValue("Set-Secret", out var set) && set.Parameters.ContainsKey("Metadata"));
                    }
                }
            }
            catch (Exception ex) when (ex is RuntimeException || ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                return false;
            }
        }
    }
}
