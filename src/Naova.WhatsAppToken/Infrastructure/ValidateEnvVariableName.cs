using System.Management.Automation;
using Naova.WhatsAppToken.Engine.DotEnv;

namespace Naova.WhatsAppToken
{
    /// <summary>A .env variable name every loader and shell accepts: letters, digits, underscores, not starting with a digit.</summary>
    public sealed class ValidateEnvVariableNameAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            string? text = arguments?.ToString();
            if (!DotEnvDocument.IsValidKey(text)) throw new ValidationMetadataException(Messages.Get("Invalid.VariableName", text));
        }
    }
}
