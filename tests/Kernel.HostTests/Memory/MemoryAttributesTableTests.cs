// Tests for MemoryAttributesTable (UEFI 2.10 §4.6.4) and RuntimeMappings: what a good table says, every refusal,
// and the rights each runtime page gets with and without a table.
using System;
using System.Collections.Generic;
using System.Linq;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class MemoryAttributesTableTests
{
    private const ulong Page = 4096;
    private const ulong Runtime = 1UL << 63;
    private const ulong Ro = 0x20000, Xp = 0x4000;
    private const ulong CodeStart = 0x0F00_0000, DataStart = 0x0F10_0000;

    // A map with conventional memory, a 16-page runtime code region, an adjacent 8-page runtime code region (the
    // firmware split it), a 4-page runtime data region, and runtime MMIO.
    private static MemoryMap Map()
    {
        var entries = new (MemoryType Type, ulong Start, ulong Pages, ulong Attribute)[]
        {
            (MemoryType.Conventional, 0x10_0000, 0x100, 0xF),
            (MemoryType.RuntimeServicesCode, CodeStart, 16, 0xF | Runtime),
            (MemoryType.RuntimeServicesCode, CodeStart + 16 * Page, 8, 0xF | Runtime),
            (MemoryType.RuntimeServicesData, DataStart, 4, 0xF | Runtime),
            (MemoryType.MemoryMappedIo, 0xFFC0_0000, 0x400, 1 | Runtime),
            (MemoryType.MemoryMappedIo, 0xFEC0_0000, 1, 1),
        };
        byte[] bytes = Descriptors(48, entries.Select(e => ((uint)e.Type, e.Start, e.Pages, e.Attribute)).ToArray());
        Assert.True(MemoryMap.TryParse(bytes, bytes.Length, 48, out MemoryMap map, out _));
        return map;
    }

    private static byte[] Descriptors(int size, params (uint Type, ulong Start, ulong Pages, ulong Attribute)[] entries)
    {
        byte[] bytes = new byte[entries.Length * size];
        for (int i = 0; i < entries.Length; i++)
        {
            BitConverter.GetBytes(entries[i].Type).CopyTo(bytes, i * size);
            BitConverter.GetBytes(entries[i].Start).CopyTo(bytes, i * size + 8);
            BitConverter.GetBytes(entries[i].Pages).CopyTo(bytes, i * size + 24);
            BitConverter.GetBytes(entries[i].Attribute).CopyTo(bytes, i * size + 32);
        }
        return bytes;
    }

    private static byte[] Table(uint version, uint descriptorSize, uint flags, params (MemoryType Type, ulong Start, ulong Pages, ulong Attribute)[] entries) =>
        TableWithCount(version, (uint)entries.Length, descriptorSize, flags, entries);

    private static byte[] TableWithCount(uint version, uint count, uint descriptorSize, uint flags, params (MemoryType Type, ulong Start, ulong Pages, ulong Attribute)[] entries)
    {
        byte[] body = Descriptors((int)Math.Max(descriptorSize, 40), entries.Select(e => ((uint)e.Type, e.Start, e.Pages, e.Attribute)).ToArray());
        byte[] bytes = new byte[16 + body.Length];
        BitConverter.GetBytes(version).CopyTo(bytes, 0);
        BitConverter.GetBytes(count).CopyTo(bytes, 4);
        BitConverter.GetBytes(descriptorSize).CopyTo(bytes, 8);
        BitConverter.GetBytes(flags).CopyTo(bytes, 12);
        body.CopyTo(bytes, 16);
        return bytes;
    }

    // What OVMF publishes, in miniature: each runtime driver split into RO code and XP data, data region all XP.
    private static byte[] GoodTable(uint version = 2, uint flags = 1) => Table(version, 48, flags,
        (MemoryType.RuntimeServicesData, DataStart, 4, Runtime | Xp),
        (MemoryType.RuntimeServicesCode, CodeStart + Page, 6, Runtime | Ro),
        (MemoryType.RuntimeServicesData, CodeStart, 1, Runtime | Xp),
        (MemoryType.RuntimeServicesData, CodeStart + 7 * Page, 9 + 8, Runtime | Xp)); // spans both code regions

    [Fact]
    public void ParsesAGoodTableSortedByAddress()
    {
        Assert.Equal(MemoryAttributesStatus.Ok, MemoryAttributesTable.TryParse(GoodTable(), Map(), out MemoryAttributesTable table, out int bad));
        Assert.Equal(-1, bad);
        Assert.Equal(2u, table.Version);
        Assert.Equal(MemoryAttributesTable.ForwardControlFlowGuardFlag, table.Flags);
        Assert.Equal(new[] { CodeStart, CodeStart + Page, CodeStart + 7 * Page, DataStart }, Enumerable.Range(0, table.Count).Select(i => table[i].PhysicalStart));
    }

    [Fact]
    public void VersionOneHasNoFlags()
    {
        Assert.Equal(MemoryAttributesStatus.Ok, MemoryAttributesTable.TryParse(GoodTable(version: 1), Map(), out MemoryAttributesTable table, out _));
        Assert.Equal(0u, table.Flags);
    }

    public static IEnumerable<object[]> BadTables() => new[]
    {
        new object[] { new byte[15], MemoryAttributesStatus.TooShort, -1 },
        new object[] { GoodTable(version: 3), MemoryAttributesStatus.UnsupportedVersion, -1 },
        new object[] { GoodTable(version: 0), MemoryAttributesStatus.UnsupportedVersion, -1 },
        new object[] { Table(1, 32, 0, (MemoryType.RuntimeServicesCode, CodeStart, 1, Ro)), MemoryAttributesStatus.DescriptorTooSmall, -1 },
        new object[] { TableWithCount(1, 0xFFFF_FFFF, 0xFFFF_FFFF, 0), MemoryAttributesStatus.TooManyEntries, -1 },
        new object[] { TableWithCount(1, 1025, 48, 0), MemoryAttributesStatus.TooManyEntries, -1 },
        new object[] { TableWithCount(1, 3, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart, 1, Ro)), MemoryAttributesStatus.Truncated, -1 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart, 0, Ro)), MemoryAttributesStatus.EmptyEntry, 0 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart + 8, 1, Ro)), MemoryAttributesStatus.Misaligned, 0 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart, 1, Ro), (MemoryType.BootServicesCode, CodeStart + Page, 1, Ro)), MemoryAttributesStatus.NotRuntimeType, 1 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesCode, 0x10_0000, 1, Ro)), MemoryAttributesStatus.OutsideRuntimeRegions, 0 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart + 20 * Page, 5, Ro)), MemoryAttributesStatus.OutsideRuntimeRegions, 0 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesData, DataStart, 5, Xp)), MemoryAttributesStatus.OutsideRuntimeRegions, 0 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesData, 0xFFFF_FFFF_FFFF_F000, 2, Xp)), MemoryAttributesStatus.OutsideRuntimeRegions, 0 },
        new object[] { Table(1, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart + 2 * Page, 2, Ro), (MemoryType.RuntimeServicesData, CodeStart, 3, Xp)), MemoryAttributesStatus.Overlapping, 1 },
    };

    [Theory]
    [MemberData(nameof(BadTables))]
    public void RefusesBadTablesWithTheirReason(byte[] bytes, MemoryAttributesStatus expected, int expectedEntry)
    {
        Assert.Equal(expected, MemoryAttributesTable.TryParse(bytes, Map(), out MemoryAttributesTable table, out int bad));
        Assert.Null(table);
        Assert.Equal(expectedEntry, bad);
        Assert.NotEqual("unknown problem", MemoryAttributesTable.Describe(expected));
    }

    [Fact]
    public void PlanTakesRightsFromTheTableAndCoversEveryRuntimePage()
    {
        Assert.Equal(MemoryAttributesStatus.Ok, MemoryAttributesTable.TryParse(GoodTable(), Map(), out MemoryAttributesTable table, out _));
        List<RuntimeMapping> plan = RuntimeMappings.Plan(Map(), table);
        var got = plan.Select(m => (m.PhysicalStart, m.PageCount, m.Writable, m.Executable, m.FromAttributesTable, m.Device)).ToArray();
        Assert.Equal(new[]
        {
            (CodeStart, 1UL, true, false, true, false),
            (CodeStart + Page, 6UL, false, true, true, false),
            (CodeStart + 7 * Page, 9UL, true, false, true, false),       // the spanning entry, cut at the region boundary
            (CodeStart + 16 * Page, 8UL, true, false, true, false),
            (DataStart, 4UL, true, false, true, false),
            (0xFFC0_0000UL, 0x400UL, true, false, false, true),         // runtime MMIO; the other MMIO is not mapped
        }, got);
        Assert.DoesNotContain(plan, m => m.Writable && m.Executable);
    }

    [Fact]
    public void PlanFallsBackByTypeWhereTheTableIsSilent()
    {
        byte[] partial = Table(1, 48, 0, (MemoryType.RuntimeServicesCode, CodeStart + 2 * Page, 2, Runtime | Ro));
        Assert.Equal(MemoryAttributesStatus.Ok, MemoryAttributesTable.TryParse(partial, Map(), out MemoryAttributesTable table, out _));
        var got = RuntimeMappings.Plan(Map(), table).Select(m => (m.PhysicalStart, m.PageCount, m.Writable, m.Executable, m.FromAttributesTable)).ToArray();
        Assert.Equal((CodeStart, 2UL, true, true, false), got[0]);
        Assert.Equal((CodeStart + 2 * Page, 2UL, false, true, true), got[1]);
        Assert.Equal((CodeStart + 4 * Page, 12UL, true, true, false), got[2]);
    }

    [Fact]
    public void WithoutATableCodeIsWritableAndExecutableAndDataIsNot()
    {
        var got = RuntimeMappings.Plan(Map(), null).Select(m => (m.PhysicalStart, m.PageCount, m.Writable, m.Executable)).ToArray();
        Assert.Equal(new[]
        {
            (CodeStart, 16UL, true, true),
            (CodeStart + 16 * Page, 8UL, true, true),
            (DataStart, 4UL, true, false),
            (0xFFC0_0000UL, 0x400UL, true, false),
        }, got);
    }
}
