using System.Reflection;

namespace Naova.WhatsAppToken.HelpGen;

/// <summary>
/// Reads the cmdlets of a built module assembly as metadata (MetadataLoadContext): names, parameter sets, positions,
/// pipeline binding, aliases, output types. Nothing of the module runs, so a net472 assembly built against
/// PowerShellStandard reads the same as it would load.
/// </summary>
internal static class CmdletReader
{
    private const string Sma = "System.Management.Automation.";

    public static IReadOnlyList<CommandModel> Read(string assemblyPath, IEnumerable<string> referencePaths, SourceMap sources)
    {
        var paths = referencePaths.Append(assemblyPath).Where(File.Exists).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        string core = paths.FirstOrDefault(p => Path.GetFileName(p).Equals("mscorlib.dll", StringComparison.OrdinalIgnoreCase))
                      ?? paths.FirstOrDefault(p => Path.GetFileName(p).Equals("System.Runtime.dll", StringComparison.OrdinalIgnoreCase))
                      ?? throw new InvalidOperationException("No core assembly (mscorlib.dll or System.Runtime.dll) among the references.");
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), Path.GetFileNameWithoutExtension(core));
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        return assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && IsCmdlet(t))
            .Select(t => ReadCommand(t, sources))
            .Where(c => c != null)
            .Select(c => c!)
            .OrderBy(c => c.Noun, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Verb, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static bool IsCmdlet(Type type)
    {
        for (var t = type.BaseType; t != null; t = t.BaseType)
            if (t.FullName == Sma + "Cmdlet") return true;
        return false;
    }

    private static CommandModel? ReadCommand(Type type, SourceMap sources)
    {
        var cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute");
        if (cmdlet == null) return null;
        string verb = (string)cmdlet.ConstructorArguments[0].Value!;
        string noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var outputs = type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute").SelectMany(ReadOutputTypes).ToList();
        var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is PropertyInfo or FieldInfo)
            .Select(m => ReadParameter(m, sources))
            .Where(p => p != null)
            .Select(p => p!)
            .ToList();
        return new CommandModel(
            verb + "-" + noun, verb, noun, type.FullName!,
            Named<string>(cmdlet, "DefaultParameterSetName"),
            Named<bool>(cmdlet, "SupportsShouldProcess"),
            Named<string>(cmdlet, "HelpUri"),
            outputs, members, sources.OfType(type));
    }

    private static ParameterModel? ReadParameter(MemberInfo member, SourceMap sources)
    {
        var attributes = member.GetCustomAttributesData();
        var entries = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").Select(a => new ParameterSetEntry(
            Named<string>(a, "ParameterSetName") ?? CommandModel.AllSets,
            Named<bool>(a, "Mandatory"),
            Named<int?>(a, "Position") is int p && p >= 0 ? p : null,
            Named<bool>(a, "ValueFromPipeline"),
            Named<bool>(a, "ValueFromPipelineByPropertyName"),
            Named<bool>(a, "ValueFromRemainingArguments"))).ToList();
        if (entries.Count == 0) return null;
        var type = member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;
        var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute").SelectMany(a => Strings(a.ConstructorArguments)).ToList();
        var validateSet = attributes.Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute").SelectMany(a => Strings(a.ConstructorArguments)).ToList();
        bool dontShow = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").All(a => Named<bool>(a, "DontShow"));
        var location = sources.OfMember(member);
        return new ParameterModel(
            member.Name, Describe(type), member.DeclaringType!.FullName!, aliases,
            attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
            dontShow,
            validateSet.Count > 0 ? validateSet : EnumNames(type),
            entries, location, DefaultValue(Attribute(attributes, "PSDefaultValueAttribute"), type), sources.InitializerAt(location));
    }

    /// <summary>
    /// What [PSDefaultValue] says the default is, as help shows it: Value (arrays joined with ", ", enums by name), else
    /// Help. Metadata holds no property initializers, so this attribute is where the default is written down; the
    /// generator checks that every initializer has one, and a test compares each with the value a new cmdlet has.
    /// </summary>
    private static string? DefaultValue(CustomAttributeData? attribute, Type type)
    {
        if (attribute == null) return null;
        foreach (var argument in attribute.NamedArguments.Where(n => n.MemberName == "Value"))
        {
            var values = Flatten(argument.TypedValue).Select(v => Show(v, type)).ToList();
            if (values.Count > 0) return string.Join(", ", values);
        }
        return Named<string>(attribute, "Help");
    }

    private static string Show(CustomAttributeTypedArgument value, Type parameterType)
    {
        var element = parameterType.IsArray ? parameterType.GetElementType()! : parameterType;
        if (element.IsGenericType && element.GetGenericTypeDefinition().FullName == "System.Nullable`1") element = element.GetGenericArguments()[0];
        if (value.ArgumentType.IsEnum || (element.IsEnum && value.Value is not string))
        {
            var enumType = value.ArgumentType.IsEnum ? value.ArgumentType : element;
            var field = enumType.GetFields(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(f => Equals(f.GetRawConstantValue(), value.Value));
            if (field != null) return field.Name;
        }
        return Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static IEnumerable<OutputTypeModel> ReadOutputTypes(CustomAttributeData attribute)
    {
        var sets = attribute.NamedArguments.Where(n => n.MemberName == "ParameterSetName").SelectMany(n => Strings(new[] { n.TypedValue })).ToList();
        foreach (var argument in attribute.ConstructorArguments.SelectMany(Flatten))
        {
            if (argument.Value is Type t) yield return new OutputTypeModel(Describe(t), sets);
            else if (argument.Value is string name) yield return new OutputTypeModel(new TypeNameModel(name.Substring(name.LastIndexOf('.') + 1), name), sets);
        }
    }

    /// <summary>String[] for help's syntax, System.String[] for its type fields.</summary>
    internal static TypeNameModel Describe(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") type = type.GetGenericArguments()[0];
        var element = type.IsArray ? type.GetElementType()! : type;
        string suffix = type.IsArray ? "[]" : string.Empty;
        return new TypeNameModel(element.Name + suffix, (element.FullName ?? element.Name) + suffix);
    }

    private static IReadOnlyList<string> EnumNames(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : type;
        if (element.IsGenericType && element.GetGenericTypeDefinition().FullName == "System.Nullable`1") element = element.GetGenericArguments()[0];
        return element.IsEnum
            ? element.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => f.Name).ToList()
            : Array.Empty<string>();
    }

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
            if (argument.MemberName == name && argument.TypedValue.Value is T value) return value;
        return default;
    }

    private static IEnumerable<CustomAttributeTypedArgument> Flatten(CustomAttributeTypedArgument argument) =>
        argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.SelectMany(Flatten) : new[] { argument };

    private static IEnumerable<string> Strings(IEnumerable<CustomAttributeTypedArgument> arguments) =>
        arguments.SelectMany(Flatten).Select(a => a.Value).OfType<string>();
}
