namespace Naova.WhatsAppToken.Emulator.Core;

/// <summary>Thrown by handlers to answer a Graph error; the core turns it into the response.</summary>
internal sealed class GraphException : Exception
{
    public GraphException(GraphResponse response, string message) : base(message) => Response = response;

    public GraphResponse Response { get; }
}
