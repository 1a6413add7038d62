using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// On Windows PowerShell 5.1 nothing may touch AssemblyLoadContext: System.Runtime.Loader does not exist on .NET
/// Framework, and the JIT compiles a method with every type it names. Read from the built cmdlet assembly's metadata and
/// IL: only ModuleLoadContext derives from a System.Runtime.Loader type; only it and CoreDependencyLoader name one (in
/// IL, signatures, fields or locals); and the one method that calls into CoreDependencyLoader reaches that call only
/// on the branch where IsCoreClr is true, the other branch being the Desktop loader's AppDomain.AssemblyResolve.
/// </summary>
public sealed class DesktopLoaderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] CorePathTypes = ["Naova.WhatsAppToken.Loading.CoreDependencyLoader", "Naova.WhatsAppToken.Loading.ModuleLoadContext"];

    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    [Fact]
    public void Only_the_Core_path_names_a_System_Runtime_Loader_type()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.dll")));
        var md = pe.GetMetadataReader();
        var names = new TypeNames(md);
        var namers = new SortedSet<string>();
        var derived = new List<string>();

        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            string typeName = names.Definition(typeHandle);
            if (!type.BaseType.IsNil && names.Of(type.BaseType).StartsWith("System.Runtime.Loader.", StringComparison.Ordinal)) derived.Add(typeName);
            foreach (var field in type.GetFields().Select(md.GetFieldDefinition))
                if (Loaderish(field.DecodeSignature(names, null))) namers.Add(typeName + "." + md.GetString(field.Name));
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                string at = typeName + "." + md.GetString(method.Name);
                var signature = method.DecodeSignature(names, null);
                if (Loaderish(signature.ReturnType) || signature.ParameterTypes.Any(Loaderish)) namers.Add(at);
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil && md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(names, null).Any(Loaderish)) namers.Add(at);
                if (Tokens(body).Any(t => Loaderish(names.Of(t)))) namers.Add(at);
            }
        }

        Assert.Equal(["Naova.WhatsAppToken.Loading.ModuleLoadContext"], derived);
        Assert.NotEmpty(namers); // the Core path does name them: this check sees them
        Assert.All(namers, at => Assert.Contains(CorePathTypes, t => at.StartsWith(t + ".", StringComparison.Ordinal) || at.StartsWith(t + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void CoreDependencyLoader_is_called_only_on_the_IsCoreClr_branch_of_Register()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.dll")));
        var md = pe.GetMetadataReader();
        var names = new TypeNames(md);
        var callers = new List<string>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            string typeName = names.Definition(typeHandle);
            if (CorePathTypes.Contains(typeName)) continue;
            foreach (var method in md.GetTypeDefinition(typeHandle).GetMethods().Select(md.GetMethodDefinition).Where(m => m.RelativeVirtualAddress != 0))
                if (Tokens(pe.GetMethodBody(method.RelativeVirtualAddress)).Any(t => CorePathTypes.Any(c => names.Of(t).StartsWith(c, StringComparison.Ordinal))))
                    callers.Add(typeName + "." + md.GetString(method.Name));
        }
        Assert.Equal(["Naova.WhatsAppToken.Loading.DependencyLoader.Register"], callers);

        var register = md.TypeDefinitions.Select(md.GetTypeDefinition).Single(t => md.GetString(t.Name) == "DependencyLoader")
            .GetMethods().Select(md.GetMethodDefinition).Single(m => md.GetString(m.Name) == "Register");
        var il = Instructions(pe.GetMethodBody(register.RelativeVirtualAddress)).ToList();
        int isCore = il.FindIndex(i => i.Token is EntityHandle h && names.Of(h).EndsWith("DependencyLoader.get_IsCoreClr", StringComparison.Ordinal));
        // A Debug build keeps the value in a local first (stloc, ldloc); nothing else may come between.
        var between = il.Skip(isCore + 1).TakeWhile(i => i.Code.Name!.StartsWith("stloc", StringComparison.Ordinal) || i.Code.Name!.StartsWith("ldloc", StringComparison.Ordinal) || i.Code == OpCodes.Nop).Count();
        var branch = il[isCore + 1 + between];
        Assert.True(branch.Code == OpCodes.Brfalse || branch.Code == OpCodes.Brfalse_S, "IsCoreClr is not followed by a branch taken when false: " + branch.Code);
        int core = il.FindIndex(i => i.Token is EntityHandle h && names.Of(h) == "Naova.WhatsAppToken.Loading.CoreDependencyLoader.Register");
        int desktop = il.FindIndex(i => i.Token is EntityHandle h && names.Of(h) == "Naova.WhatsAppToken.Loading.DesktopDependencyLoader.Register");
        Assert.True(isCore < core && il[core].Offset < branch.Target, "CoreDependencyLoader.Register is not on the IsCoreClr branch");
        Assert.True(il[desktop].Offset >= branch.Target, "DesktopDependencyLoader.Register is not on the other branch");
    }

    /// <summary>
    /// The Desktop handler itself, registered in a real pwsh 7.6.10 (RealPwsh/DesktopResolver.ps1), answering the engine
    /// and every reference that asks another version than the file shipped. What pwsh's own runtime has (System.Text.Json,
    /// System.Memory...) the runtime answers before any handler, and can not be made to hand over the shipped copy there:
    /// those lines are reported, not judged. Everything the host lacks must come from dependencies/net472, at least as new.
    /// </summary>
    [Fact]
    public async Task In_real_pwsh_the_AssemblyResolve_handler_answers_the_engine_and_the_mismatched_references_from_its_folder()
    {
        string folder = Path.Combine(Repo.ModuleFolder, "dependencies", "net472");
        var asked = Directory.GetFiles(folder, "*.dll").SelectMany(DesktopClosureTests.References)
            .Where(r => File.Exists(Path.Combine(folder, r.Name + ".dll")) && System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(folder, r.Name + ".dll")).Version != r.Version)
            .Select(r => r.FullName).Prepend("Naova.WhatsAppToken.Engine").Distinct().ToArray();
        string script = Path.Combine(Repo.Root, "tests", "Naova.WhatsAppToken.Tests", "RealPwsh", "DesktopResolver.ps1");

        var (exit, lines, errors) = await RealPwsh.RunAsync(script, new Dictionary<string, string>
        {
            ["NAOVA_CMDLETS"] = Path.Combine(Repo.ModuleFolder, "Naova.WhatsAppToken.dll"),
            ["NAOVA_NET472"] = folder,
            ["NAOVA_ASK"] = string.Join(";", asked),
        });

        Assert.True(exit == 0, "pwsh failed:\n" + string.Join("\n", lines) + "\n" + errors);
        foreach (string line in lines) output.WriteLine(line);
        var answers = lines.Where(l => l.StartsWith("asked=", StringComparison.Ordinal))
            .Select(l => l["asked=".Length..].Split('|'))
            .Select(parts => parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]).Append(KeyValuePair.Create("name", parts[0])).ToDictionary())
            .ToArray();
        Assert.Equal(asked.Length, answers.Length);
        var lacking = answers.Where(a => a["host"] == "False").ToArray();
        Assert.Contains(lacking, a => a["name"] == "Naova.WhatsAppToken.Engine");
        Assert.Contains(lacking, a => a["name"].StartsWith("Polly.Core", StringComparison.Ordinal) || a["name"].StartsWith("Microsoft.Bcl.TimeProvider", StringComparison.Ordinal));
        Assert.All(lacking, a =>
        {
            Assert.True(a.ContainsKey("from"), a["name"] + ": " + a.GetValueOrDefault("failed"));
            Assert.Equal(folder, Path.GetDirectoryName(a["from"]));
            var version = new System.Reflection.AssemblyName(a["name"]).Version;
            if (version != null) Assert.True(Version.Parse(a["version"]) >= version, a["name"] + " answered with " + a["version"]);
        });
    }

    private static bool Loaderish(string name) =>
        name.Contains("System.Runtime.Loader.", StringComparison.Ordinal) || name.Contains("Naova.WhatsAppToken.Loading.ModuleLoadContext", StringComparison.Ordinal);

    private static IEnumerable<EntityHandle> Tokens(MethodBodyBlock body) =>
        Instructions(body).Where(i => i.Token != null).Select(i => i.Token!.Value);

    private sealed record Instruction(int Offset, OpCode Code, EntityHandle? Token, int Target);

    /// <summary>The IL, decoded just enough: each instruction's opcode, its metadata token, and a branch's target.</summary>
    private static IEnumerable<Instruction> Instructions(MethodBodyBlock body)
    {
        var reader = body.GetILReader();
        while (reader.RemainingBytes > 0)
        {
            int offset = reader.Offset;
            short value = reader.ReadByte();
            if (value == 0xFE) value = unchecked((short)(0xFE00 | reader.ReadByte()));
            var code = Codes[value];
            EntityHandle? token = null;
            int target = -1;
            switch (code.OperandType)
            {
                case OperandType.InlineMethod: case OperandType.InlineField: case OperandType.InlineType: case OperandType.InlineTok:
                    token = MetadataTokens.EntityHandle(reader.ReadInt32()); break;
                case OperandType.ShortInlineBrTarget: target = reader.ReadSByte(); target += reader.Offset; break;
                case OperandType.InlineBrTarget: target = reader.ReadInt32(); target += reader.Offset; break;
                case OperandType.InlineSwitch: int n = reader.ReadInt32(); reader.Offset += 4 * n; break;
                case OperandType.ShortInlineI: case OperandType.ShortInlineVar: reader.Offset += 1; break;
                case OperandType.InlineVar: reader.Offset += 2; break;
                case OperandType.InlineI: case OperandType.ShortInlineR: case OperandType.InlineString: case OperandType.InlineSig: reader.Offset += 4; break;
                case OperandType.InlineI8: case OperandType.InlineR: reader.Offset += 8; break;
            }
            yield return new Instruction(offset, code, token, target);
        }
    }

    /// <summary>Full names of the types and members a token or a signature names.</summary>
    private sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string Definition(TypeDefinitionHandle handle)
        {
            var type = md.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil ? Join(md.GetString(type.Namespace), md.GetString(type.Name)) : Definition(declaring) + "/" + md.GetString(type.Name);
        }

        public string Of(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => Definition((TypeDefinitionHandle)handle),
            HandleKind.TypeReference => Reference((TypeReferenceHandle)handle),
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
            HandleKind.MethodDefinition => Member(md.GetMethodDefinition((MethodDefinitionHandle)handle)),
            HandleKind.FieldDefinition => Definition(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()) + "." + md.GetString(md.GetFieldDefinition((FieldDefinitionHandle)handle).Name),
            HandleKind.MemberReference => MemberReference(md.GetMemberReference((MemberReferenceHandle)handle)),
            HandleKind.MethodSpecification => Of(md.GetMethodSpecification((MethodSpecificationHandle)handle).Method) + "<" + string.Join(",", md.GetMethodSpecification((MethodSpecificationHandle)handle).DecodeSignature(this, null)) + ">",
            _ => handle.Kind.ToString(),
        };

        private string Member(MethodDefinition method) => Definition(method.GetDeclaringType()) + "." + md.GetString(method.Name);

        private string MemberReference(MemberReference member)
        {
            string signature = member.GetKind() == MemberReferenceKind.Method
                ? string.Join(",", member.DecodeMethodSignature(this, null).ParameterTypes.Append(member.DecodeMethodSignature(this, null).ReturnType))
                : member.DecodeFieldSignature(this, null);
            return Of(member.Parent) + "." + md.GetString(member.Name) + "(" + signature + ")";
        }

        private string Reference(TypeReferenceHandle handle)
        {
            var type = md.GetTypeReference(handle);
            string name = Join(md.GetString(type.Namespace), md.GetString(type.Name));
            return type.ResolutionScope.Kind == HandleKind.TypeReference ? Reference((TypeReferenceHandle)type.ResolutionScope) + "/" + name : name;
        }

        private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Definition(handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Reference(handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => Of(handle);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
    }
}
