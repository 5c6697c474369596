// A synthetic machine for the ACPI discovery tests: RSDP, XSDT and RSDT listing the given tables, all placed in
// fake physical memory at fixed addresses.
using System.Linq;
using static Kernel.HostTests.Acpi.AcpiTableBuilder;

namespace Kernel.HostTests.Acpi;

internal static class SyntheticAcpi
{
    public const ulong RsdpAt = 0xE0000;
    public const ulong XsdtAt = 0x1000;
    public const ulong RsdtAt = 0x1800;
    public const ulong FirstTableAt = 0x2000;
    public const ulong TableStride = 0x1000;

    /// <summary>A machine whose XSDT and RSDT both list the given tables at 0x2000, 0x3000, ...</summary>
    public static FakePhysicalMemory Machine(byte rsdpRevision, params byte[][] tables)
    {
        FakePhysicalMemory memory = new FakePhysicalMemory();
        ulong[] addresses = new ulong[tables.Length];
        for (int i = 0; i < tables.Length; i++)
        {
            addresses[i] = FirstTableAt + (ulong)i * TableStride;
            memory.Add(addresses[i], tables[i]);
        }

        memory.Add(XsdtAt, Xsdt(addresses));
        memory.Add(RsdtAt, Rsdt(addresses.Select(a => (uint)a).ToArray()));
        memory.Add(RsdpAt, Rsdp(rsdpRevision, (uint)RsdtAt, rsdpRevision >= 2 ? XsdtAt : 0));
        return memory;
    }

    public static byte[] SimpleMadt() => MadtTable(0xFEE00000, 1, 1, LocalApic(0, 0, 1));

    public static byte[] Hpet() => Sdt("HPET", new byte[20]);

    public static string[] Signatures(Kernel.Acpi.AcpiTables tables) =>
        Enumerable.Range(0, tables.Count).Select(i => tables[i].Signature).ToArray();
}
