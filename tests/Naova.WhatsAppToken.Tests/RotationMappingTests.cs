using System.Globalization;
using System.Reflection;
using Naova.WhatsAppToken.Tests.Infrastructure;

namespace Naova.WhatsAppToken.Tests;

/// <summary>
/// What Update-WaToken makes of the engine's rotation, read from the module as loaded: the engine's enums mapped one by
/// one (no casts), and the key that names a secret's lock and journal, which must not change with the UI language.
/// </summary>
public sealed class RotationMappingTests
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    [Fact]
    public void Every_engine_action_and_step_maps_to_the_module_value_of_the_same_name()
    {
        using var ps = new PsSession();
        var reporter = Module(ps).GetType("Naova.WhatsAppToken.RotationReporter", throwOnError: true)!;

        // The engine's enums as the module sees them (its own copy of the engine, loaded from dependencies/).
        var maps = reporter.GetMethods(Any).Where(m => m.Name == "Map").ToArray();
        Assert.Equal(new[] { "RotationAction", "RotationStep" }, maps.Select(m => m.GetParameters()[0].ParameterType.Name).OrderBy(n => n));
        foreach (var map in maps)
        {
            var type = map.GetParameters()[0].ParameterType;
            var mapped = Enum.GetValues(type).Cast<object>().Select(v => (From: v.ToString(), To: map.Invoke(null, new[] { v })!)).ToArray();
            Assert.All(mapped, m => Assert.Equal(m.From, m.To.ToString()));
            Assert.Equal(Enum.GetValues(map.ReturnType).Length, mapped.Length);
        }
    }

    [Fact]
    public void A_secrets_key_is_the_same_in_every_language_though_its_words_are_not()
    {
        using var ps = new PsSession();
        var module = Module(ps);
        var store = module.GetType("Naova.WhatsAppToken.TokenStore", true)!.GetMethod("ForVault", Any)!.Invoke(null, new object?[] { null, "Prod" });
        var adapter = Activator.CreateInstance(module.GetType("Naova.WhatsAppToken.RotationStoreAdapter", true)!, Any, null, new[] { store, null }, null)!;
        var keyOf = adapter.GetType().GetMethod("KeyOf")!;
        var place = store!.GetType().GetMethod("Place")!;
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en-US");
            var english = (Key: (string)keyOf.Invoke(adapter, new object[] { "WHATSAPP_ACCESS_TOKEN" })!, Words: place.Invoke(store, new object[] { "WHATSAPP_ACCESS_TOKEN" })!.ToString());
            CultureInfo.CurrentUICulture = new CultureInfo("es-ES");
            var spanish = (Key: (string)keyOf.Invoke(adapter, new object[] { "WHATSAPP_ACCESS_TOKEN" })!, Words: place.Invoke(store, new object[] { "WHATSAPP_ACCESS_TOKEN" })!.ToString());

            Assert.NotEqual(english.Words, spanish.Words);
            Assert.Equal(english.Key, spanish.Key);
            Assert.Equal("VAULT|PROD|WHATSAPP_ACCESS_TOKEN", english.Key);
            Assert.NotEqual(english.Key, keyOf.Invoke(adapter, new object[] { "OTHER_TOKEN" }));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static Assembly Module(PsSession ps) =>
        (Assembly)ps.Run("[Naova.WhatsAppToken.WaToken].Assembly").AssertClean().Output.Single().BaseObject;
}
