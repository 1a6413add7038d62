using System;
using System.IO;
using System.Management.Automation;
using Naova.WhatsAppToken.Engine;

namespace Naova.WhatsAppToken
{
    /// <summary>A failure to read or write a stored token, in words: reason (the ErrorId), category, message, remedy.</summary>
    internal sealed class TokenStoreError
    {
        public TokenStoreError(string reason, ErrorCategory category, string message, string remedy, Exception? cause)
        {
            Reason = reason;
            Category = category;
            Message = message;
            Remedy = remedy;
            Cause = cause;
        }

        public string Reason { get; }

        public ErrorCategory Category { get; }

        public string Message { get; }

        public string Remedy { get; }

        public Exception? Cause { get; }

        public ErrorRecord ToErrorRecord(object? target) => ToErrorRecord(target, Message, Remedy);

        public ErrorRecord ToErrorRecord(object? target, string message, string remedy)
        {
            var record = new ErrorRecord(Exception(message), Reason, Category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = remedy },
            };
            return record;
        }

        private Exception Exception(string message)
        {
            switch (Category)
            {
                case ErrorCategory.ObjectNotFound:
                    return new ItemNotFoundException(message, Cause);
                case ErrorCategory.PermissionDenied:
                    return new UnauthorizedAccessException(message, Cause);
                case ErrorCategory.WriteError:
                case ErrorCategory.ReadError:
                    return Cause is IOException ? new IOException(message, Cause) : new InvalidOperationException(message, Cause);
                case ErrorCategory.InvalidArgument:
                    return new ArgumentException(message, Cause);
                default:
                    return new InvalidOperationException(message, Cause);
            }
        }

        /// <summary>
        /// A SecretManagement failure on <paramref name="name"/> in <paramref name="vault"/>; <paramref name="secret"/> is
        /// redacted from the vault's words. <paramref name="keyVaultName"/> is the Azure name of a Key Vault, for the Az
        /// commands a remedy gives.
        /// </summary>
        public static TokenStoreError FromVault(VaultFailure failure, string vault, string name, bool writing, string? secret = null, string? keyVaultName = null)
        {
            string detail = Redactor.Redact(failure.Detail, new[] { secret });
            switch (failure.Kind)
            {
                case VaultFailureKind.SecretManagementNotFound:
                    return new TokenStoreError("SecretManagementNotFound", ErrorCategory.NotInstalled,
                        Messages.Get("Error.SecretManagementNotFound", SecretManagementBridge.ModuleName), Messages.Get("Remedy.SecretManagementNotFound"), failure.Exception);
                case VaultFailureKind.VaultNotFound:
                    return new TokenStoreError("VaultNotFound", ErrorCategory.ObjectNotFound,
                        Messages.Get("Error.VaultNotFound", vault), Messages.Get("Remedy.VaultNotFound"), failure.Exception);
                case VaultFailureKind.SecretNotFound:
                    return new TokenStoreError("SecretNotFound", ErrorCategory.ObjectNotFound,
                        Messages.Get("Error.SecretNotFound", vault, name), Messages.Get("Remedy.SecretNotFound", vault, name), failure.Exception);
                case VaultFailureKind.SecretExists:
                    return new TokenStoreError("SecretExists", ErrorCategory.ResourceExists,
                        Messages.Get("Error.SecretExists", vault, name), Messages.Get("Remedy.SecretExists"), failure.Exception);
                case VaultFailureKind.NotAnswering:
                    string said = failure.Error == null ? string.Empty : " (" + detail + ")";
                    return new TokenStoreError("VaultNotAnswering", ErrorCategory.ResourceUnavailable,
                        Messages.Get("Error.VaultNotAnswering", vault, said), Messages.Get("Remedy.VaultNotAnswering", UnsavedTokens.Quote(vault)), failure.Exception);
                case VaultFailureKind.Stopped:
                    return Stopped(vault, name, promptInterrupted: !Console.IsInputRedirected, failure.Exception);
                case VaultFailureKind.NameRefused:
                    return new TokenStoreError("InvalidSecretName", ErrorCategory.InvalidArgument,
                        Messages.Get("Error.InvalidSecretName", vault, name, VaultTraits.KeyVaultNameFor(name)), Messages.Get("Remedy.InvalidSecretName", UnsavedTokens.Quote(vault), name, VaultTraits.KeyVaultNameFor(name)), failure.Exception);
                case VaultFailureKind.SecretDeleted:
                    string azure = keyVaultName ?? "<key-vault-name>";
                    return new TokenStoreError("SecretDeleted", ErrorCategory.ResourceExists,
                        Messages.Get("Error.SecretDeleted", vault, azure, name), Messages.Get("Remedy.SecretDeleted", vault, azure, name), failure.Exception);
                case VaultFailureKind.NotReadBack:
                    string why = failure.Error == null ? string.Empty : " (" + detail + ")";
                    return new TokenStoreError("VaultWriteNotProven", ErrorCategory.WriteError,
                        Messages.Get("Error.VaultNotReadBack", vault, name, why), Messages.Get("Remedy.VaultNotReadBack", vault, name), failure.Exception);
                default:
                    return writing
                        ? new TokenStoreError("VaultWriteFailed", ErrorCategory.WriteError, Messages.Get("Error.VaultWriteFailed", vault, name, detail), Messages.Get("Remedy.VaultWriteFailed"), failure.Exception)
                        : new TokenStoreError("VaultReadFailed", ErrorCategory.ReadError, Messages.Get("Error.VaultReadFailed", vault, name, detail), Messages.Get("Remedy.VaultReadFailed"), failure.Exception);
            }
        }

