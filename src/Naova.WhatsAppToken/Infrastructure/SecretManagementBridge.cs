using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Security;

namespace Naova.WhatsAppToken
{
    /// <summary>Why a call to SecretManagement did not do what was asked.</summary>
    internal enum VaultFailureKind
    {
        SecretManagementNotFound,
        VaultNotFound,
        SecretNotFound,
        SecretExists,
        MetadataNotSupported,
        Failed,
        /// <summary>The nested pipeline stopped without an error (a vault that asked for a password: none could be read, or Ctrl+C interrupted the prompt).</summary>
        Stopped,
        /// <summary>Set-Secret said nothing against it, yet the secret read back is not the token written.</summary>
        NotReadBack,

        /// <summary>The vault is registered but Test-SecretVault says it can not be used now (locked, or its extension failing).</summary>
        NotAnswering,

        /// <summary>The name is one the vault refuses (Key Vault: letters, digits and dashes only); found before anything was sent.</summary>
        NameRefused,

        /// <summary>Key Vault keeps a secret of that name deleted (soft delete): the name is taken until it is recovered or purged.</summary>
        SecretDeleted,
    }

    /// <summary>A SecretManagement failure: its kind, and the error SecretManagement (or the vault) reported.</summary>
    internal sealed class VaultFailure
    {
        public VaultFailure(VaultFailureKind kind, ErrorRecord? error, Exception? exception)
        {
            Kind = kind;
            Error = error;
            Exception = exception ?? error?.Exception;
        }

        public VaultFailureKind Kind { get; }

        public ErrorRecord? Error { get; }

        public Exception? Exception { get; }

        /// <summary>What SecretManagement said, innermost cause included (a vault's own words are often only there).</summary>
        public string Detail
        {
            get
            {
                string text = Error?.ErrorDetails?.Message ?? Exception?.Message ?? Kind.ToString();
                for (var inner = Exception?.InnerException; inner != null; inner = inner.InnerException)
                    if (!string.IsNullOrEmpty(inner.Message) && text.IndexOf(inner.Message, StringComparison.Ordinal) < 0) text = text.TrimEnd('.', ' ') + ": " + inner.Message;
                return text;
            }
        }
    }

    /// <summary>
    /// SecretManagement through its public commands only (Set-Secret, Get-Secret, Get-SecretInfo), run as a nested
    /// pipeline in the caller's runspace: any registered vault works (SecretStore, Az.KeyVault, KeePass, ...), and this
    /// module needs no reference to SecretManagement. Names are module-qualified so a vault extension's own
    /// Set-Secret function can never be called by mistake. Nothing here writes to the caller's streams.
    /// </summary>
    internal static class SecretManagementBridge
    {
        public const string ModuleName = "Microsoft.PowerShell.SecretManagement";

        public static VaultFailure? SetSecret(string vault, string name, SecureString secret, Hashtable? metadata, bool noClobber)
        {
            var parameters = new OrderedParameters
            {
                { "Name", name },
                { "SecureStringSecret", secret },
                { "Vault", vault },
            };
            if (metadata != null) parameters.Add("Metadata", metadata);
            if (noClobber) parameters.Add("NoClobber", true);
            // This module asked already (ShouldProcess); Set-Secret must not ask a second time.
            parameters.Add("Confirm", false);
            var failure = Invoke("Set-Secret", parameters, out _);
            return failure == null ? null : Classify(failure, metadata != null, writing: true);
        }

        /// <summary>
        /// Set-Secret, then Get-Secret: a write counts only when the secret read back has the token's fingerprint, as a
        /// vault may say nothing and store nothing (a stopped prompt, a read-only vault, an extension that drops it).
        /// </summary>
        public static VaultFailure? SetSecretProven(string vault, string name, SecureString secret, Hashtable? metadata, bool noClobber)
        {
            var failure = SetSecret(vault, name, secret, metadata, noClobber);
            return failure ?? ProveStored(vault, name, secret);
        }

