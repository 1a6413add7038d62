using System;
using System.Threading;
using System.Threading.Tasks;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// What happens in a rotation, told as it happens: the step that runs, facts, warnings, and why it stopped. The
    /// rotation reports codes and facts; the caller words them. Every call comes on the thread that runs the rotation.
    /// </summary>
    public interface IRotationSink
    {
        void Progress(RotationPhase phase, int percent, RotationFacts facts);

        void Verbose(RotationNote note, RotationFacts facts);

        void Warning(RotationWarning warning, RotationFacts facts);

        /// <summary>The rotation stopped here; facts.State says how far it got, facts.Keep a token the caller must keep.</summary>
        void Stopped(RotationStop cause, RotationFacts facts);

        /// <summary>Waits for a call to Meta on the rotation's thread, so the caller can relay what it logs and cancel it.</summary>
        T Await<T>(Func<CancellationToken, Task<T>> request);
    }
}
