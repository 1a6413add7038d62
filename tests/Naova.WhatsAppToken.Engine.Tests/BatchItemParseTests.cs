using System.Text;
using System.Text.Json;
using Naova.WhatsAppToken.Engine.Graph;

namespace Naova.WhatsAppToken.Engine.Tests;

/// <summary>
/// A debug_token batch item's body is read from its UTF-8 bytes, unescaped into one buffer per batch, not through a
/// string per item. These tests hold that reading to the one it replaced, <c>JsonSerializer.Deserialize</c> of
/// <c>body.GetString()</c>: the same data, or null for the same items (which are then asked again on their own).
/// </summary>
public class BatchItemParseTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = GraphJsonContext.CreateOptions();

    private const string Healthy =
        """{"data":{"app_id":"901234567890123","type":"SYSTEM_USER","application":"Naova Demo App","data_access_expires_at":0,"expires_at":0,"is_valid":true,"issued_at":1764633600,"scopes":["business_management","whatsapp_business_management","whatsapp_business_messaging"],"granular_scopes":[{"scope":"business_management"},{"scope":"whatsapp_business_management","target_ids":["123456789012345"]}],"user_id":"611234567890123"}}""";

    public static TheoryData<string> Bodies() => new()
    {
        Healthy,
        // Escapes of every kind inside the inner JSON, so the outer string holds them escaped twice.
        """{"data":{"application":"Caf\u00e9 \"Ol\u00e9\" \\ \/ \b\f\n\r\t \ud83d\ude00","type":"USER","is_valid":false}}""",
        "{\"data\":{\"application\":\"Café Olé 日本 😀\",\"is_valid\":true}}",
        """{"data":{"expires_at":"1767225600","issued_at":"0","is_valid":true}}""",
        """{"data":{"is_valid":false,"error":{"code":190,"subcode":463,"message":"Error validating access token: Session has expired"}}}""",
        """{"data":{"is_valid":"true"}}""",
        """{"data":{"scopes":"business_management"}}""",
        """{"data":null}""",
        """{"error":{"code":100,"message":"(#100) debug_token is not supported inside a batch request"}}""",
        """[1,2,3]""",
        "not json at all",
        "",
        """{"data":{"is_valid":true}""",
        """{"data":{"is_valid":true}} trailing""",
        """{"data":{"unknown":{"deep":[{"x":[1,{"y":"z"}]}]},"is_valid":true,"user_id":"1"}}""",
        """{"data":{"is_valid":true,"is_valid":false}}""",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Reads_a_body_as_the_string_path_did(string body)
    {
        Assert.Equal(ByStringPath(body), ByItemPath(body));
    }

    // Items as Graph's bytes could hold them, escapes that no serializer of ours would write included: a lone
    // surrogate, escaped or not, and an escaped NUL.
    [Theory]
    [InlineData("""{"code":200,"body":"{\"data\":{\"application\":\"\ud83d\",\"is_valid\":true}}"}""")]
    [InlineData("""{"code":200,"body":"{\"data\":{\"application\":\"\\ud83d\",\"is_valid\":true}}"}""")]
    [InlineData("""{"code":200,"body":"{\"data\":{\"application\":\"\u0000\",\"is_valid\":true}}"}""")]
    [InlineData("""{"code":200,"body":"{\u0022data\u0022:{\u0022is_valid\u0022:true}}"}""")]
    public void Reads_raw_items_as_the_string_path_did(string item)
    {
        Assert.Equal(ItemByStringPath(item), ItemByItemPath(item));
    }

    [Fact]
    public void One_buffer_serves_a_batch_of_bodies_longer_and_shorter_than_each_other()
    {
        byte[]? scratch = null;
        string longer = Healthy.Replace("Naova Demo App", new string('x', 5000));
        foreach (string body in new[] { Healthy, longer, Healthy, """{"data":{"is_valid":false}}""", longer })
        {
            using var doc = JsonDocument.Parse(Item(body));
            Assert.Equal(ByStringPath(body), Describe(GraphClient.ParseBatchItem(doc.RootElement, ref scratch)));
        }
        Assert.NotNull(scratch);
    }

    [Fact]
    public void Seeded_mutations_of_real_bodies_read_the_same_both_ways()
    {
        // Bytes of a real body replaced, dropped or doubled, then sent as the item's body string: whatever the string
        // path made of each (data or null), the item path makes the same.
        var random = new Random(20261202);
        string[] seeds = Bodies().Cast<object[]>().Select(row => (string)row[0]).Where(b => b.Length > 0).ToArray();
        const string Alphabet = "{}[]\":,\\/ 0123456789abcdefnrtu-+.eE\u00e9";
        int differing = 0, read = 0, nulls = 0;
        for (int i = 0; i < 3000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (int m = random.Next(1, 4); m > 0 && text.Length > 0; m--)
            {
                int at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    case 1: text.Remove(at, 1); break;
                    default: text.Insert(at, text[at]); break;
                }
            }
            string body = text.ToString();
            string? expected = ByStringPath(body);
            if (expected != ByItemPath(body)) { differing++; output.WriteLine($"differs: {Item(body)}"); }
            if (expected == null) nulls++; else read++;
        }
        output.WriteLine($"3000 mutated bodies: {read} read as data, {nulls} as null (asked again), {differing} differing");
        Assert.True(read > 100 && nulls > 100, $"the mutations must exercise both outcomes: {read} read, {nulls} null");
        Assert.Equal(0, differing);
    }

    // Every kind of JSON value in every place of an answer, read from the bytes as from the string: nulls, booleans,
    // integers in and out of range, fractions, numbers in strings (signs, spaces, escapes), strings, arrays and
    // objects of each shape; names escaped, in another case, repeated; a byte-order mark, a trailing comma, a comment.
    [Fact]
    public void Every_kind_of_value_in_every_place_reads_as_the_serializer_reads_it()
    {
        string[] values =
        {
            "null", "true", "false", "0", "-1", "1.5", "1e3", "-0", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "\"\"", "\"12\"", "\" 12\"", "\"12 \"", "\"+12\"", "\"-12\"",
            "\"0x1F\"", "\"1e3\"", "\"1.0\"", "\"\\u0031\\u0032\"", "\"2147483648\"", "\"9223372036854775808\"", "\"abc\"",
            "\"\\u00e9\\n\"", "[]", "[\"a\"]", "[\"a\",null]", "[1]", "[null]", "[[]]", "[{\"scope\":\"s\"}]",
            "[{\"scope\":null,\"target_ids\":[\"1\",null]}]", "[{\"target_ids\":null}]", "[{\"x\":1}]", "[{\"scope\":1}]",
            "[{\"target_ids\":\"1\"}]", "[null,{\"scope\":\"s\"}]", "{}", "{\"code\":190}", "{\"code\":\"190\",\"subcode\":\"463\"}",
            "{\"message\":5}", "{\"code\":1.5}", "{\"subcode\":null,\"message\":null}", "{\"code\":\"2147483648\"}",
        };
        string[] places =
        {
            """{"data":@}""",
            """{"data":{"app_id":@,"is_valid":true}}""", """{"data":{"application":@,"is_valid":true}}""",
            """{"data":{"type":@,"is_valid":true}}""", """{"data":{"user_id":@,"is_valid":true}}""",
            """{"data":{"expires_at":@,"is_valid":true}}""", """{"data":{"data_access_expires_at":@,"is_valid":true}}""",
            """{"data":{"issued_at":@,"is_valid":true}}""", """{"data":{"is_valid":@}}""",
            """{"data":{"scopes":@,"is_valid":true}}""", """{"data":{"granular_scopes":@,"is_valid":true}}""",
            """{"data":{"granular_scopes":[{"scope":@}],"is_valid":true}}""", """{"data":{"granular_scopes":[{"target_ids":@}],"is_valid":true}}""",
            """{"data":{"error":@,"is_valid":false}}""", """{"data":{"error":{"code":@},"is_valid":false}}""",
            """{"data":{"error":{"subcode":@},"is_valid":false}}""", """{"data":{"error":{"message":@},"is_valid":false}}""",
            """{"data":{"unknown":@,"is_valid":true}}""", """{"other":@,"data":{"is_valid":true}}""",
            """{"data":{"App_Id":@,"is_valid":true}}""", """{"data":{"app\u005fid":@,"is_valid":true}}""",
            """{"data":{"expires_at":1,"expires_at":@,"is_valid":true}}""", """{"data":{"is_valid":true},"data":@}""",
            """ {"data":{"is_valid":true,"issued_at":@}} """, """\ufeff{"data":{"is_valid":true,"issued_at":@}}""",
            """{"data":{"is_valid":true,"issued_at":@,}}""", """{"data":{"is_valid":true,"issued_at":@}} /* c */""",
        };
        int read = 0, nulls = 0;
        var differing = new List<string>();
        foreach (string place in places)
            foreach (string value in values)
            {
                string body = place.Replace("@", value);
                string? expected = ByStringPath(body);
                if (expected != ByItemPath(body)) differing.Add(body);
                if (expected == null) nulls++; else read++;
            }
        output.WriteLine($"{places.Length * values.Length} bodies: {read} read as data, {nulls} as null, {differing.Count} differing");
        Assert.True(read > 200 && nulls > 200, $"both outcomes must be exercised: {read} read, {nulls} null");
        Assert.Empty(differing);
    }

    private static string Item(string body) => JsonSerializer.Serialize(new { code = 200, body });

    private static string? ByItemPath(string body) => ItemByItemPath(Item(body));

    private static string? ByStringPath(string body) => ItemByStringPath(Item(body));

    private static string? ItemByItemPath(string item)
    {
        using var doc = JsonDocument.Parse(item);
        byte[]? scratch = null;
        return Describe(GraphClient.ParseBatchItem(doc.RootElement, ref scratch));
    }

    // What the client read before, from the same item as Graph sent it: the body as a string, deserialized from it.
    private static string? ItemByStringPath(string item)
    {
        using var doc = JsonDocument.Parse(item);
        try { return Describe(JsonSerializer.Deserialize<DebugTokenAnswer>(doc.RootElement.GetProperty("body").GetString()!, Json)?.Data); }
        catch (Exception ex) when (ex is JsonException || ex is ArgumentException || ex is NotSupportedException || ex is InvalidOperationException || ex is FormatException)
        {
            return null;
        }
    }

    private static string? Describe(DebugTokenData? data) => data == null ? null : JsonSerializer.Serialize(data, Json);
}
