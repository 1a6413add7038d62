using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace Naova.WhatsAppToken
{
    /// <summary>
    /// ShouldProcess for hosts that can not ask. A runbook (Azure Automation, pwsh -NonInteractive, a hosted runspace)
    /// has nobody to answer a confirmation prompt: where ShouldProcess would prompt there, the command stops with an
    /// error that names the parameter that says yes (-Confirm:$false), instead of hanging or failing inside the host.
    /// </summary>
    internal static class Confirmation
    {
        /// <summary>Whether someone can answer a prompt in this host.</summary>
        public static bool HostIsInteractive(PSCmdlet cmdlet)
        {
            PSHost? host = cmdlet.Host;
            if (host?.UI == null) return false;
            // The host of a plain hosted runspace, of Azure Automation's sandboxes, and of a remote session's server side.
            if (host.Name == "Default Host" || host.Name == "ServerRemoteHost") return false;
            if (!Environment.UserInteractive) return false;
            return !Environment.GetCommandLineArgs().Skip(1).Any(IsNonInteractiveSwitch);
        }

        /// <summary>
        /// ShouldProcess that never prompts in a non-interactive host: if it would, this throws a terminating
        /// ConfirmationNeeded error. <paramref name="plan"/> is what -WhatIf prints (default: the action on the target).
        /// </summary>
        public static bool ShouldProcess(PSCmdlet cmdlet, string target, string action, string? plan = null)
        {
            if (WouldPrompt(cmdlet) && !HostIsInteractive(cmdlet)) throw Needed(cmdlet, action);
            try
            {
                return plan == null
                    ? cmdlet.ShouldProcess(target, action)
                    : cmdlet.ShouldProcess(plan, Messages.Get("Confirm.Question", action, target), Messages.Get("Confirm.Caption"));
            }
            catch (Exception ex) when (HostCouldNotAsk(ex))
            {
                throw Needed(cmdlet, action);
            }
        }

        /// <summary>
        /// What a host throws when it claims to be interactive but can not prompt after all: PowerShell's host
        /// exceptions, or a custom automation host whose prompt methods are simply not implemented.
        /// </summary>
        public static bool HostCouldNotAsk(Exception ex) => ex is HostException || ex is PSInvalidOperationException || ex is NotImplementedException;

        /// <summary>Whether this command runs under -WhatIf (its own, or $WhatIfPreference, as a script's -WhatIf sets it).</summary>
        public static bool IsWhatIf(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.TryGetValue("WhatIf", out var whatIf)) return IsOn(whatIf);
            return IsOn(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        private static bool WouldPrompt(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (IsWhatIf(cmdlet)) return false;
            if (bound.TryGetValue("Confirm", out var confirm)) return IsOn(confirm);
            var preference = Preference(cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference"));
            return preference != ConfirmImpact.None && ImpactOf(cmdlet) >= preference;
        }

        private static ConfirmImpact ImpactOf(PSCmdlet cmdlet) =>
            cmdlet.GetType().GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().FirstOrDefault()?.ConfirmImpact ?? ConfirmImpact.Medium;

        private static ConfirmImpact Preference(object? value)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            if (value is ConfirmImpact impact) return impact;
            return value != null && Enum.TryParse(value.ToString(), true, out ConfirmImpact parsed) ? parsed : ConfirmImpact.High;
        }

        private static bool IsOn(object? value)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            return value is SwitchParameter s ? s.IsPresent : value is bool b && b;
        }

        // pwsh and powershell.exe accept any unambiguous prefix of -NonInteractive from -noni on.
        private static bool IsNonInteractiveSwitch(string arg)
        {
            string name = arg.TrimStart('-', '/');
            return arg.Length > name.Length && name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase);
        }

        private static PipelineStoppedException Needed(PSCmdlet cmdlet, string action)
        {
            string command = cmdlet.MyInvocation.MyCommand?.Name ?? cmdlet.GetType().Name;
            var record = new ErrorRecord(new InvalidOperationException(Messages.Get("Error.ConfirmationNeeded", command, action)),
                "ConfirmationNeeded", ErrorCategory.PermissionDenied, null)
            {
                ErrorDetails = new ErrorDetails(Messages.Get("Error.ConfirmationNeeded", command, action))
                {
                    RecommendedAction = Messages.Get("Remedy.ConfirmationNeeded"),
                },
            };
            cmdlet.ThrowTerminatingError(record);
            return new PipelineStoppedException(); // not reached: ThrowTerminatingError always throws
        }
    }
}
