namespace Naova.WhatsAppToken.Engine.Rotation
{
    /// <summary>The place a rotation reads and replaces a token: a vault, a .env file. Each call ends on the calling thread.</summary>
    public interface IRotationStore
    {
        /// <summary>The token under <paramref name="name"/>; null with <paramref name="failure"/> (Missing when there is none).</summary>
        StoredToken? Read(string name, out StoreFailure? failure);

        /// <summary>Stores <paramref name="token"/> under <paramref name="name"/>, proven by reading it back; null, or why not.</summary>
        StoreFailure? Write(string name, StoredToken token);

        /// <summary>Forgets the token under <paramref name="name"/> (a kept copy, once revoked); null, or why not.</summary>
        StoreFailure? Remove(string name);

        /// <summary>Where a rotation keeps the token it replaces, in the store's style of names.</summary>
        string PreviousNameOf(string name);

        /// <summary>
        /// A key for <paramref name="name"/> that names the same secret in every culture and session: the kind of store,
        /// the vault or the file's real path, and the name. The journal is named by it.
        /// </summary>
        string KeyOf(string name);

        /// <summary>
        /// The store itself in the same words (a vault's name, a .env's real path). The lock is the store's: it is written
        /// as a whole (a .env file, a SecretStore file), so two rotations of two of its secrets at once would lose a write.
        /// </summary>
        string StoreKey { get; }
    }
}
