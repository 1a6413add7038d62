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

        /// <summary>
        /// The name in this store whose token has <paramref name="fingerprint"/>: null when none holds it, or with
        /// <paramref name="failure"/> when the store could not be read through. A journal adopts a token it has no
        /// fingerprint for only when no secret of its store holds it (it would be another secret's).
        /// </summary>
        string? Holder(string fingerprint, out StoreFailure? failure);

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
