using Microsoft.AspNetCore.Http;
using Naova.WhatsAppToken.Emulator.Core;
using Naova.WhatsAppToken.Emulator.Faults;

namespace Naova.WhatsAppToken.Emulator.Http;

/// <summary>
/// The thin HTTP layer: count, delay, parse, apply a queued fault or let the core answer, record, write.
/// /_emulator/* goes to the control endpoints and is neither counted nor faulted.
/// </summary>
internal sealed class HttpFront
{
    private readonly GraphCore _core;
    private readonly FaultInjector _faults;
    private readonly RequestLog _log;
    private readonly EmulatorClock _clock;
    private readonly ControlEndpoints _control;
    private readonly string _businessId;
    private readonly bool _honourMethodOverride;

    public HttpFront(GraphCore core, FaultInjector faults, RequestLog log, EmulatorClock clock, ControlEndpoints control, string businessId,
        bool honourMethodOverride = true)
    {
        _honourMethodOverride = honourMethodOverride;
        _core = core;
        _faults = faults;
        _log = log;
        _clock = clock;
        _control = control;
        _businessId = businessId;
    }

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Request.Path.StartsWithSegments("/_emulator"))
        {
            await _control.HandleAsync(ctx);
            return;
        }
        long arrived = System.Diagnostics.Stopwatch.GetTimestamp();
        _log.Received();
        // Meta's answers carry its time in Date; clients judge expiry by it, so the emulator's clock must show there.
        ctx.Response.Headers.Date = _clock.Now.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        bool holdAfter = _faults.HoldAfterHandling;
        if (!holdAfter && !await _faults.HoldAsync(Held(ctx, "before handling"), ctx.RequestAborted)) return;
        // What the emulator spends serving (reading, handling, writing); a hold is latency, not serving.
        long servedFrom = System.Diagnostics.Stopwatch.GetTimestamp();
        ParsedRequest? parsed = null;
        GraphResponse? response = null;
        try { parsed = await RequestParser.ParseAsync(ctx, _honourMethodOverride); }
        catch (GraphException e) { response = e.Response; }
        catch (BadHttpRequestException) { response = GraphErrors.Param("(#100) The request body could not be read").Response; }

        string path = ctx.Request.Path.Value ?? "/";
        FaultSpec? fault = _faults.TakeFor(path);
        if (parsed is not null && (fault is null || fault.AfterHandling))
            response = HandleSafely(parsed.Request);

        int status = fault is null ? response!.Status : FaultResponder.StatusOf(fault, response);
        _log.Record(new RecordedRequest(ctx.Request.Method, path, parsed?.QueryKeys ?? ctx.Request.Query.Keys.ToArray(),
            parsed?.BodyKeys ?? Array.Empty<string>(), parsed?.TokenIn ?? TokenLocation.None, _clock.Now, status)
        {
            ServedAs = parsed?.Request.Method ?? ctx.Request.Method.ToUpperInvariant(),
            MethodParam = parsed?.Request.Parameters.Get("method")?.Trim().ToUpperInvariant(),
            Fields = FieldNames.Parse(parsed?.Request.Parameters.Get("fields")) ?? Array.Empty<string>(),
            BatchItems = BatchLog.Items(parsed?.Request.Parameters.Get("batch")),
            ArrivedAt = arrived,
            HandledAt = System.Diagnostics.Stopwatch.GetTimestamp(),
        });

        // Handled and logged: a client that goes away now never hears what was done.
        if (holdAfter)
        {
            _log.Served(System.Diagnostics.Stopwatch.GetTimestamp() - servedFrom);
            bool answered = await _faults.HoldAsync(Held(ctx, "after handling"), ctx.RequestAborted);
            servedFrom = System.Diagnostics.Stopwatch.GetTimestamp();
            if (!answered) return;
        }

        if (fault is not null)
            await FaultResponder.WriteAsync(ctx, fault, response, _businessId, parsed?.Version);
        else
            await ResponseWriter.WriteAsync(ctx, response!, parsed?.Version);
        _log.Served(System.Diagnostics.Stopwatch.GetTimestamp() - servedFrom);
    }

    private static string Held(HttpContext ctx, string when) =>
        $"{ctx.Request.Method} {ctx.Request.Path} (connection {ctx.Connection.Id}, {when})";

    /// <summary>An emulator bug answers like Meta's code 2 (and is printed), rather than an empty 500.</summary>
    private GraphResponse HandleSafely(GraphRequest request)
    {
        try
        {
            return _core.Handle(request);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Emulator error on {request.Method} {request.Path}: {e}");
            return new GraphResponse(500, GraphErrors.Envelope(GraphErrors.OAuth, 2,
                $"An unexpected error has occurred in the emulator ({e.GetType().Name}). Please retry your request later.",
                isTransient: true));
        }
    }
}
