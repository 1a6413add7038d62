using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using System.Runtime.Versioning;

namespace Naova.WhatsAppToken.Tests.Infrastructure;

/// <summary>
/// The built dependencies/net472 engine (the one Windows PowerShell 5.1 and PowerShell 7.2/7.3 load), loaded the way
/// PowerShell 7 on .NET 6/7 loads it: into a fresh instance of the module's own ModuleLoadContext, made from the built
/// cmdlet assembly, over that folder. The test process (net10.0) never references the engine, so every engine type here
/// is the net472 build's; it is driven through reflection with BCL types only (strings, SecureString, tasks).
/// </summary>
public sealed class Net472Engine
{
    private Net472Engine(AssemblyLoadContext context, Assembly engine)
    {
        Context = context;
        Assembly = engine;
    }

    public static string Folder => Path.Combine(Repo.ModuleFolder, "dependencies", "net472");

    public AssemblyLoadContext Context { get; }

    public Assembly Assembly { get; }

    /// <summary>The engine build's target framework, as compiled into it (".NETFramework,Version=v4.7.2").</summary>
    public string? TargetFramework => Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

    public static Net472Engine Load()
    {
        var module = Assembly.LoadFrom(Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.dll"));
        var contextType = module.GetType("Naova.WhatsAppToken.Loading.ModuleLoadContext", throwOnError: true)!;
        var context = (AssemblyLoadContext)Activator.CreateInstance(contextType, Folder)!;
        var engine = context.LoadFromAssemblyName(new AssemblyName("Naova.WhatsAppToken.Engine"));
        return new Net472Engine(context, engine);
    }

    public Type Type(string name) => Assembly.GetType("Naova.WhatsAppToken.Engine." + name, throwOnError: true)!;

    /// <summary>A new engine object; an exception its constructor throws comes out as itself, not wrapped.</summary>
    public object New(string type, params object?[] args) => Unwrapped(() => Activator.CreateInstance(Type(type), args)!);

    /// <summary>A static method of an engine type, by name and parameter count.</summary>
    public object? Static(string type, string method, params object?[] args) =>
        Unwrapped(() => Method(Type(type), method, args.Length, BindingFlags.Public | BindingFlags.Static).Invoke(null, args));

    /// <summary>Calls an async instance method and answers its result (null for a plain Task).</summary>
    public static async Task<object?> CallAsync(object target, string method, params object?[] args)
    {
        var task = (Task)Unwrapped(() => Method(target.GetType(), method, args.Length, BindingFlags.Public | BindingFlags.Instance).Invoke(target, args))!;
        await task;
        var result = task.GetType().GetProperty("Result");
        return result == null || result.PropertyType.Name == "VoidTaskResult" ? null : result.GetValue(task);
    }

    public static object? Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

    private static MethodInfo Method(Type type, string name, int arity, BindingFlags flags) =>
        type.GetMethods(flags).Single(m => m.Name == name && m.GetParameters().Length == arity);

    private static T Unwrapped<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException ex) when (ex.InnerException != null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
