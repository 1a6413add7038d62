using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>Cursor paging: limit, after/before, paging.cursors, next/previous links, summary=total_count.</summary>
internal static class Paging
{
    public static JsonObject Page<T>(Call c, IReadOnlyList<T> items, Func<T, string> idOf, Func<T, JsonObject> project,
        int defaultLimit = 25, int maxLimit = 100, bool strictLimit = false)
    {
        int limit = Limit(c.P, defaultLimit, maxLimit, strictLimit);
        int start = 0, end;
        if (c.P.GetNonEmpty("after") is { } after)
        {
            start = IndexOf(items, idOf, after) + 1;
            end = Math.Min(items.Count, start + limit);
        }
        else if (c.P.GetNonEmpty("before") is { } before)
        {
            end = IndexOf(items, idOf, before);
            start = Math.Max(0, end - limit);
        }
        else end = Math.Min(items.Count, limit);

        var data = new JsonArray();
        for (int i = start; i < end; i++) data.Add(project(items[i]));
        var result = new JsonObject { ["data"] = data };
        if (end > start)
        {
            var paging = new JsonObject();
            if (!c.Options.OmitPagingCursors)
                paging["cursors"] = new JsonObject { ["before"] = Cursor(idOf(items[start])), ["after"] = Cursor(idOf(items[end - 1])) };
            if (start > 0) paging["previous"] = Link(c, "before", Cursor(idOf(items[start])), limit);
            if (end < items.Count) paging["next"] = Link(c, "after", Cursor(idOf(items[end - 1])), limit);
            result["paging"] = paging;
        }
        if (c.P.Get("summary") is { } summary && (summary.Contains("total_count") || summary == "true"))
            result["summary"] = new JsonObject { ["total_count"] = items.Count };
        return result;
    }

    private static int Limit(GraphParameters p, int defaultLimit, int maxLimit, bool strict)
    {
        string? text = p.GetNonEmpty("limit");
        if (text is null) return defaultLimit;
        if (!int.TryParse(text, out int limit) || limit < 1 || (strict && limit > maxLimit))
            throw GraphErrors.Param($"(#100) Param limit must be an integer between 1 and {maxLimit}");
        return Math.Min(limit, maxLimit);
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, string> idOf, string cursor)
    {
        string id;
        try { id = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)); }
        catch (FormatException) { throw GraphErrors.Param("(#100) The cursor is not valid"); }
        for (int i = 0; i < items.Count; i++)
            if (idOf(items[i]) == id) return i;
        throw GraphErrors.Param("(#100) The cursor is not valid");
    }

    private static string Cursor(string id) => Convert.ToBase64String(Encoding.UTF8.GetBytes(id));

    private static string? Link(Call c, string direction, string cursor, int limit)
    {
        if (c.BaseUri is null) return null;
        var query = new StringBuilder();
        foreach (var (key, value) in c.P.All)
        {
            if (key is "after" or "before" or "limit") continue;
            Append(query, key, value);
        }
        Append(query, "limit", limit.ToString(CultureInfo.InvariantCulture));
        Append(query, direction, cursor);
        string prefix = c.Version is null ? "" : c.Version + "/";
        return new Uri(c.BaseUri, prefix + c.RelativePath).AbsoluteUri + "?" + query;
    }

    private static void Append(StringBuilder query, string key, string value)
    {
        if (query.Length > 0) query.Append('&');
        query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
    }
}
