using System.Text.Json;
using System.Text.Json.Nodes;
using Naova.WhatsAppToken.KeyVaultEmulator.Spec;
using Naova.WhatsAppToken.KeyVaultEmulator.Vault;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Http;

/// <summary>The spec's operations, by operationId, over the vault: each answers its status and body.</summary>
internal sealed class SecretOperations(SecretVault vault, Bundles bundles)
{
    public (int Status, JsonNode? Answer) Invoke(string operationId, IReadOnlyDictionary<string, string> parameters, JsonObject? body, string path, int skip, int size)
    {
        string name = parameters.GetValueOrDefault("secret-name", "");
        string version = parameters.GetValueOrDefault("secret-version", "");
        string apiVersion = SecretsSpec.Instance.ApiVersion;
        switch (operationId)
        {
            case "SetSecret":
            {
                var (secret, set) = vault.Set(name, body!["value"]!.GetValue<string>(), Changes(body));
                return (200, bundles.Bundle(secret, set, withValue: true));
            }
            case "GetSecret":
            {
                var (secret, found) = vault.Get(name, version);
                return (200, bundles.Bundle(secret, found, withValue: true));
            }
            case "UpdateSecret":
            {
                var (secret, updated) = vault.Update(name, version, Changes(body!));
                return (200, bundles.Bundle(secret, updated, withValue: false));
            }
            case "GetSecrets":
                return (200, bundles.Page(vault.List().Select(s => bundles.Item(s, s.Latest, withVersion: false)), path, skip, size, apiVersion));
            case "GetSecretVersions":
                return (200, bundles.Page(vault.ListVersions(name).Select(v => bundles.Item(v.Secret, v.Version, withVersion: true)), path, skip, size, apiVersion));
            case "DeleteSecret":
                return (200, bundles.Deleted(vault.Delete(name), item: false));
            case "GetDeletedSecret":
                return (200, bundles.Deleted(vault.GetDeleted(name), item: false));
            case "GetDeletedSecrets":
                return (200, bundles.Page(vault.ListDeleted().Select(s => bundles.Deleted(s, item: true)), path, skip, size, apiVersion));
            case "RecoverDeletedSecret":
            {
                StoredSecret secret = vault.Recover(name);
                return (200, bundles.Bundle(secret, secret.Latest, withValue: false));
            }
            case "PurgeDeletedSecret":
                vault.Purge(name);
                return (204, null);
            default:
                throw new KeyVaultException(501, "NotImplemented", $"The emulator does not serve {operationId}.");
        }
    }

    /// <summary>contentType, tags and the writable attributes (enabled, nbf, exp) of a set or update body.</summary>
    private static SecretChanges Changes(JsonObject body)
    {
        JsonObject? attributes = body["attributes"] as JsonObject;
        return new SecretChanges
        {
            ContentType = body["contentType"]?.GetValue<string>(),
            Tags = (body["tags"] as JsonObject)?.ToDictionary(t => t.Key, t => t.Value?.GetValue<string>() ?? "", StringComparer.Ordinal),
            Enabled = attributes?["enabled"]?.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? attributes["enabled"]!.GetValue<bool>() : null,
            NotBefore = attributes?["nbf"]?.GetValue<long>(),
            Expires = attributes?["exp"]?.GetValue<long>(),
        };
    }
}
