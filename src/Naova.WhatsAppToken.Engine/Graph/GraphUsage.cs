using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>What Meta's usage headers say: how close the app is to its limits, and how long to wait once throttled.</summary>
    public sealed class GraphUsage
    {
        public int MaxPercent { get; private set; }

        public TimeSpan? RegainAccessAfter { get; private set; }

        public TimeSpan? RetryAfter { get; private set; }

        /// <summary>The longest wait any header asked for.</summary>
        public TimeSpan? Wait =>
            RegainAccessAfter.HasValue && RetryAfter.HasValue
                ? (RegainAccessAfter > RetryAfter ? RegainAccessAfter : RetryAfter)
                : RegainAccessAfter ?? RetryAfter;

        public static GraphUsage Read(HttpResponseMessage response)
        {
            var usage = new GraphUsage();
            if (response.Headers.RetryAfter != null)
            {
                usage.RetryAfter = response.Headers.RetryAfter.Delta
                    ?? (response.Headers.RetryAfter.Date.HasValue ? response.Headers.RetryAfter.Date.Value - DateTimeOffset.UtcNow : (TimeSpan?)null);
                if (usage.RetryAfter < TimeSpan.Zero) usage.RetryAfter = TimeSpan.Zero;
            }
            foreach (var value in HeaderValues(response, "X-App-Usage"))
                usage.ReadPercents(value, businessUseCase: false);
            foreach (var value in HeaderValues(response, "X-Business-Use-Case-Usage"))
                usage.ReadPercents(value, businessUseCase: true);
            return usage;
        }

        private static string[] HeaderValues(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.ToArray() : Array.Empty<string>();

        // Malformed usage headers are ignored: they advise, they never fail a call.
        private void ReadPercents(string json, bool businessUseCase)
        {
            try
            {
                using (var doc = JsonDocument.Parse(json))
                {
                    if (!businessUseCase)
                    {
                        Take(doc.RootElement);
                        return;
                    }
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
                    foreach (var business in doc.RootElement.EnumerateObject())
                    {
                        if (business.Value.ValueKind != JsonValueKind.Array) continue;
                        foreach (var entry in business.Value.EnumerateArray()) Take(entry);
                    }
                }
            }
            catch (JsonException)
            {
            }
        }

        private void Take(JsonElement entry)
        {
            if (entry.ValueKind != JsonValueKind.Object) return;
            foreach (var name in new[] { "call_count", "total_cputime", "total_time" })
            {
                if (entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int percent))
                    MaxPercent = Math.Max(MaxPercent, percent);
            }
            if (entry.TryGetProperty("estimated_time_to_regain_access", out var minutes) &&
                minutes.ValueKind == JsonValueKind.Number && minutes.TryGetDouble(out double m) && m > 0 && m < 24 * 60)
            {
                var wait = TimeSpan.FromMinutes(m);
                if (!RegainAccessAfter.HasValue || wait > RegainAccessAfter) RegainAccessAfter = wait;
            }
        }
    }
}