        /// <summary>Null when <paramref name="name"/> in <paramref name="vault"/> reads back as <paramref name="secret"/>; otherwise why not.</summary>
        public static VaultFailure? ProveStored(string vault, string name, SecureString secret)
        {
            var stored = GetSecret(vault, name, out var readFailure);
            if (stored is SecureString text && Engine.Tokens.TokenFingerprint.Of(text) == Engine.Tokens.TokenFingerprint.Of(secret)) return null;
            return new VaultFailure(VaultFailureKind.NotReadBack, readFailure?.Error, readFailure?.Exception);
        }

        /// <summary>The secret's value: a SecureString, or whatever else the vault holds under that name.</summary>
        public static object? GetSecret(string vault, string name, out VaultFailure? failure)
        {
            var raw = Invoke("Get-Secret", new OrderedParameters { { "Name", name }, { "Vault", vault } }, out var output);
            failure = raw == null ? null : Classify(raw, false, writing: false);
            if (failure != null) return null;
            var first = output.FirstOrDefault(o => o != null);
            if (first == null) failure = new VaultFailure(VaultFailureKind.SecretNotFound, null, null);
            return first?.BaseObject;
        }

        /// <summary>The metadata the vault keeps for the secret (empty when it keeps none), or null when it can not be read.</summary>
        public static IDictionary? GetSecretMetadata(string vault, string name)
        {
            var raw = Invoke("Get-SecretInfo", new OrderedParameters { { "Name", name }, { "Vault", vault } }, out var output);
            if (raw != null) return null;
            // Get-SecretInfo's -Name takes wildcards: pick the secret by its exact name.
            var info = output.FirstOrDefault(o => o != null && string.Equals(o.Properties["Name"]?.Value as string, name, StringComparison.OrdinalIgnoreCase));
            if (info == null) return null;
            var metadata = info.Properties["Metadata"]?.Value;
            if (metadata is PSObject wrapped) metadata = wrapped.BaseObject;
            return metadata as IDictionary ?? new Hashtable();
        }

