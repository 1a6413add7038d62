using System;
using System.Management.Automation;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// Where a token is kept: a secret of a SecretManagement vault (Vault, Name) or a variable of a .env file (EnvFile,
    /// Variable), with the same names as the parameters that name it. Every object that names a stored token carries
    /// one as StoredIn, so a command it is piped to acts on that place; it shows as "vault Production, secret
    /// WHATSAPP_ACCESS_TOKEN" or "/srv/app/.env, variable WHATSAPP_ACCESS_TOKEN".
    /// </summary>
    public sealed class WaTokenPlace : IEquatable<WaTokenPlace>
    {
        private WaTokenPlace(string? vault, string? name, string? envFile, string? variable)
        {
            Vault = vault;
            Name = name;
            EnvFile = envFile;
            Variable = variable;
        }

        /// <summary>The vault, for a secret; empty for a .env variable.</summary>
        public string? Vault { get; }

        /// <summary>The secret's name in the vault; empty for a .env variable.</summary>
        public string? Name { get; }

        /// <summary>The .env file's full path, for a variable; empty for a vault secret.</summary>
        public string? EnvFile { get; }

        /// <summary>The variable in the .env file; empty for a vault secret.</summary>
        public string? Variable { get; }

        /// <summary>Whether this is a variable of a .env file (else a secret of a vault).</summary>
        public bool IsEnvFile => EnvFile != null;

        /// <summary>The secret's or the variable's name.</summary>
        internal string Key => IsEnvFile ? Variable! : Name!;

        internal static WaTokenPlace InVault(string vault, string name) => new WaTokenPlace(vault, name, null, null);

        internal static WaTokenPlace InEnvFile(string path, string variable) => new WaTokenPlace(null, null, path, variable);

        /// <summary>The same store, another name in it (a rotation's kept token).</summary>
        internal WaTokenPlace WithKey(string key) => IsEnvFile ? InEnvFile(EnvFile!, key) : InVault(Vault!, key);

        /// <summary>
        /// The place an object piped in names: its StoredIn, as this module wrote it, or read back from a deserialized
        /// object (Export-Clixml, a job) by its parts. Null when the object names no place.
        /// </summary>
        internal static WaTokenPlace? Of(object? piped)
        {
            var value = piped == null ? null : PSObject.AsPSObject(piped).Properties["StoredIn"]?.Value;
            if (value is PSObject inner && inner.BaseObject is WaTokenPlace typed) return typed;
            if (value is WaTokenPlace place) return place;
            if (!(value is PSObject bag)) return null;
            string? Part(string name) => bag.Properties[name]?.Value?.ToString() is string text && text.Length > 0 ? text : null;
            if (Part(nameof(EnvFile)) is string path && Part(nameof(Variable)) is string variable) return InEnvFile(path, variable);
            if (Part(nameof(Vault)) is string vault && Part(nameof(Name)) is string name) return InVault(vault, name);
            return null;
        }

        public bool Equals(WaTokenPlace? other) =>
            other != null && string.Equals(Vault, other.Vault, StringComparison.OrdinalIgnoreCase) && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
            && string.Equals(EnvFile, other.EnvFile, StringComparison.Ordinal) && string.Equals(Variable, other.Variable, StringComparison.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as WaTokenPlace);

        public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(ToString());

        public override string ToString() => IsEnvFile ? Messages.Get("StoredIn.EnvFile", EnvFile, Variable) : Messages.Get("StoredIn.Vault", Vault, Name);
    }
}
