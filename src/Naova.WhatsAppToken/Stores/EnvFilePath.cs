using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using Naova.WhatsAppToken.Engine;
using Naova.WhatsAppToken.Engine.DotEnv;
using Naova.WhatsAppToken.Engine.Tokens;

namespace Naova.WhatsAppToken
{
    /// <summary>A -EnvFile argument as a file system path, relative to PowerShell's current location (not the process's).</summary>
    internal static class EnvFilePath
    {
        /// <summary>
        /// The error for a .env that must not be written (read-only, or one whose owner the write could not keep), or
        /// null; checked before anything is made.
        /// </summary>
        public static TokenStoreError? RefuseWrite(string path)
        {
            string target = Engine.DotEnv.AtomicFile.ResolveTarget(path);
            if (Engine.DotEnv.EnvFile.IsReadOnly(target))
                return new TokenStoreError("EnvFileReadOnly", ErrorCategory.PermissionDenied, Messages.Get("Error.EnvFileReadOnly", path), Messages.Get("Remedy.EnvFileReadOnly", path), null);
            if (Engine.DotEnv.EnvFile.KeepsOwner(target) || !(Engine.DotEnv.EnvFile.OwnerOf(target) is var (user, group, process))) return null;
            return new TokenStoreError("EnvFileOwnerNotKept", ErrorCategory.PermissionDenied, Messages.Get("Error.EnvFileOwnerNotKept", path, user, group, process),
                Messages.Get("Remedy.EnvFileOwnerNotKept", path, user, group), null);
        }

        public static string? Resolve(PSCmdlet cmdlet, string envFile, out TokenStoreError? error)
        {
            error = null;
            try
            {
                string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(envFile, out ProviderInfo provider, out _);
                if (string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase) && Directory.Exists(path))
                {
                    // Said here, before any read or write, so it is not reported as a full disk or a denied access.
                    error = new TokenStoreError("EnvFileIsDirectory", ErrorCategory.InvalidArgument, Messages.Get("Error.EnvFileIsDirectory", path),
                        Messages.Get("Remedy.EnvFileIsDirectory", System.IO.Path.Combine(path, ".env")), null);
                    return null;
                }
                if (string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        Engine.DotEnv.AtomicFile.ResolveTarget(path);
                    }
                    catch (Engine.DotEnv.DotEnvLinkException loop)
                    {
                        // Said here, before any read or write: .NET would call a loop a missing file, then fail its open.
                        error = TokenStoreError.FromFile(loop, path, writing: false);
                        return null;
                    }
                    // A FIFO would block the read forever, a device would be replaced by a file holding the token.
                    if (Engine.DotEnv.EnvFile.KindOf(path) != Engine.DotEnv.EnvFileKind.NotRegular) return path;
                    error = new TokenStoreError("EnvFileNotAFile", ErrorCategory.InvalidArgument, Messages.Get("Error.EnvFileNotRegular", path), Messages.Get("Remedy.EnvFileNotRegular"), null);
                    return null;
                }
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException || ex is NotSupportedException)
            {
                // Reported below, as not a file system path.
            }
            error = new TokenStoreError("EnvFileNotFileSystem", ErrorCategory.InvalidArgument, Messages.Get("Invalid.EnvFilePath", envFile), Messages.Get("Remedy.EnvFilePath"), null);
            return null;
        }
    }
}
