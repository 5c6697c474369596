// A small, hand-trimmed lld-link /map in the shape the kernel build produces (artifacts/native/*/BOOTX64.map):
// the header, the section table, .absolut lines, native and managed code, MethodTables (??_7...@@6B@), unwind
// data that must be skipped, the entry point line and the "Static symbols" part.
namespace Kernel.HostTests.Diagnostics;

internal static class LinkMapExcerpt
{
    public const ulong ImageBase = 0x140000000;

    public const string Text = """
 BOOTX64

 Timestamp is 6b07b8bd (Thu Nov 26 04:42:37 2026)

 Preferred load address is 0000000140000000

 Start         Length     Name                   Class
 0001:00000000 000013adH .text                   CODE
 0002:00000000 000046b8H .rdata                  DATA
 0002:000046b8 00001975H .xdata                  DATA
 0005:00000000 0000ad6aH .managedcode$I          CODE

  Address         Publics by Value              Rva+Base               Lib:Object

 0000:00000000       .absolut                   0000000000000000     <absolute>
 0000:00000000       .absolut                   0000000000000000     <absolute>
 0001:00000240       cpu_halt                   0000000140001240     cpu.obj
 0001:00000242       cpu_halt_forever           0000000140001242     cpu.obj
 0001:00001280       interrupt_common           0000000140002280     interrupt_stubs.obj
 0002:000000bc       g_requiredCpuFeatures      00000001400030bc     Kernel.obj
 0002:000001e8       ??_7Corelib_System_Exception@@6B@ 00000001400031e8     Kernel.obj
 0002:00000368       ??_7Corelib_System_NullReferenceException@@6B@ 0000000140003368     Kernel.obj
 0002:000008b0       ??_7Kernel_Kernel_Boot_SymbolTable@@6B@ 00000001400038b0     Kernel.obj
 0002:00004920       _unwind0Corelib_System_Number__Format 0000000140007920     Kernel.obj
 0002:00005df0       _unwind0Kernel_Kernel_Boot_Panic__Halt_0 0000000140008df0     Kernel.obj
 0002:00005ec0       _unwind0Kernel_Kernel_Boot_SymbolTable__TryParse 0000000140008ec0     Kernel.obj
 0005:00000ca0       Corelib_System_Number__Format 0000000140013ca0     Kernel.obj
 0005:00000d80       Corelib_System_Number__Format_0 0000000140013d80     Kernel.obj
 0005:00009c60       Kernel_Kernel_Boot_Panic__Halt_0 000000014001cc60     Kernel.obj
 0005:0000a440       Kernel_Kernel_Boot_SymbolTable__TryParse 000000014001d440     Kernel.obj
 0005:0000a6a0       Kernel_Kernel_Boot_SymbolTable__FindCode 000000014001d6a0     Kernel.obj

 entry point at         0005:00008060

 Static symbols

 0001:00000243       cpu_halt_forever.again     0000000140001243     cpu.obj
""";

    /// <summary>What LinkMapSymbols.Parse should make of Text, in table order: (RVA, name, kind).</summary>
    public static readonly (uint Rva, string Name, uint Kind)[] Expected =
    {
        (0x1240, "cpu_halt", 0),
        (0x1242, "cpu_halt_forever", 0),
        (0x1243, "cpu_halt_forever.again", 0),
        (0x2280, "interrupt_common", 0),
        (0x30bc, "g_requiredCpuFeatures", 2),
        (0x31e8, "System.Exception", 1),
        (0x3368, "System.NullReferenceException", 1),
        (0x38b0, "Kernel.Boot.SymbolTable", 1),
        (0x13ca0, "System.Number::Format", 0),
        (0x13d80, "System.Number::Format_0", 0),
        (0x1cc60, "Kernel.Boot.Panic::Halt_0", 0),
        (0x1d440, "Kernel.Boot.SymbolTable::TryParse", 0),
        (0x1d6a0, "Kernel.Boot.SymbolTable::FindCode", 0),
    };
}
