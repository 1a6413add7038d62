// Usings spelled out: the Pester suite compiles this file with Add-Type, which has no implicit usings.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

// STAND-IN, NOT THE REAL MODULE. SecretManagement can not be installed where these tests run, so the stand-in
// module next to this file (StandIn/Microsoft.PowerShell.SecretManagement) plays it. These are the public types of
// the real Microsoft.PowerShell.SecretManagement.Library with the same names, namespace, members and constructors
// (SecretVaultInfo's constructor is internal there, public here so the script stand-in can build one), so the
// objects the stand-in writes look to PowerShell exactly as the real module's do. The product never references them.
namespace Microsoft.PowerShell.SecretManagement;

public enum SecretType
{
    Unknown = 0,
    ByteArray,
    String,
    SecureString,
    PSCredential,
    Hashtable,
}

public sealed class SecretInformation
{
    public SecretInformation(string name, SecretType type, string vaultName)
        : this(name, type, vaultName, new ReadOnlyDictionary<string, object>(new Dictionary<string, object>()))
    {
    }

    public SecretInformation(string name, SecretType type, string vaultName, ReadOnlyDictionary<string, object> metadata)
    {
        Name = name;
        Type = type;
        VaultName = vaultName;
        Metadata = metadata;
    }

    public string Name { get; }

    public SecretType Type { get; }

    public string VaultName { get; }

    public ReadOnlyDictionary<string, object> Metadata { get; }
}

public sealed class SecretVaultInfo
{
    public SecretVaultInfo(string name, string moduleName, string modulePath, string description, bool isDefault)
    {
        Name = name;
        ModuleName = moduleName;
        ModulePath = modulePath;
        Description = description;
        IsDefault = isDefault;
    }

    public string Name { get; }

    public string ModuleName { get; }

    public string ModulePath { get; }

    public string Description { get; }

    public IReadOnlyDictionary<string, object> VaultParameters { get; } = new Dictionary<string, object>();

    public bool IsDefault { get; }
}
