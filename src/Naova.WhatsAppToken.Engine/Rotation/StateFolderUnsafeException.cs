using System;

namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>
    /// The state folder, or an entry in it, could let another user steer this process's writes or hang its reads: it is
    /// not used. An UnauthorizedAccessException, as a folder that can not be written is one: a rotation goes on without
    /// its lock and journal, and says why and what fixes it.
    /// </summary>
    public sealed class StateFolderUnsafeException : UnauthorizedAccessException
    {
        public StateFolderUnsafeException(string message)
            : base(message)
        {
        }
    }
}
