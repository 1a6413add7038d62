using System.Globalization;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Spec;

/// <summary>
/// What Key Vault does that its spec (Specs/secrets.json) does not say, in one place, each with its source. Where the
/// source gives Key Vault's words they are Key Vault's; where it gives only the rule, the words are ours and say so.
/// </summary>
internal static class KeyVaultSurface
{
    /// <summary>One of the messages below with its blanks filled, the same on every machine (numbers in the invariant culture).</summary>
    public static string Say(string message, params object[] values) => string.Format(CultureInfo.InvariantCulture, message, values);

    // Authentication. Source: learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses and
    // .../rest-error-codes ("HTTP 401: Unauthenticated Request"): a request without a bearer token is answered 401 with
    // WWW-Authenticate: Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net", which Azure's
    // clients read to ask for a token (the challenge); every 401 carries it.
    public const string Resource = "https://vault.azure.net";
    public const string Authority = "https://login.windows.net/";
    public const string MissingToken = "AKV10000: Request is missing a Bearer or PoP token.";
    /// <summary>Our words: Key Vault answers a token it can not validate 401 with the challenge, with messages that vary by cause.</summary>
    public const string BadToken = "AKV10032: The token was not issued for this vault (the emulator accepts only the tokens it was given).";

    // Names. Source: learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates ("Object identifiers":
    // 1-127 characters, letters, digits and dashes), and the spec's own pattern for SetSecret.
    public const string NamePattern = "^[0-9a-zA-Z-]{1,127}$";
    public const string InvalidName = "The request URI contains an invalid name: {0}";

    // Values. Source: learn.microsoft.com/azure/key-vault/general/service-limits ("Secret value size: 25k bytes").
    // Our words.
    public const int MaxValueBytes = 25 * 1024;
    public const string ValueTooLarge = "The secret value is {0} bytes; Key Vault keeps at most 25 KB ({1} bytes).";

    // Tags. Source: learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates ("Object tags": up to 15
    // tags, names of at most 512 characters, values of at most 256). Our words.
    public const int MaxTags = 15;
    public const int MaxTagName = 512;
    public const int MaxTagValue = 256;
    public const string TooManyTags = "A secret takes at most 15 tags; {0} were given.";
    public const string TagTooLong = "The tag '{0}' is too long: names take at most 512 characters and values at most 256.";

    // api-version. Our words for the rule every Azure data plane keeps: the parameter is required and must be a version
    // the service knows. The emulator knows one, the spec's.
    public const string MissingApiVersion = "The api-version query parameter is required.";
    public const string UnknownApiVersion = "The specified version ({0}) is not recognized. Consider using the latest supported version ({1}).";

    // Not found. Source: Key Vault's answer as Azure/azure-sdk-for-net#26027 quotes it ("Deleted Secret not found") and
    // the REST reference's GetSecret examples; code SecretNotFound.
    public const string NotFoundCode = "SecretNotFound";
    public const string NotFound = "A secret with (name/id) {0} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182";
    public const string DeletedNotFound = "Deleted Secret not found: {0}";

    // Soft delete. Source: learn.microsoft.com/azure/key-vault/general/soft-delete-overview ("the name ... cannot be
    // reused until it is purged or recovered"; retention 7-90 days, 90 by default), and Key Vault's answer as
    // external-secrets/external-secrets#3519 and microsoft/AzureKeyVaultExplorer#42 quote it: 409, code Conflict,
    // inner code ObjectIsDeletedButRecoverable.
    public const string ConflictCode = "Conflict";
    public const string DeletedButRecoverableCode = "ObjectIsDeletedButRecoverable";
    public const string DeletedButRecoverable = "Secret {0} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.";
    public const string RecoveryLevel = "Recoverable+Purgeable";
    public const int RecoverableDays = 90;

    // A disabled secret. Source: learn.microsoft.com/azure/key-vault/secrets/about-secrets ("a disabled secret ...
    // get operations fail"); Key Vault answers 403 Forbidden, inner code SecretDisabled.
    public const string DisabledCode = "Forbidden";
    public const string DisabledInnerCode = "SecretDisabled";
    public const string Disabled = "Operation get is not allowed on a disabled secret.";

    // Paging. The spec leaves nextLink to the service; Key Vault's carries $skiptoken (an opaque token) and maxresults.
    public const string SkipTokenParameter = "$skiptoken";
    public const int DefaultPageSize = 25;

    /// <summary>Our words: a path or method the spec does not list.</summary>
    public const string NoSuchOperation = "The emulator serves the operations of Azure's secrets spec only; {0} {1} is not one of them.";
}
