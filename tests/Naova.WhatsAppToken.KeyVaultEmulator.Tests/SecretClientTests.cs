using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Tests;

/// <summary>Azure's SecretClient 4.12.0, unmodified, through every operation the emulator serves.</summary>
public sealed class SecretClientTests : IAsyncLifetime
{
    private TestVault _vault = null!;
    private SecretClient Client => _vault.Client;

    public async Task InitializeAsync() => _vault = await TestVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task Each_set_is_a_new_version_and_get_reads_the_latest_or_the_one_named()
    {
        KeyVaultSecret first = await Client.SetSecretAsync("app-token", "one");
        KeyVaultSecret second = await Client.SetSecretAsync("app-token", "two");

        Assert.NotEqual(first.Properties.Version, second.Properties.Version);
        Assert.Equal(32, second.Properties.Version.Length);
        Assert.Equal("two", (await Client.GetSecretAsync("app-token")).Value.Value);
        Assert.Equal("one", (await Client.GetSecretAsync("app-token", first.Properties.Version)).Value.Value);
        Assert.Equal(new Uri(_vault.Emulator.VaultUri, $"secrets/app-token/{second.Properties.Version}"), second.Id);
        // Names compare without case, and the answer keeps the name as first set.
        Assert.Equal("two", (await Client.GetSecretAsync("APP-TOKEN")).Value.Value);
        var unknown = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetSecretAsync("app-token", new string('0', 32)));
        Assert.Equal((404, "SecretNotFound"), (unknown.Status, unknown.ErrorCode));
    }

    [Fact]
    public async Task A_set_keeps_content_type_tags_and_attributes_and_answers_the_recovery_level()
    {
        var expires = DateTimeOffset.UtcNow.AddDays(60);
        var secret = new KeyVaultSecret("with-everything", "v");
        secret.Properties.ContentType = "SecureString";
        secret.Properties.Tags["Fingerprint"] = "abc123";
        secret.Properties.ExpiresOn = expires;
        secret.Properties.NotBefore = expires.AddDays(-61);

        KeyVaultSecret set = await Client.SetSecretAsync(secret);
        KeyVaultSecret read = await Client.GetSecretAsync("with-everything");

        Assert.Equal("SecureString", read.Properties.ContentType);
        Assert.Equal("abc123", read.Properties.Tags["Fingerprint"]);
        Assert.Equal(expires.ToUnixTimeSeconds(), read.Properties.ExpiresOn!.Value.ToUnixTimeSeconds());
        Assert.Equal(expires.AddDays(-61).ToUnixTimeSeconds(), read.Properties.NotBefore!.Value.ToUnixTimeSeconds());
        Assert.True(read.Properties.Enabled);
        Assert.NotNull(read.Properties.CreatedOn);
        Assert.NotNull(read.Properties.UpdatedOn);
        Assert.Equal("Recoverable+Purgeable", read.Properties.RecoveryLevel);
        Assert.Equal(90, read.Properties.RecoverableDays);
        Assert.Equal(set.Properties.Version, read.Properties.Version);
    }

    [Fact]
    public async Task Lists_page_through_every_secret_and_every_version_without_values()
    {
        for (int i = 0; i < 27; i++) await Client.SetSecretAsync($"s-{i:00}", "v");
        for (int i = 0; i < 2; i++) await Client.SetSecretAsync("s-00", "again");

        var names = new List<string>();
        await foreach (SecretProperties properties in Client.GetPropertiesOfSecretsAsync()) names.Add(properties.Name);
        var versions = new List<string>();
        await foreach (SecretProperties properties in Client.GetPropertiesOfSecretVersionsAsync("s-00")) versions.Add(properties.Version);

        Assert.Equal(Enumerable.Range(0, 27).Select(i => $"s-{i:00}"), names);
        Assert.Equal(3, versions.Distinct().Count());
        // 27 names at 25 a page: the second page came through the first one's nextLink.
        Assert.Equal(2, _vault.Emulator.Requests.Count(r => r.OperationId == "GetSecrets" && r.Status == 200));
        Assert.All(_vault.Emulator.Requests.Where(r => r.OperationId is "GetSecrets" or "GetSecretVersions"),
            r => Assert.DoesNotContain("\"value\":\"<", r.Answer!.ToJsonString()));
    }

    [Fact]
    public async Task An_update_changes_attributes_tags_and_content_type_and_a_disabled_secret_refuses_a_get()
    {
        KeyVaultSecret set = await Client.SetSecretAsync("to-update", "v");
        set.Properties.Enabled = false;
        set.Properties.Tags["Owner"] = "runbook";
        set.Properties.ContentType = "text/plain";

        SecretProperties updated = await Client.UpdateSecretPropertiesAsync(set.Properties);

        Assert.False(updated.Enabled);
        Assert.Equal("runbook", updated.Tags["Owner"]);
        Assert.Equal("text/plain", updated.ContentType);
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetSecretAsync("to-update"));
        Assert.Equal((403, "Forbidden"), (refused.Status, refused.ErrorCode));
        Assert.Contains("Operation get is not allowed on a disabled secret.", refused.Message);
        Assert.Contains("SecretDisabled", refused.Message);
        // Listing still shows it, disabled, and without its value.
        await foreach (SecretProperties properties in Client.GetPropertiesOfSecretsAsync())
            Assert.False(properties.Enabled);
    }

    [Fact]
    public async Task A_delete_is_soft_the_name_is_taken_until_recovered_and_recover_brings_every_version_back()
    {
        KeyVaultSecret first = await Client.SetSecretAsync("kept", "one");
        await Client.SetSecretAsync("kept", "two");

        DeleteSecretOperation deletion = await Client.StartDeleteSecretAsync("kept");
        DeletedSecret deleted = await deletion.WaitForCompletionAsync();

        Assert.Equal(new Uri(_vault.Emulator.VaultUri, "deletedsecrets/kept"), deleted.RecoveryId);
        Assert.NotNull(deleted.DeletedOn);
        Assert.Equal(deleted.DeletedOn!.Value.AddDays(90), deleted.ScheduledPurgeDate);
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => Client.GetSecretAsync("kept"));
        Assert.Equal((404, "SecretNotFound"), (gone.Status, gone.ErrorCode));
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => Client.SetSecretAsync("kept", "three"));
        Assert.Equal((409, "Conflict"), (conflict.Status, conflict.ErrorCode));
        Assert.Contains("Secret kept is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.", conflict.Message);
        Assert.Contains("ObjectIsDeletedButRecoverable", conflict.Message);

        RecoverDeletedSecretOperation recovery = await Client.StartRecoverDeletedSecretAsync("kept");
        await recovery.WaitForCompletionAsync();

        Assert.Equal("two", (await Client.GetSecretAsync("kept")).Value.Value);
        Assert.Equal("one", (await Client.GetSecretAsync("kept", first.Properties.Version)).Value.Value);
        Assert.Empty(_vault.Emulator.Vault.Deleted);
    }

    [Fact]
    public async Task Deleted_secrets_are_read_and_listed_and_a_purge_frees_the_name()
    {
        await Client.SetSecretAsync("purged", "v");
        await Client.SetSecretAsync("other", "v");
        await (await Client.StartDeleteSecretAsync("purged")).WaitForCompletionAsync();
        await (await Client.StartDeleteSecretAsync("other")).WaitForCompletionAsync();

        DeletedSecret read = await Client.GetDeletedSecretAsync("purged");
        var listed = new List<string>();
        await foreach (DeletedSecret item in Client.GetDeletedSecretsAsync()) listed.Add(item.Name);
        await Client.PurgeDeletedSecretAsync("purged");

        Assert.Equal("purged", read.Name);
        Assert.Null(read.Value);
        Assert.Equal(["other", "purged"], listed);
        var purgedAgain = await Assert.ThrowsAsync<RequestFailedException>(() => Client.PurgeDeletedSecretAsync("purged"));
        Assert.Equal((404, "SecretNotFound"), (purgedAgain.Status, purgedAgain.ErrorCode));
        Assert.Equal("new", (await Client.SetSecretAsync("purged", "new")).Value.Value);
        var notDeleted = await Assert.ThrowsAsync<RequestFailedException>(() => Client.StartRecoverDeletedSecretAsync("purged"));
        Assert.Equal(404, notDeleted.Status);
    }

    [Theory]
    [InlineData("WHATSAPP_ACCESS_TOKEN")]
    [InlineData("has.dot")]
    [InlineData("has space")]
    [InlineData("é")]
    public async Task A_name_off_key_vaults_rule_is_refused_and_nothing_is_stored(string name)
    {
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => Client.SetSecretAsync(name, "v"));

        Assert.Equal((400, "BadParameter"), (refused.Status, refused.ErrorCode));
        Assert.Contains("invalid name", refused.Message);
        Assert.Empty(_vault.Emulator.Vault.Live);
    }

    [Fact]
    public async Task Names_may_be_127_characters_long_and_no_longer()
    {
        await Client.SetSecretAsync(new string('a', 127), "v");
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => Client.SetSecretAsync(new string('a', 128), "v"));

        Assert.Equal((400, "BadParameter"), (refused.Status, refused.ErrorCode));
        Assert.Single(_vault.Emulator.Vault.Live);
    }

    [Fact]
    public async Task Values_may_be_25_KB_and_no_more()
    {
        await Client.SetSecretAsync("largest", new string('x', 25 * 1024));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => Client.SetSecretAsync("too-large", new string('x', 25 * 1024 + 1)));
        // Counted in UTF-8 bytes: 12,801 two-byte characters are 25,602 bytes.
        var wide = await Assert.ThrowsAsync<RequestFailedException>(() => Client.SetSecretAsync("too-wide", new string('é', 12801)));

        Assert.Equal((400, "BadParameter"), (refused.Status, refused.ErrorCode));
        Assert.Equal(400, wide.Status);
        Assert.Equal(["largest"], _vault.Emulator.Vault.Live.Select(s => s.Name));
    }

    [Fact]
    public async Task A_secret_takes_15_tags_of_512_and_256_characters_and_no_more()
    {
        var full = new KeyVaultSecret("tagged", "v");
        for (int i = 0; i < 15; i++) full.Properties.Tags[$"t{i}"] = new string('v', 256);
        var many = new KeyVaultSecret("too-many-tags", "v");
        for (int i = 0; i < 16; i++) many.Properties.Tags[$"t{i}"] = "v";
        var longName = new KeyVaultSecret("long-tag-name", "v");
        longName.Properties.Tags[new string('n', 513)] = "v";
        var longValue = new KeyVaultSecret("long-tag-value", "v");
        longValue.Properties.Tags["n"] = new string('v', 257);

        await Client.SetSecretAsync(full);
        var refusals = new List<RequestFailedException>();
        foreach (KeyVaultSecret refused in new[] { many, longName, longValue })
            refusals.Add(await Assert.ThrowsAsync<RequestFailedException>(() => Client.SetSecretAsync(refused)));
        KeyVaultSecret set = await Client.GetSecretAsync("tagged");
        set.Properties.Tags["t15"] = "one too many";
        var update = await Assert.ThrowsAsync<RequestFailedException>(() => Client.UpdateSecretPropertiesAsync(set.Properties));

        Assert.All(refusals.Append(update), r => Assert.Equal((400, "BadParameter"), (r.Status, r.ErrorCode)));
        Assert.Equal(["tagged"], _vault.Emulator.Vault.Live.Select(s => s.Name));
        Assert.Equal(15, (await Client.GetSecretAsync("tagged")).Value.Properties.Tags.Count);
    }
}
