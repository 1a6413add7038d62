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

    public sealed class ValidateApiVersionAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? text = arguments?.ToString();
            if (!GraphSettings.IsValidApiVersion(text)) throw new ValidationMetadataException(Messages.Get("Invalid.ApiVersion", text, GraphSettings.DefaultApiVersion));
        }
    }
}