        /// <summary>
        /// A vault call that stopped without an error: the vault prompted (SecretStore's password) and had no answer. Where
        /// stdin is a terminal someone could have answered, so the prompt was interrupted: Ctrl+C at SecretStore's prompt
        /// stops the vault's nested pipeline, not the command. Elsewhere (cron, CI, stdin redirected) nobody could answer.
        /// </summary>
        internal static TokenStoreError Stopped(string vault, string name, bool promptInterrupted, Exception? cause) =>
            promptInterrupted
                ? new TokenStoreError("VaultPromptInterrupted", ErrorCategory.OperationStopped,
                    Messages.Get("Error.VaultPromptInterrupted", vault, name), Messages.Get("Remedy.VaultPromptInterrupted"), cause)
                : new TokenStoreError("VaultStopped", ErrorCategory.OperationStopped,
                    Messages.Get("Error.VaultStopped", vault, name), Messages.Get("Remedy.VaultStopped"), cause);

        /// <summary>A file system failure on the .env file at <paramref name="path"/>.</summary>
        public static TokenStoreError FromFile(Exception ex, string path, bool writing)
        {
            string detail = Redactor.Redact(ex.Message);
            switch (ex)
            {
                case Engine.DotEnv.DotEnvNotAFileException _:
                    return new TokenStoreError("EnvFileNotAFile", ErrorCategory.InvalidArgument, Messages.Get("Error.EnvFileNotAFile", path, Engine.DotEnv.DotEnvFile.MaxBytes / (1024 * 1024)),
                        Messages.Get("Remedy.EnvFileNotAFile"), ex);
                case Engine.DotEnv.DotEnvLinkException link when link.IsLoop:
                    return new TokenStoreError("EnvFileLinkLoop", ErrorCategory.InvalidArgument, Messages.Get("Error.EnvFileLinkLoop", path, link.Target),
                        Messages.Get("Remedy.EnvFileLinkLoop", path), ex);
                case Engine.DotEnv.DotEnvLinkException link:
                    return new TokenStoreError("EnvFileDanglingLink", ErrorCategory.ObjectNotFound, Messages.Get("Error.EnvFileDanglingLink", path, link.Target),
                        Messages.Get("Remedy.EnvFileDanglingLink", path, link.Target, Path.GetDirectoryName(link.Target)), ex);
                case FileNotFoundException _ when !writing:
                    return new TokenStoreError("EnvFileNotFound", ErrorCategory.ObjectNotFound, Messages.Get("Error.EnvFileNotFound", path), Messages.Get("Remedy.EnvFileNotFound"), ex);
                case DirectoryNotFoundException _:
                    return new TokenStoreError(writing ? "EnvFolderNotFound" : "EnvFileNotFound", ErrorCategory.ObjectNotFound,
                        Messages.Get(writing ? "Error.EnvFolderNotFound" : "Error.EnvFileNotFound", path), Messages.Get(writing ? "Remedy.EnvFolderNotFound" : "Remedy.EnvFileNotFound"), ex);
                case UnauthorizedAccessException _:
                    return new TokenStoreError("EnvFileAccessDenied", ErrorCategory.PermissionDenied,
                        Messages.Get(writing ? "Error.EnvFileWriteFailed" : "Error.EnvFileReadFailed", path, detail), Messages.Get("Remedy.EnvFileAccessDenied", path), ex);
                case NotSupportedException _:
                case ArgumentException _:
                    return new TokenStoreError("EnvFileUnsupported", ErrorCategory.InvalidData,
                        Messages.Get(writing ? "Error.EnvFileWriteFailed" : "Error.EnvFileReadFailed", path, detail), Messages.Get("Remedy.EnvFileUnsupported"), ex);
                default:
                    return writing
                        ? new TokenStoreError("EnvFileWriteFailed", ErrorCategory.WriteError, Messages.Get("Error.EnvFileWriteFailed", path, detail), Messages.Get("Remedy.EnvFileWriteFailed"), ex)
                        : new TokenStoreError("EnvFileReadFailed", ErrorCategory.ReadError, Messages.Get("Error.EnvFileReadFailed", path, detail), Messages.Get("Remedy.EnvFileReadFailed"), ex);
            }
        }
    }
}
