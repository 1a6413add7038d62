using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// The secrets table of one of the SecretManagement stand-in's vaults, replaced by one a test steers: writes of the
/// names in <see cref="Refuse"/> fail as a vault that refuses would, and <see cref="OnWrite"/> runs before each write
/// (to arm an emulator fault for the step that follows it). Installed with <see cref="Install"/>.
/// </summary>
[SuppressMessage("Design", "CA1010:Generic interface should also be implemented",
    Justification = "It replaces the stand-in vault's own Hashtable, which the vault's script indexes as one; a generic collection would not stand in for it.")]
public sealed class ScriptedSecrets : Hashtable
{
    public ScriptedSecrets()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }

    public HashSet<string> Refuse { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Action<string>? OnWrite { get; set; }

    public int Writes { get; private set; }

    public override object? this[object key]
    {
        get => base[key];
        set
        {
            string name = (string)key;
            OnWrite?.Invoke(name);
            if (Refuse.Contains(name)) throw new InvalidOperationException($"The vault refused to store {name}: it is locked.");
            Writes++;
            base[key] = value;
        }
    }

    /// <summary>A script that makes <paramref name="variable"/> the secrets table of the stand-in vault <paramref name="vault"/>.</summary>
    public static string Install(string variable, string vault) =>
        $"& (Get-Module Microsoft.PowerShell.SecretManagement) {{ param($table) $script:Vaults['{vault}'].Secrets = $table }} ${variable}\n";

    /// <summary>The fingerprint of the token stored under <paramref name="name"/>, or null when there is none.</summary>
    public string? FingerprintOf(string name)
    {
        if (base[name] is not IDictionary entry) return null;
        object? secret = entry["Secret"];
        if (secret is PSObject wrapped) secret = wrapped.BaseObject;
        return secret is SecureString secure ? Fingerprint(new System.Net.NetworkCredential(string.Empty, secure).Password) : null;
    }

    public static string Fingerprint(string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToLowerInvariant()[..12];
}
