using System.Globalization;
using Naova.WhatsAppToken.Emulator.Spec;

namespace Naova.WhatsAppToken.Emulator.Tests;

/// <summary>The conformance check itself: it must fail a log that breaks the specs, and pass one that does not.</summary>
public sealed class ConformanceCheckTests
{
    private const string Business = "104857362910475";
    private const string SystemUser = "61550000000001";
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-01T12:00:00Z", CultureInfo.InvariantCulture);

    private static string? TypeOf(string id) => id switch { Business => "Business", SystemUser => "SystemUser", _ => null };

    private static RecordedRequest Get(string path, params string[] fields) =>
        new("GET", path, new[] { "fields", "appsecret_proof" }, Array.Empty<string>(), TokenLocation.Header, At, 200)
        {
            ServedAs = "GET", Fields = fields,
        };

    [Fact]
    public void A_request_asking_a_field_the_node_lacks_fails_the_check()
    {
        var report = SpecConformance.Check(new[] { Get($"/v26.0/{SystemUser}", "id", "name", "role", "created_time") }, TypeOf);

        Assert.False(report.Conforms);
        var row = Assert.Single(report.Rows);
        Assert.Equal(("/{SystemUser}", "GET"), (row.Endpoint, row.Method));
        Assert.Contains("field role is not a field of node type SystemUser", row.Verdict, StringComparison.Ordinal);
        Assert.Contains("VIOLATES", report.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_field_asked_of_the_edge_that_adds_it_passes()
    {
        var report = SpecConformance.Check(new[]
        {
            Get($"/v26.0/{SystemUser}", "id", "name", "created_time"),
            Get($"/v26.0/{Business}/system_users", "id", "name", "role"),
        }, TypeOf);

        Assert.True(report.Conforms, report.ToTable());
        Assert.Equal(2, report.Requests);
    }

    [Fact]
    public void A_param_the_edge_does_not_take_a_missing_required_one_a_GET_body_and_an_unknown_method_each_fail()
    {
        var tokens = new RecordedRequest("POST", $"/v26.0/{Business}/system_user_access_tokens", Array.Empty<string>(),
            new[] { "system_user_id", "business_app", "scope", "fetch_only", "appsecret_proof" }, TokenLocation.Header, At, 200) { ServedAs = "POST" };
        var noName = new RecordedRequest("POST", $"/v26.0/{Business}/system_users", Array.Empty<string>(),
            new[] { "role" }, TokenLocation.Header, At, 400) { ServedAs = "POST" };
        var getBody = new RecordedRequest("GET", "/v26.0/debug_token", Array.Empty<string>(),
            new[] { "input_token" }, TokenLocation.Header, At, 400) { ServedAs = "GET" };
        var delete = new RecordedRequest("DELETE", $"/v26.0/{SystemUser}/assigned_pages", Array.Empty<string>(),
            Array.Empty<string>(), TokenLocation.Header, At, 400) { ServedAs = "DELETE" };

        var rows = SpecConformance.Check(new[] { tokens, noName, getBody, delete }, TypeOf).Rows;

        Assert.Contains(rows, r => r.Verdict.Contains("param business_app is not a param of POST /{Business}/system_user_access_tokens", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Verdict.Contains("required param name is missing", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Verdict.Contains("GET with a body (input_token)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Verdict.Contains("DELETE is not an operation of /{SystemUser}/assigned_pages", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.False(r.Conforms));
    }

    [Fact]
    public void Items_of_a_batch_are_held_to_the_specs_too()
    {
        var batch = new RecordedRequest("POST", "/v26.0/", Array.Empty<string>(), new[] { "batch", "include_headers", "appsecret_proof" },
            TokenLocation.Header, At, 200)
        {
            ServedAs = "POST",
            BatchItems = new[]
            {
                new RecordedBatchItem("GET", "/debug_token", new[] { "input_token" }, Array.Empty<string>()),
                new RecordedBatchItem("GET", $"/{SystemUser}", new[] { "fields" }, new[] { "role" }),
            },
        };

        var report = SpecConformance.Check(new[] { batch }, TypeOf);

        Assert.Contains(report.Rows, r => r.Endpoint == "/debug_token (in a batch)" && r.Conforms);
        Assert.Contains(report.Rows, r => r.Endpoint == "/{SystemUser} (in a batch)" && !r.Conforms);
    }
}
