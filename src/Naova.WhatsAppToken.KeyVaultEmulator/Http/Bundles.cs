using System.Text.Json.Nodes;
using Naova.WhatsAppToken.KeyVaultEmulator.Spec;
using Naova.WhatsAppToken.KeyVaultEmulator.Vault;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Http;

/// <summary>The spec's answers (SecretBundle, SecretItem, DeletedSecretBundle, DeletedSecretItem) built from the vault's state.</summary>
internal sealed class Bundles(Func<Uri> baseUri)
{
    private string Id(string kind, string name, string? version = null) =>
        $"{baseUri().AbsoluteUri}{kind}/{name}" + (version is null ? "" : "/" + version);

    /// <summary>SecretBundle: with the value for a get or a set; without it for an update or a recover.</summary>
    public JsonObject Bundle(StoredSecret secret, SecretVersion version, bool withValue)
    {
        var bundle = new JsonObject();
        if (withValue) bundle["value"] = version.Value;
        bundle["id"] = Id("secrets", secret.Name, version.Version);
        return Describe(bundle, version);
    }

    /// <summary>SecretItem: the base identifier for the list of secrets, the version's for the list of versions.</summary>
    public JsonObject Item(StoredSecret secret, SecretVersion version, bool withVersion) =>
        Describe(new JsonObject { ["id"] = Id("secrets", secret.Name, withVersion ? version.Version : null) }, version);

    public JsonObject Deleted(StoredSecret secret, bool item)
    {
        JsonObject bundle = item ? Item(secret, secret.Latest, withVersion: false) : Bundle(secret, secret.Latest, withValue: false);
        bundle["recoveryId"] = Id("deletedsecrets", secret.Name);
        bundle["scheduledPurgeDate"] = secret.ScheduledPurgeDate;
        bundle["deletedDate"] = secret.DeletedDate;
        return bundle;
    }

    private static JsonObject Describe(JsonObject bundle, SecretVersion version)
    {
        if (version.ContentType is not null) bundle["contentType"] = version.ContentType;
        var attributes = new JsonObject { ["enabled"] = version.Enabled };
        if (version.NotBefore is long nbf) attributes["nbf"] = nbf;
        if (version.Expires is long exp) attributes["exp"] = exp;
        attributes["created"] = version.Created;
        attributes["updated"] = version.Updated;
        attributes["recoveryLevel"] = KeyVaultSurface.RecoveryLevel;
        attributes["recoverableDays"] = KeyVaultSurface.RecoverableDays;
        bundle["attributes"] = attributes;
        if (version.Tags is not null)
        {
            var tags = new JsonObject();
            foreach ((string key, string value) in version.Tags) tags[key] = value;
            bundle["tags"] = tags;
        }
        return bundle;
    }

    /// <summary>One page of a list: 25 by default or maxresults, and a nextLink carrying $skiptoken while more remain.</summary>
    public JsonObject Page(IEnumerable<JsonObject> all, string path, int skip, int size, string apiVersion)
    {
        List<JsonObject> items = all.ToList();
        var page = new JsonArray();
        foreach (JsonObject item in items.Skip(skip).Take(size)) page.Add(item);
        var list = new JsonObject { ["value"] = page };
        list["nextLink"] = skip + size < items.Count
            ? $"{baseUri().AbsoluteUri}{path.TrimStart('/')}?api-version={apiVersion}&{KeyVaultSurface.SkipTokenParameter}={skip + size}&maxresults={size}"
            : null;
        return list;
    }
}
