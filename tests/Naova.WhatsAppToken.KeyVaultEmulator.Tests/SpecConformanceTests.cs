using System.Text.Json.Nodes;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Naova.WhatsAppToken.KeyVaultEmulator.Http;
using Naova.WhatsAppToken.KeyVaultEmulator.Spec;
using Xunit.Abstractions;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Tests;

/// <summary>
/// Every request Azure's client made in a tour of all operations (refusals included) and every answer, held to
/// Azure's spec in a table: each request's path template, method, api-version, query and body, and each answer's
/// status and fields. The emulator is held to Azure by both sides: what the client sends must be what the spec says,
/// and what the emulator answers must be too.
/// </summary>
public sealed class SpecConformanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestVault _vault = null!;

    public async Task InitializeAsync() => _vault = await TestVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private static readonly SecretsSpec Spec = SecretsSpec.Instance;

    /// <summary>Every operation of the spec, once at least, and the refusals the tests above rely on.</summary>
    private async Task TourAsync()
    {
        SecretClient client = _vault.Client;
        var secret = new KeyVaultSecret("tour", "v1");
        secret.Properties.ContentType = "SecureString";
        secret.Properties.Tags["Fingerprint"] = "f1";
        secret.Properties.ExpiresOn = DateTimeOffset.UtcNow.AddDays(60);
        KeyVaultSecret first = await client.SetSecretAsync(secret);
        await client.SetSecretAsync("tour", "v2");
        await client.GetSecretAsync("tour");
        await client.GetSecretAsync("tour", first.Properties.Version);
        await foreach (SecretProperties _ in client.GetPropertiesOfSecretsAsync()) { }
        await foreach (SecretProperties _ in client.GetPropertiesOfSecretVersionsAsync("tour")) { }
        first.Properties.Enabled = false;
        await client.UpdateSecretPropertiesAsync(first.Properties);
        await Refused(client.GetSecretAsync("tour", first.Properties.Version));
        await (await client.StartDeleteSecretAsync("tour")).WaitForCompletionAsync();
        await Refused(client.SetSecretAsync("tour", "v3"));
        await client.GetDeletedSecretAsync("tour");
        await foreach (DeletedSecret _ in client.GetDeletedSecretsAsync()) { }
        await (await client.StartRecoverDeletedSecretAsync("tour")).WaitForCompletionAsync();
        await (await client.StartDeleteSecretAsync("tour")).WaitForCompletionAsync();
        await client.PurgeDeletedSecretAsync("tour");
        await Refused(client.SetSecretAsync("bad_name", "v"));
        await Refused(client.SetSecretAsync("too-large", new string('x', 25 * 1024 + 1)));
    }

    private static async Task Refused<T>(Task<T> call) => await Assert.ThrowsAsync<RequestFailedException>(() => call);

    [Fact]
    public async Task Every_request_and_answer_of_azures_client_is_one_the_spec_describes()
    {
        await TourAsync();
        IReadOnlyList<RecordedRequest> requests = _vault.Emulator.Requests;

        var problems = new List<string>();
        foreach (Verdict verdict in requests.Select(Verdict.Of))
        {
            output.WriteLine(verdict.ToString());
            // A request off the spec must have been refused; Azure's client sends nothing off it but the bad name the test gave it.
            bool badName = verdict.RequestProblems.Count > 0 && verdict.RequestProblems.All(p => p.Contains("pattern", StringComparison.Ordinal));
            if (verdict.ServedOffSpec) problems.Add($"served off the spec: {verdict}");
            if (verdict.RequestProblems.Count > 0 && !badName) problems.Add($"the client sent off the spec: {verdict}");
            problems.AddRange(verdict.AnswerProblems.Select(p => $"{verdict.Request}: {p}"));
        }

        Assert.Empty(problems);
        // Every operation of the spec was served at least once, and each refusal the tour makes was answered as Key Vault's.
        Assert.Equal(Spec.Operations.Select(o => o.OperationId).Order(),
            requests.Where(r => r.Status is 200 or 204).Select(r => r.OperationId!).Distinct().Order());
        Assert.Equal(10, Spec.Operations.Count);
        Assert.Contains(requests, r => r is { OperationId: "GetSecret", Status: 403 });
        Assert.Contains(requests, r => r is { OperationId: "SetSecret", Status: 409 });
        Assert.Equal(2, requests.Count(r => r is { OperationId: "SetSecret", Status: 400 }));
        Assert.All(requests.Where(r => r.Authorized), r => Assert.Equal(Spec.ApiVersion, r.Query["api-version"]));
    }

    [Fact]
    public void The_check_finds_what_is_off_the_spec()
    {
        var query = new Dictionary<string, string> { ["api-version"] = "2025-07-01" };
        JsonNode Body(string json) => JsonNode.Parse(json)!;

        Assert.Empty(Spec.CheckRequest("PUT", "/secrets/a-b", query, Body("""{"value":"v","tags":{"k":"v"},"attributes":{"enabled":true,"exp":1}}"""), out var set));
        Assert.Equal("SetSecret", set!.OperationId);
        Assert.Contains("body.value is required", Spec.CheckRequest("PUT", "/secrets/a", query, Body("{}"), out _));
        Assert.Contains("body.attributes.created is read-only", Spec.CheckRequest("PUT", "/secrets/a", query, Body("""{"value":"v","attributes":{"created":1}}"""), out _));
        Assert.Contains("body.metadata is not in the spec's schema", Spec.CheckRequest("PUT", "/secrets/a", query, Body("""{"value":"v","metadata":{}}"""), out _));
        Assert.Contains("body.tags.k is not the spec's string", Spec.CheckRequest("PUT", "/secrets/a", query, Body("""{"value":"v","tags":{"k":1}}"""), out _));
        Assert.Contains("the secret-name 'a_b' is off the spec's pattern ^[0-9a-zA-Z-]+$", Spec.CheckRequest("PUT", "/secrets/a_b", query, Body("""{"value":"v"}"""), out _));
        Assert.Contains("api-version 7.4 is not the spec's 2025-07-01", Spec.CheckRequest("GET", "/secrets", new Dictionary<string, string> { ["api-version"] = "7.4" }, null, out _));
        Assert.Contains("the required query parameter api-version is missing", Spec.CheckRequest("GET", "/secrets", new Dictionary<string, string>(), null, out _));
        Assert.Contains("POST is not an operation of /secrets/{secret-name}", Spec.CheckRequest("POST", "/secrets/a", query, null, out _));
        Assert.Contains("no path of the spec matches /keys", Spec.CheckRequest("GET", "/keys", query, null, out _));
        // What Key Vault refuses of a body, and what it ignores (which CheckRequest flags all the same).
        Assert.Equal(["body.value is required"], Spec.BodyRefusals(set, Body("""{"metadata":{},"attributes":{"created":1}}""")));
        Assert.Equal(["body.tags.k is not the spec's string"], Spec.BodyRefusals(set, Body("""{"value":"v","tags":{"k":1}}""")));
        Assert.Equal("GetSecretVersions", Spec.Match("GET", "/secrets/a/versions")!.Value.Operation!.OperationId);
        Assert.Equal(("GetSecret", ""), (Spec.Match("GET", "/secrets/a/")!.Value.Operation!.OperationId, Spec.Match("GET", "/secrets/a/")!.Value.Parameters["secret-version"]));
        Assert.Equal("GetSecret", Spec.Match("GET", "/secrets/a")!.Value.Operation!.OperationId);
        Assert.Equal("SetSecret", Spec.Match("PUT", "/secrets/a")!.Value.Operation!.OperationId);

        SpecOperation get = Spec.Operations.Single(o => o.OperationId == "GetSecret");
        Assert.Empty(Spec.CheckResponse(get, 200, Body("""{"value":"v","id":"x","attributes":{"enabled":true,"recoveryLevel":"Recoverable+Purgeable"}}""")));
        Assert.Contains("answer.attributes.recoveryLevel is not the spec's string", Spec.CheckResponse(get, 200, Body("""{"attributes":{"recoveryLevel":"Forever"}}""")));
        Assert.Contains("answer.name is not in the spec's schema", Spec.CheckResponse(get, 200, Body("""{"name":"x"}""")));
        Assert.Contains("the error answer (404) has no error.code and error.message", Spec.CheckResponse(get, 404, Body("""{"error":{}}""")));
    }
}
