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
    /// Scopes and tasks are single words (business_management, MANAGE): anything else (a comma, a space, a line break)
    /// would change what is asked of Meta. Unknown but well-formed ones pass: Meta adds new ones, and the cmdlet warns.
    /// </summary>
    public abstract class ValidateGraphWordAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private static readonly Regex Word = new Regex(@"^\s*[A-Za-z0-9_]{1,100}\s*$", RegexOptions.CultureInvariant);
        private readonly string _messageKey;

        protected ValidateGraphWordAttribute(string messageKey) => _messageKey = messageKey;

        protected override void ValidateElement(object element)
        {
            string? text = element?.ToString();
            if (text == null || !Word.IsMatch(text)) throw new ValidationMetadataException(Messages.Get(_messageKey, text));
        }
    }

    /// <summary>A token scope (what a token may do).</summary>
    public sealed class ValidateScopeAttribute : ValidateGraphWordAttribute
    {
        public ValidateScopeAttribute()
            : base("Invalid.Scope")
        {
        }
    }

    /// <summary>An asset task (what a user may do on a WhatsApp Business Account).</summary>
    public sealed class ValidateTaskAttribute : ValidateGraphWordAttribute
    {
        public ValidateTaskAttribute()
            : base("Invalid.Task")
        {
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
