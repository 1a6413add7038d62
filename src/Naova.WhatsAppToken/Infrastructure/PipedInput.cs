using System;
using System.Management.Automation;
using System.Security;

namespace Naova.WhatsAppToken
{
    /// <summary>What a piped object is to a command that takes tokens.</summary>
    internal enum PipedKind
    {
        /// <summary>Nothing was piped: the parameters say everything.</summary>
        None,

        /// <summary>A token: a SecureString, or an object with a SecureString Token (New-, Get-, Save-, Update-WaToken output).</summary>
        Token,

        /// <summary>A secret a vault lists (Get-SecretInfo output: a Name and a VaultName).</summary>
        StoredSecret,

        /// <summary>Anything else: a system user, a WhatsApp Business Account, a string.</summary>
        Other,
    }

    /// <summary>A piped object, sorted: its kind, the token it brings and the place it names.</summary>
    internal sealed class PipedInput
    {
        private PipedInput(PipedKind kind, object? value, SecureString? token, WaTokenPlace? place)
        {
            Kind = kind;
            Value = value;
            Token = token;
            Place = place;
        }

        private PipedInput(object value, WaTokenPlace place, System.Collections.IDictionary? metadata, string? type, bool listed)
            : this(PipedKind.StoredSecret, value, null, place)
        {
            Listed = listed;
            Metadata = metadata;
            SecretType = type;
        }

        /// <summary>
        /// Whether a vault listed this secret (Get-SecretInfo output, which has a Metadata property, empty where the vault
        /// keeps none): the whole vault, not a secret somebody named.
        /// </summary>
        public bool Listed { get; }

        /// <summary>The listed secret's metadata, as the vault gave it.</summary>
        public System.Collections.IDictionary? Metadata { get; }

        /// <summary>The listed secret's type (SecureString, String, Hashtable, ...), as the vault gave it.</summary>
        public string? SecretType { get; }

        public PipedKind Kind { get; }

        /// <summary>The object itself (for an error's TargetObject, never a token's text).</summary>
        public object? Value { get; }

        public SecureString? Token { get; }

        /// <summary>Where the object says its token is kept: its StoredIn, or a listed secret's vault and name.</summary>
        public WaTokenPlace? Place { get; }

        public static PipedInput Of(PSObject? piped)
        {
            if (piped == null) return new PipedInput(PipedKind.None, null, null, null);
            var value = piped.BaseObject;
            if (value is SecureString secure) return new PipedInput(PipedKind.Token, null, secure, null);
            if (Property(piped, "Token") is SecureString token) return new PipedInput(PipedKind.Token, value, token, WaTokenPlace.Of(piped));
            // An object that says where its token is kept (a report of Test-WaToken), Get-SecretInfo output, or any
            // object that names a secret as the parameters do (Vault and Name, EnvFile).
            if (WaTokenPlace.Of(piped) is WaTokenPlace kept) return new PipedInput(PipedKind.StoredSecret, value, null, kept);
            string? name = Text(piped, "Name");
            if ((Text(piped, "VaultName") ?? Text(piped, "Vault")) is string vault && name != null)
            {
                var place = WaTokenPlace.InVault(vault, name);
                if (piped.Properties["Metadata"] == null) return new PipedInput(PipedKind.StoredSecret, value, null, place);
                return new PipedInput(value, place, Property(piped, "Metadata") as System.Collections.IDictionary, Property(piped, "Type")?.ToString(), listed: true);
            }
            if (Text(piped, "EnvFile") != null) return new PipedInput(PipedKind.StoredSecret, value, null, null);
            return new PipedInput(PipedKind.Other, value, null, null);
        }

        /// <summary>The error for an input this command can not act on: not a token, or a token kept nowhere.</summary>
        public static ErrorRecord Refusal(PSCmdlet cmdlet, PipedInput piped)
        {
            string command = cmdlet.MyInvocation.MyCommand.Name;
            string what = piped.Value == null ? "null" : piped.Value is string ? "string" : piped.Value.GetType().Name;
            bool notStored = piped.Kind == PipedKind.Token;
            string message = notStored ? Messages.Get("Error.TokenNotStored", command) : Messages.Get("Error.NotATokenInput", command, what);
            string remedy = Messages.Get(notStored ? "Remedy.TokenNotStored" : "Remedy.NotATokenInput", command);
            object? target = piped.Value is WaToken token ? token.WithoutSecret() : piped.Value is SecureString ? null : piped.Value;
            return new ErrorRecord(new ArgumentException(message), notStored ? "TokenNotStored" : "NotATokenInput", ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = remedy },
            };
        }

        /// <summary>The error for a piped place and an explicit parameter that name two places: never a silent choice.</summary>
        public static ErrorRecord Conflict(PSCmdlet cmdlet, WaTokenPlace piped, string given)
        {
            string message = Messages.Get("Error.PlaceConflict", cmdlet.MyInvocation.MyCommand.Name, piped, given);
            return new ErrorRecord(new ArgumentException(message), "PlaceConflict", ErrorCategory.InvalidArgument, piped)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = Messages.Get("Remedy.PlaceConflict") },
            };
        }

        private static string? Text(PSObject piped, string name) => Property(piped, name)?.ToString() is string text && text.Length > 0 ? text : null;

        private static object? Property(PSObject piped, string name)
        {
            object? value;
            try
            {
                value = piped.Properties[name]?.Value;
            }
            catch (GetValueException)
            {
                return null;
            }
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }
    }
}