        /// <summary>The vault's registration (Get-SecretVault): ModuleName, ModulePath, VaultParameters; null when it can not be read.</summary>
        public static PSObject? Registration(string vault)
        {
            var failure = Invoke("Get-SecretVault", new OrderedParameters { { "Name", vault } }, out var found);
            return failure != null ? null : found.FirstOrDefault(v => v != null && string.Equals(v.Properties["Name"]?.Value as string, vault, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// Whether the vault can take a secret now, asked before anything is made: registered (Get-SecretVault) and
        /// answering Test-SecretVault with true (a locked SecretStore answers false). With <paramref name="listOnly"/>,
        /// for a vault whose Test-SecretVault writes (SecretStore's) under -WhatIf: answering Get-SecretInfo instead, which
        /// a locked store does not either. Null, or why not.
        /// </summary>
        public static VaultFailure? CheckVault(string vault, bool listOnly = false)
        {
            var failure = Invoke("Get-SecretVault", new OrderedParameters { { "Name", vault } }, out var found);
            if (failure != null) return Classify(failure, false, writing: true);
            if (!found.Any(v => v != null)) return new VaultFailure(VaultFailureKind.VaultNotFound, null, null);
            failure = listOnly
                ? Invoke("Get-SecretInfo", new OrderedParameters { { "Vault", vault } }, out var answer)
                : Invoke("Test-SecretVault", new OrderedParameters { { "Name", vault } }, out answer);
            if (failure != null && failure.Kind == VaultFailureKind.SecretManagementNotFound) return failure;
            if (failure != null) return new VaultFailure(VaultFailureKind.NotAnswering, failure.Error, failure.Exception);
            return listOnly || answer.Any(a => a?.BaseObject is bool ok && ok) ? null : new VaultFailure(VaultFailureKind.NotAnswering, null, null);
        }

        /// <summary>Removes the secret (Remove-Secret); null, or why it failed. A secret that is not there is no failure.</summary>
        public static VaultFailure? RemoveSecret(string vault, string name)
        {
            var failure = Invoke("Remove-Secret", new OrderedParameters { { "Name", name }, { "Vault", vault }, { "Confirm", false } }, out _);
            if (failure == null) return null;
            var classified = Classify(failure, false, writing: false);
            return classified.Kind == VaultFailureKind.SecretNotFound ? null : classified;
        }

        /// <summary>The registered vaults' names (Get-SecretVault); none when SecretManagement is missing or fails.</summary>
        public static System.Collections.Generic.IReadOnlyList<string> VaultNames()
        {
            var failure = Invoke("Get-SecretVault", new OrderedParameters(), out var output);
            return failure != null ? Array.Empty<string>() : output.Select(v => v.Properties["Name"]?.Value?.ToString()).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToArray();
        }

        /// <summary>The names of the vault's secrets (Get-SecretInfo); none when it can not be read.</summary>
        public static System.Collections.Generic.IReadOnlyList<string> SecretNames(string vault) => SecretNames(vault, out _) ?? Array.Empty<string>();

        /// <summary>The names of the vault's secrets (Get-SecretInfo); null with a failure when it can not be listed.</summary>
        public static System.Collections.Generic.IReadOnlyList<string>? SecretNames(string vault, out VaultFailure? failure)
        {
            var raw = Invoke("Get-SecretInfo", new OrderedParameters { { "Vault", vault } }, out var output);
            failure = raw == null ? null : Classify(raw, false, writing: false);
            return failure != null ? null : output.Select(v => v?.Properties["Name"]?.Value?.ToString()).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToArray();
        }

        /// <summary>The default vault's name (IsDefault in Get-SecretVault); null when none is set, or with a failure when SecretManagement could not be asked.</summary>
        public static string? DefaultVaultName(out VaultFailure? failure)
        {
            failure = Invoke("Get-SecretVault", new OrderedParameters(), out var output);
            if (failure != null) return null;
            return output.Where(v => v?.Properties["IsDefault"]?.Value is bool isDefault && isDefault)
                .Select(v => v.Properties["Name"]?.Value?.ToString()).FirstOrDefault(n => !string.IsNullOrEmpty(n));
        }

        private static VaultFailure? Invoke(string command, OrderedParameters parameters, out Collection<PSObject> output)
        {
            output = new Collection<PSObject>();
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ps.AddCommand(ModuleName + "\\" + command);
                foreach (var (key, value) in parameters) ps.AddParameter(key, value);
                // Errors are collected and reported by this module, whatever the caller's $ErrorActionPreference.
                ps.AddParameter("ErrorAction", ActionPreference.Continue);
                try
                {
                    output = ps.Invoke();
                }
                catch (CommandNotFoundException ex)
                {
                    ForgetNestedErrors(ps.Streams.Error.Select(e => e.Exception).Append(ex));
                    return new VaultFailure(VaultFailureKind.SecretManagementNotFound, ex.ErrorRecord, ex);
                }
                catch (RuntimeException ex)
                {
                    ForgetNestedErrors(ps.Streams.Error.Select(e => e.Exception).Append(ex));
                    return new VaultFailure(VaultFailureKind.Failed, ex.ErrorRecord, ex);
                }
                if (ps.Streams.Error.Count > 0) ForgetNestedErrors(ps.Streams.Error.Select(e => e.Exception));
                var error = ps.Streams.Error.FirstOrDefault();
                if (error != null) return new VaultFailure(VaultFailureKind.Failed, error, error.Exception);
                // SecretStore with Interaction Prompt in a host whose stdin is not a terminal writes "Enter password:"
                // and its pipeline stops: no output, no error. That is a failure, never a success.
                if (ps.InvocationStateInfo.State != PSInvocationState.Completed)
                    return new VaultFailure(VaultFailureKind.Stopped, null, ps.InvocationStateInfo.Reason ?? new PipelineStoppedException());
                return null;
            }
        }

        /// <summary>
        /// The nested call's own errors (GetSecretNotFound for a secret that is simply not there yet, ...) are this
        /// module's to judge: it reports what matters as its own ErrorRecord, so they must not stay in the caller's
        /// $Error, where a runbook that checks $Error after a successful command would take them for failures.
        /// </summary>
        private static void ForgetNestedErrors(System.Collections.Generic.IEnumerable<Exception> exceptions)
        {
            var nested = new System.Collections.Generic.HashSet<Exception>(exceptions.Where(e => e != null));
            using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                ArrayList? errors;
                try
                {
                    // The comma keeps PowerShell from unrolling the list: this is the caller's $Error itself.
                    errors = ps.AddScript(",$global:Error").Invoke().FirstOrDefault()?.BaseObject as ArrayList;
                }
                catch (RuntimeException)
                {
                    return;
                }
                if (errors == null) return;
                for (int i = errors.Count - 1; i >= 0; i--)
                {
                    var exception = errors[i] is ErrorRecord record ? record.Exception : errors[i] as Exception;
                    if (exception != null && nested.Contains(exception)) errors.RemoveAt(i);
                }
            }
        }

        /// <summary>
        /// Sorts SecretManagement's errors by what they mean: its error ids (GetSecretVaultNotFound,
        /// SetSecretCommandAlreadyExistsWithNoClobber, SetSecretMetadataCommandNotSupported, GetSecretNotFound) and
        /// categories, which stay the same across its versions and languages, unlike its messages.
        /// </summary>
        private static VaultFailure Classify(VaultFailure failure, bool sentMetadata, bool writing)
        {
            if (failure.Kind == VaultFailureKind.SecretManagementNotFound) return failure;
            var record = failure.Error;
            string id = record?.FullyQualifiedErrorId ?? string.Empty;
            var category = record?.CategoryInfo.Category ?? ErrorCategory.NotSpecified;
            if (id.StartsWith("GetSecretVaultNotFound", StringComparison.OrdinalIgnoreCase) || id.IndexOf("NoVault", StringComparison.OrdinalIgnoreCase) >= 0
                || (writing && category == ErrorCategory.ObjectNotFound))
                return new VaultFailure(VaultFailureKind.VaultNotFound, record, failure.Exception);
            // Key Vault's own words (its 409 Conflict), the same in every language: only Key Vault's extensions pass them on.
            if (writing && failure.Detail.IndexOf("deleted but recoverable state", StringComparison.OrdinalIgnoreCase) >= 0)
                return new VaultFailure(VaultFailureKind.SecretDeleted, record, failure.Exception);
            if (id.StartsWith("SetSecretCommandAlreadyExists", StringComparison.OrdinalIgnoreCase) || category == ErrorCategory.ResourceExists)
                return new VaultFailure(VaultFailureKind.SecretExists, record, failure.Exception);
            if (sentMetadata && (id.IndexOf("Metadata", StringComparison.OrdinalIgnoreCase) >= 0 || IsNotSupported(failure.Exception) || IsUnknownMetadataParameter(failure.Exception)))
                return new VaultFailure(VaultFailureKind.MetadataNotSupported, record, failure.Exception);
            if (!writing && (id.StartsWith("GetSecretNotFound", StringComparison.OrdinalIgnoreCase) || category == ErrorCategory.ObjectNotFound))
                return new VaultFailure(VaultFailureKind.SecretNotFound, record, failure.Exception);
            return failure;
        }

        private static bool IsNotSupported(Exception? ex)
        {
            for (; ex != null; ex = ex.InnerException)
                if (ex is NotSupportedException) return true;
            return false;
        }

        // SecretManagement before 1.1 has no -Metadata: such a Set-Secret is a vault that keeps no metadata.
        private static bool IsUnknownMetadataParameter(Exception? ex) =>
            ex is ParameterBindingException binding && string.Equals(binding.ParameterName, "Metadata", StringComparison.OrdinalIgnoreCase);

        private sealed class OrderedParameters : System.Collections.Generic.List<(string Key, object Value)>
        {
            public void Add(string key, object value) => Add((key, value));
        }
    }
}
