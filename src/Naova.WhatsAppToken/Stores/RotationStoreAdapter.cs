using System;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine.Rotation;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// A token store as the engine's rotation sees it: the module's tokens adapted to the engine's, each failure's
    /// ErrorRecord carried through untouched so Update-WaToken reports it as Save-WaToken would.
    /// </summary>
    internal sealed class RotationStoreAdapter : IRotationStore
    {
        private readonly TokenStore _store;
        private readonly WaConnection _connection;

        public RotationStoreAdapter(TokenStore store, WaConnection connection)
        {
            _store = store;
            _connection = connection;
        }

        public StoredToken? Read(string name, out StoreFailure? failure)
        {
            var token = _store.Read(name, out bool missing, out var error);
            failure = token == null ? Failure(error!) : null;
            if (failure != null) failure.Missing = missing;
            return token == null ? null : ToStored(token);
        }

        public StoreFailure? Write(string name, StoredToken token) => Failure(_store.Write(name, ToWaToken(token, _connection)));

        public StoreFailure? Remove(string name) => Failure(_store.Remove(name));

        public string? Holder(string fingerprint, out StoreFailure? failure)
        {
            string? holder = _store.Holder(fingerprint, out var error);
            failure = Failure(error);
            return holder;
        }

        public string PreviousNameOf(string name) => _store.PreviousNameOf(name);

        /// <summary>The kind of store, the vault or the .env's real path (every link followed, the folders' too), and the name: no localized words.</summary>
        public string KeyOf(string name) => _store.KeyOf(name);

        public string StoreKey => _store.StoreKey;

        /// <summary>The engine's view of a module token; the token itself rides along, to be stored as it is.</summary>
        public static StoredToken ToStored(WaToken token) => new StoredToken
        {
            Token = token.Token,
            Fingerprint = token.Fingerprint,
            SystemUserId = token.SystemUserId,
            SystemUserName = token.SystemUserName,
            BusinessId = token.BusinessId,
            AppId = token.AppId,
            Scopes = token.Scopes,
            SixtyDays = token.Expiration switch
            {
                WaTokenExpiration.SixtyDays => true,
                WaTokenExpiration.Never => false,
                _ => (bool?)null,
            },
            IssuedAt = token.IssuedAt,
            ExpiresAt = token.ExpiresAt,
            Origin = token,
        };

        /// <summary>The module token for one the engine holds: the one it was adapted from, or a new one made by the rotation.</summary>
        public static WaToken ToWaToken(StoredToken token, WaConnection connection) => token.Origin as WaToken ?? new WaToken
        {
            Token = token.Token,
            Fingerprint = token.Fingerprint,
            SystemUserId = token.SystemUserId,
            SystemUserName = token.SystemUserName,
            BusinessId = token.BusinessId,
            AppId = token.AppId,
            Scopes = token.Scopes,
            Expiration = token.SixtyDays switch
            {
                true => WaTokenExpiration.SixtyDays,
                false => WaTokenExpiration.Never,
                null => (WaTokenExpiration?)null,
            },
            IssuedAt = token.IssuedAt,
            ExpiresAt = token.ExpiresAt,
            Connection = connection,
        };

        private static StoreFailure? Failure(ErrorRecord? error) =>
            error == null ? null : new StoreFailure(error.ErrorDetails?.Message ?? error.Exception.Message, error);
    }
}
