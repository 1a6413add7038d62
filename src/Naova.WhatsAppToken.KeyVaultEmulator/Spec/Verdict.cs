using Naova.WhatsAppToken.KeyVaultEmulator.Http;

namespace Naova.WhatsAppToken.KeyVaultEmulator.Spec;

/// <summary>
/// A recorded request and its answer, judged against the spec: what the request had off it, what the answer had off it.
/// The tests hold both sides to Azure with it: a request served (2xx) must be on the spec, and every answer must be.
/// </summary>
public sealed record Verdict(RecordedRequest Request, string? OperationId, string? Template, IReadOnlyList<string> RequestProblems, IReadOnlyList<string> AnswerProblems)
{
    public static Verdict Of(RecordedRequest request)
    {
        SecretsSpec spec = SecretsSpec.Instance;
        IReadOnlyList<string> sent = spec.CheckRequest(request.Method, request.Path, request.Query, request.Body, out SpecOperation? operation);
        // The challenge round is sent without its body on purpose (Azure's clients do): the body rule holds for the real send.
        if (!request.Authorized) sent = sent.Where(p => !p.Contains("JSON object body", StringComparison.Ordinal)).ToList();
        IReadOnlyList<string> answered = operation is null ? [] : spec.CheckResponse(operation, request.Status, request.Answer);
        return new Verdict(request, operation?.OperationId, operation?.Template, sent, answered);
    }

    /// <summary>Served though off the spec: the emulator was lenient.</summary>
    public bool ServedOffSpec => Request.Status < 300 && RequestProblems.Count > 0;

    /// <summary>One line of the table: operation, method, template, status, and what was off the spec.</summary>
    public override string ToString() =>
        $"{OperationId ?? "?",-22} {Request.Method,-6} {Template ?? Request.Path,-42} {Request.Status}  " +
        $"{(RequestProblems.Count == 0 ? "request ok" : string.Join("; ", RequestProblems))}; {(AnswerProblems.Count == 0 ? "answer ok" : string.Join("; ", AnswerProblems))}";
}
