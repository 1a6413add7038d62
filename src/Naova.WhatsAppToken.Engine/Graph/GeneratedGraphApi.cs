using System.Net.Http;
using Naova.WhatsAppToken.Engine.Graph;

namespace Refit.Implementation
{
    /// <summary>
    /// The Refit clients, made by constructing the classes Refit's source generator wrote for IGraphApi and
    /// IGraphTokenApi instead of asking <c>RestService.For</c>. RestService.For finds them through a registration the
    /// generator emits only under <c>#if NET5_0_OR_GREATER</c> (a [ModuleInitializer]); the net472 engine, which Windows
    /// PowerShell 5.1 and PowerShell 7.2/7.3 load, has none, and RestService.For fell back to the reflection request
    /// builder, which is not installed ("This interface needs the reflection request builder"). Every method of both
    /// interfaces is generated inline, so the generated classes need only the HttpClient and the settings, on every
    /// target: one code path for net472, net8.0 and net10.0, and no registry a load context or AppDomain must have run.
    /// This is a part of the generator's own partial class (named after this assembly), the only place its private
    /// nested classes can be named from; should Refit rename them, this file stops compiling rather than fail at run time.
    /// </summary>
    internal static partial class GeneratedNaova_WhatsAppToken_Engine
    {
        internal static IGraphApi GraphApi(HttpClient http) => new NaovaWhatsAppTokenEngineGraphIGraphApi(http, new RefitSettings());

        internal static IGraphTokenApi GraphTokenApi(HttpClient http) => new NaovaWhatsAppTokenEngineGraphIGraphTokenApi(http, new RefitSettings());
    }
}
