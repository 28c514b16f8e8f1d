using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// Malformed variants of a valid request body: wrong types, missing and extra fields, huge and negative
/// numbers, non-ISO dates, very long and odd Unicode strings, SQL and JSON metacharacters, truncated JSON,
/// junk, wrong content types. Some variants stay valid (an extra field is ignored): the caller counts what
/// the 2xx answers wrote.
/// </summary>
public static class HostileRequests
{
    private const string LoneSurrogate = "__LONE_SURROGATE__";

    private static readonly JsonNode?[] WrongValues =
        [JsonValue.Create(42), JsonValue.Create("text"), JsonValue.Create(true), null, new JsonObject { ["nested"] = 1 }, new JsonArray(1, 2), JsonValue.Create(-1.5)];

    private static readonly string[] Numbers =
        ["1e308", "-1e308", "79228162514264337593543950336", "-0.000000001", "-5", "0", "1e-30", "12345678901234567890.123456", "1e999", "-0", "NaN", "0x10"];

    private static readonly string[] Dates =
        ["31/12/2024", "2024-13-01", "2024-02-30", "yesterday", "2024-1-1", "20240101", "2024-01-01T25:00:00Z", "", "0000-00-00", "9999-12-31", "0001-01-01", "-2024-01-01", "2024-W01"];

    private static readonly string[] Strings =
    [
        new('x', 100_000), "\u202Eevil\u202C", "a\u0000b", LoneSurrogate, "👩‍👩‍👧‍👦🇻🇳", string.Concat(Enumerable.Repeat("e\u0301", 2_000)),
        "'; drop table ngos; --", "\" or 1=1 --", "{\"$ne\":null}", "%", "_", "\\", "${jndi:ldap://x/a}", "</script><script>alert(1)</script>",
        "Robert'); DELETE FROM disbursement.disbursements;--", "\t\r\n", " ", "ＵＳＤ", "null", "[]", "{}",
    ];

    /// <summary>A body and its content type: a random malformed variant of <paramref name="valid"/>.</summary>
    public static (string Body, string ContentType) Json(JsonNode valid, Random random)
    {
        var node = valid.DeepClone();
        var kind = random.Next(12);
        switch (kind)
        {
            case 0:
                Replace(node, random, _ => WrongValues[random.Next(WrongValues.Length)]?.DeepClone());
                break;
            case 1:
                Remove(node, random);
                break;
            case 2:
                if (node is JsonObject extra)
                {
                    extra[$"unexpected{random.Next(1000)}"] = Strings[random.Next(Strings.Length)];
                    extra["id"] = Guid.NewGuid().ToString();
                    extra["status"] = "reversed";
                    extra["amountUsd"] = 1;
                }
                else
                {
                    Replace(node, random, _ => JsonValue.Create("extra"));
                }

                break;
            case 3:
                return (Raw(node, random, Numbers[random.Next(Numbers.Length)]), "application/json");
            case 4:
                Replace(node, random, _ => JsonValue.Create(Dates[random.Next(Dates.Length)]));
                break;
            case 5:
            case 6:
                Replace(node, random, _ => JsonValue.Create(Strings[random.Next(Strings.Length)]));
                break;
            case 7:
                var text = Serialize(node);
                return (text[..random.Next(Math.Max(1, text.Length - 1))], "application/json");
            case 8:
                return (Junk(random), "application/json");
            case 9:
                return (Serialize(node), random.Next(2) == 0 ? "text/plain" : "application/xml");
            default:
                // Several at once.
                Replace(node, random, _ => JsonValue.Create(Strings[random.Next(Strings.Length)]));
                Remove(node, random);
                Replace(node, random, _ => WrongValues[random.Next(WrongValues.Length)]?.DeepClone());
                break;
        }

        return (Serialize(node), "application/json");
    }

    /// <summary>Malformed CSV for the import endpoint: junk, wrong headers, unbalanced quotes, huge fields, bad values.</summary>
    public static string Csv(string validRow, Random random)
    {
        const string header = "projectId,type,amount,currency,valueDate,provinceCode,reference,description";
        var fields = validRow.Split(',');
        fields[random.Next(fields.Length)] = random.Next(5) switch
        {
            0 => Numbers[random.Next(Numbers.Length)],
            1 => Dates[random.Next(Dates.Length)],
            2 => "\"unbalanced",
            3 => new string('9', 5_000),
            _ => Strings[random.Next(Strings.Length)].Replace(LoneSurrogate, "\uFFFD", StringComparison.Ordinal),
        };
        return random.Next(6) switch
        {
            0 => Junk(random),
            1 => "id,amount\n1,2\n",
            2 => header + "\n",
            3 => header + "\n" + string.Join(',', fields.Take(random.Next(fields.Length))) + "\n",
            _ => header + "\n" + string.Join(',', fields) + "\n",
        };
    }

    /// <summary>A body of about 20 MB: above every limit the services set.</summary>
    public static string Huge() => "{\"name\":\"" + new string('x', 20 * 1024 * 1024) + "\"}";

    private static string Junk(Random random) => random.Next(7) switch
    {
        0 => "",
        1 => "null",
        2 => "{",
        3 => new string('[', 5_000) + new string(']', 5_000),
        4 => "1e999",
        5 => Encoding.Latin1.GetString(Enumerable.Range(0, 200).Select(_ => (byte)random.Next(256)).ToArray()),
        _ => "{\"a\":1,\"a\":2,}",
    };

    private static string Serialize(JsonNode? node) =>
        (node?.ToJsonString() ?? "null").Replace($"\"{LoneSurrogate}\"", "\"\\ud800\"", StringComparison.Ordinal);

    /// <summary>A numeric literal JsonNode cannot hold, written in place of a leaf.</summary>
    private static string Raw(JsonNode node, Random random, string literal)
    {
        const string marker = "__RAW_NUMBER__";
        Replace(node, random, _ => JsonValue.Create(marker));
        return Serialize(node).Replace($"\"{marker}\"", literal, StringComparison.Ordinal);
    }

    private static void Replace(JsonNode node, Random random, Func<JsonNode?, JsonNode?> with)
    {
        var (parent, key, index) = PickLeaf(node, random);
        if (parent is JsonObject o && key is not null)
        {
            o[key] = with(o[key]);
        }
        else if (parent is JsonArray a && index is { } i)
        {
            a[i] = with(a[i]);
        }
    }

    private static void Remove(JsonNode node, Random random)
    {
        var (parent, key, index) = PickLeaf(node, random);
        if (parent is JsonObject o && key is not null)
        {
            o.Remove(key);
        }
        else if (parent is JsonArray a && index is { } i)
        {
            a.RemoveAt(i);
        }
    }

    /// <summary>A random property or element, at any depth.</summary>
    private static (JsonNode? Parent, string? Key, int? Index) PickLeaf(JsonNode node, Random random)
    {
        var all = new List<(JsonNode, string?, int?)>();
        void Walk(JsonNode? current)
        {
            switch (current)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        all.Add((o, key, null));
                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        all.Add((a, null, i));
                        Walk(a[i]);
                    }

                    break;
            }
        }

        Walk(node);
        return all.Count == 0 ? (null, null, null) : all[random.Next(all.Count)];
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
