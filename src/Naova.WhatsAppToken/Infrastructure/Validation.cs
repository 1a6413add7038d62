using System.Management.Automation;
using System.Text.RegularExpressions;
using Naova.WhatsAppToken.Engine;

namespace Naova.WhatsAppToken
{
    /// <summary>Graph ids are numeric strings; refusing anything else before a call keeps errors about the input.</summary>
    public sealed class ValidateGraphIdAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private static readonly Regex Id = new Regex(@"^\d{1,25}$", RegexOptions.CultureInvariant);

        protected override void ValidateElement(object element)
        {
            string? text = element?.ToString();
            if (text == null || !Id.IsMatch(text)) throw new ValidationMetadataException(Messages.Get("Invalid.GraphId", text));
        }
    }

    /// <summary>
    /// Token scopes are lowercase words (business_management): anything else (a comma, a space, a line break) would
    /// change what is asked of Meta. Unknown but well-formed scopes pass: Meta adds new ones, and the cmdlet warns.
    /// </summary>
    public sealed class ValidateScopeAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private static readonly Regex Scope = new Regex(@"^\s*[A-Za-z0-9_]{1,100}\s*$", RegexOptions.CultureInvariant);

        protected override void ValidateElement(object element)
        {
            string? text = element?.ToString();
            if (text == null || !Scope.IsMatch(text)) throw new ValidationMetadataException(Messages.Get("Invalid.Scope", text));
        }
    }

    /// <summary>Asset tasks are uppercase words (MANAGE); unknown but well-formed ones pass with a warning, as scopes do.</summary>
    public sealed class ValidateTaskAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private static readonly Regex Task = new Regex(@"^\s*[A-Za-z0-9_]{1,100}\s*$", RegexOptions.CultureInvariant);

        protected override void ValidateElement(object element)
        {
            string? text = element?.ToString();
            if (text == null || !Task.IsMatch(text)) throw new ValidationMetadataException(Messages.Get("Invalid.Task", text));
        }
    }

    public sealed class ValidateApiVersionAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? text = arguments?.ToString();
            if (!GraphSettings.IsValidApiVersion(text)) throw new ValidationMetadataException(Messages.Get("Invalid.ApiVersion", text, GraphSettings.DefaultApiVersion));
        }
    }
}
