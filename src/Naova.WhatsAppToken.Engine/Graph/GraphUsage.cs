using System;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;

namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>What Meta's usage headers say: how close the app is to its limits, and how long to wait once throttled.</summary>
    public sealed class GraphUsage
    {
        // Meta's waits are minutes to an hour; a header that asks for more than a day is not believed.
        private static readonly TimeSpan LongestBelievableWait = TimeSpan.FromDays(1);

        public int MaxPercent { get; private set; }

        /// <summary>X-Business-Use-Case-Usage's estimated_time_to_regain_access (minutes in the header), the longest one.</summary>
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
            var retryAfter = response.Headers.RetryAfter;
            if (retryAfter != null)
            {
                var wait = retryAfter.Delta
                    ?? (retryAfter.Date.HasValue ? retryAfter.Date.Value - (response.Headers.Date ?? DateTimeOffset.UtcNow) : (TimeSpan?)null);
                if (wait.HasValue) usage.RetryAfter = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestBelievableWait ? LongestBelievableWait : wait;
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
                using (var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }))
                {
                    if (!businessUseCase)
                    {
                        Take(doc.RootElement);
                        return;
                    }
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
                    foreach (var business in doc.RootElement.EnumerateObject())
                    {
                        if (business.Value.ValueKind == JsonValueKind.Array)
                            foreach (var entry in business.Value.EnumerateArray()) Take(entry);
                        else
                            Take(business.Value);
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is ArgumentException)
            {
            }
        }

        private void Take(JsonElement entry)
        {
            if (entry.ValueKind != JsonValueKind.Object) return;
            foreach (var name in new[] { "call_count", "total_cputime", "total_time" })
            {
                if (Number(entry, name) is double percent && percent > 0)
                    MaxPercent = Math.Max(MaxPercent, (int)Math.Min(percent, 1000));
            }
            if (Number(entry, "estimated_time_to_regain_access") is double minutes && minutes > 0)
            {
                var wait = minutes >= LongestBelievableWait.TotalMinutes ? LongestBelievableWait : TimeSpan.FromMinutes(minutes);
                if (!RegainAccessAfter.HasValue || wait > RegainAccessAfter) RegainAccessAfter = wait;
            }
        }

        // Meta sends numbers; some proxies re-encode them as strings.
        private static double? Number(JsonElement entry, string name)
        {
            if (!entry.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d)) return IsUsable(d) ? d : (double?)null;
            if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return IsUsable(d) ? d : (double?)null;
            return null;
        }

        private static bool IsUsable(double d) => !double.IsNaN(d) && !double.IsInfinity(d);
    }
}
