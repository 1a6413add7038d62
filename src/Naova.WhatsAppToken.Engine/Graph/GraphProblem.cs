namespace Naova.WhatsAppToken.Engine.Graph
{
    /// <summary>
    /// What went wrong on the wire when the failure is not Meta's own error envelope; lets a host describe it in its
    /// own words. None means Meta answered with an error: its message is the description.
    /// </summary>
    public enum GraphProblem
    {
        None,

        /// <summary>An HTTP error status without a Graph error envelope.</summary>
        NoErrorDescription,

        /// <summary>An HTML or XML page, usually from a proxy or gateway.</summary>
        HtmlPage,

        EmptyBody,

        /// <summary>A body that is not valid JSON (truncated, garbled, or another format).</summary>
        NotJson,

        /// <summary>A body over <see cref="GraphResponseReader.MaxBodyBytes"/>, refused without reading it all.</summary>
        BodyTooLarge,

        /// <summary>Valid JSON of the wrong shape: wrong types, nulls where objects belong, a missing value.</summary>
        UnexpectedShape,

        /// <summary>No answer within the request timeout.</summary>
        NoAnswerInTime,

        /// <summary>The connection could not be made, or broke before the answer was complete.</summary>
        ConnectionFailed,

        /// <summary>The request could not be built (a token or value holds characters HTTP does not allow): nothing was sent.</summary>
        RequestNotSent,
    }
}
