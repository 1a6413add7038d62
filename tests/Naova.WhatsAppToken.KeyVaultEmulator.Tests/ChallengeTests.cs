using System.Net;
using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Tests;

/// <summary>Key Vault's bearer challenge, as Azure's client meets it: a request without a token, the 401, the token.</summary>
public sealed class ChallengeTests : IAsyncLifetime
{
    private TestVault _vault = null!;

    public async Task InitializeAsync() => _vault = await TestVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task The_client_learns_the_resource_and_tenant_from_the_401_and_then_sends_its_token()
    {
        await _vault.Client.SetSecretAsync("first", "v");

        IReadOnlyList<Http.RecordedRequest> requests = _vault.Emulator.Requests;
        // The first request goes without a token (and without its body) to be challenged, then again with both.
        Assert.Equal(2, requests.Count);
        Assert.Equal((false, 401, "SetSecret"), (requests[0].Authorized, requests[0].Status, requests[0].OperationId));
        Assert.Null(requests[0].Body);
        Assert.Equal((true, 200), (requests[1].Authorized, requests[1].Status));
        var asked = Assert.Single(_vault.Credential.Asked);
        Assert.Equal(["https://vault.azure.net/.default"], asked.Scopes);
        Assert.Equal(_vault.Emulator.Options.TenantId, asked.TenantId);
    }

    [Fact]
    public async Task The_challenge_is_key_vaults_header_and_error()
    {
        using HttpClient raw = _vault.RawClient(withToken: false);

        using HttpResponseMessage answer = await raw.GetAsync("secrets?api-version=2025-07-01");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal($"Bearer authorization=\"https://login.windows.net/{_vault.Emulator.Options.TenantId}\", resource=\"https://vault.azure.net\"",
            answer.Headers.WwwAuthenticate.ToString());
        Assert.Equal("{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a Bearer or PoP token.\"}}",
            await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_the_vault_does_not_accept_is_refused_with_the_challenge_and_nothing_is_stored()
    {
        SecretClient wrong = _vault.NewClient(new RecordingCredential("some-other-token"));

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => wrong.SetSecretAsync("never", "v"));

        Assert.Equal((401, "Unauthorized"), (refused.Status, refused.ErrorCode));
        Assert.Empty(_vault.Emulator.Vault.Live);
        Assert.All(_vault.Emulator.Requests, r => Assert.False(r.Authorized));
    }

    [Fact]
    public async Task Plain_http_is_not_served()
    {
        using var client = new HttpClient();
        var http = new UriBuilder(_vault.Emulator.VaultUri) { Scheme = "http" }.Uri;

        // Kestrel's TLS listener drops a plain-text request: no answer, and nothing reaches the vault.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(http, "secrets?api-version=2025-07-01")));
        Assert.Empty(_vault.Emulator.Requests);
    }
}
