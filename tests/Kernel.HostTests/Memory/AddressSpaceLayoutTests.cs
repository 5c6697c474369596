// Tests for AddressSpaceLayout: the direct map and the kernel stacks are canonical higher-half regions in their
// own PML4 slots, never overlap for any realistic amount of RAM, and can actually be built with the page sizes
// the kernel uses.
using System;
using System.Linq;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class AddressSpaceLayoutTests
{
    private const ulong Page = 4096;
    private const ulong OneGiB = 1UL << 30;
    private const ulong OneTiB = 1UL << 40;
    private const ulong SixtyFourTiB = 64 * OneTiB;

    private static int Pml4Slot(ulong virtualAddress) => (int)((virtualAddress >> 39) & 511);

    private static bool IsHigherHalf(ulong virtualAddress) => PageTableMapper.IsCanonical(virtualAddress) && (virtualAddress >> 63) == 1;

    // The stack region: an unmapped guard page, then the boot CPU's stack.
    private static ulong StackRegionEnd => AddressSpaceLayout.KernelStacksBase + Page + AddressSpaceLayout.KernelStackBytes;

    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0x1000UL)]
    [InlineData(0xFEE0_0000UL)]
    [InlineData(0x1_2345_6789UL)]
    [InlineData(SixtyFourTiB - 1)]
    public void PhysicalToVirtualAddsTheDirectMapOffset(ulong physical)
    {
        ulong virtualAddress = AddressSpaceLayout.PhysicalToVirtual(physical);

        Assert.Equal(0xFFFF_8000_0000_0000UL + physical, virtualAddress);
        Assert.True(IsHigherHalf(virtualAddress), $"0x{virtualAddress:X}");
        Assert.True(virtualAddress < AddressSpaceLayout.KernelStacksBase);
    }

    [Fact]
    public void DirectMapAndStacksAreCanonicalHigherHalfAddresses()
    {
        Assert.True(IsHigherHalf(AddressSpaceLayout.PhysicalMemoryOffset));
        Assert.True(IsHigherHalf(AddressSpaceLayout.PhysicalToVirtual(0)));
        Assert.True(IsHigherHalf(AddressSpaceLayout.KernelStacksBase));
        Assert.True(IsHigherHalf(StackRegionEnd - 1));
        Assert.True(StackRegionEnd > AddressSpaceLayout.KernelStacksBase); // no wrap past the top
    }

    [Fact]
    public void DirectMapAndStacksLiveInDistinctPml4Slots()
    {
        int directMap = Pml4Slot(AddressSpaceLayout.PhysicalMemoryOffset);
        int stacks = Pml4Slot(AddressSpaceLayout.KernelStacksBase);

        Assert.Equal(256, directMap);        // the first higher-half slot
        Assert.Equal(510, stacks);
        Assert.Equal(stacks, Pml4Slot(StackRegionEnd - 1));
        Assert.NotEqual(directMap, stacks);
        Assert.NotEqual(0, directMap);       // the low half (identity mappings) keeps slot 0
    }

    [Theory]
    [InlineData(4UL << 30)]
    [InlineData(1UL << 40)]
    [InlineData(SixtyFourTiB)]
    public void TheDirectMapOfAllRamStaysClearOfTheStacks(ulong ramBytes)
    {
        ulong start = AddressSpaceLayout.PhysicalToVirtual(0);
        ulong end = AddressSpaceLayout.PhysicalToVirtual(ramBytes); // exclusive

        Assert.True(end > start, "the direct map wraps");
        Assert.True(end <= AddressSpaceLayout.KernelStacksBase, $"direct map ends at 0x{end:X}");
        var slots = Enumerable.Range(Pml4Slot(start), Pml4Slot(end - 1) - Pml4Slot(start) + 1).ToList();
        Assert.DoesNotContain(Pml4Slot(AddressSpaceLayout.KernelStacksBase), slots);
        Assert.DoesNotContain(0, slots);
        Assert.All(slots, s => Assert.InRange(s, 256, 511));
    }

    [Fact]
    public void TheDirectMapHasRoomFor127TiBBeforeTheStacks()
    {
        Assert.Equal(AddressSpaceLayout.KernelStacksBase, AddressSpaceLayout.PhysicalToVirtual(127 * OneTiB));
    }

    [Fact]
    public void RegionsAreAlignedForThePagesThatMapThem()
    {
        // The direct map uses 1 GiB pages when the CPU has them, so its base must be 1 GiB aligned.
        Assert.Equal(0UL, AddressSpaceLayout.PhysicalMemoryOffset % OneGiB);
        Assert.Equal(0UL, AddressSpaceLayout.MinimumDirectMapBytes % OneGiB);
        Assert.True(AddressSpaceLayout.MinimumDirectMapBytes >= 4UL << 30, "must cover the 32-bit MMIO hole");
        Assert.Equal(0UL, AddressSpaceLayout.KernelStacksBase % Page);
        Assert.Equal(0UL, AddressSpaceLayout.KernelStackBytes % Page);
        Assert.True(AddressSpaceLayout.KernelStackBytes >= 16 * Page);
        // ILC relies on a fault for null field accesses at offsets below 32 KiB.
        Assert.Equal(32 * 1024UL, AddressSpaceLayout.NullGuardBytes);
        Assert.True(AddressSpaceLayout.PhysicalToVirtual(0) >= AddressSpaceLayout.NullGuardBytes);
    }

    [Theory]
    [InlineData(PageSize.Size1GiB, SixtyFourTiB)]
    [InlineData(PageSize.Size2MiB, 8UL << 30)]
    public void TheLayoutCanBeMappedWithoutCollisions(PageSize size, ulong ramBytes)
    {
        // What the kernel builds: the direct map in huge pages, then the stack in 4 KiB pages above a guard page.
        var ram = new SimulatedPhysicalMemory(4 << 20);
        var mapper = new PageTableMapper(ram.CreateRoot(), ram, ram, new RecordingTranslationCache());
        PageFlags data = PageFlags.Writable | PageFlags.NoExecute;

        for (ulong physical = 0; physical < ramBytes; physical += (ulong)size)
            Assert.Equal(MapResult.Ok, mapper.Map(AddressSpaceLayout.PhysicalToVirtual(physical), physical, data | PageFlags.Global, size));
        ulong bottom = AddressSpaceLayout.KernelStacksBase + Page;
        for (ulong page = bottom; page < bottom + AddressSpaceLayout.KernelStackBytes; page += Page)
            Assert.Equal(MapResult.Ok, mapper.Map(page, 0x10_0000 + (page - bottom), data));

        foreach (ulong physical in new[] { 0UL, 0xB8000UL, 0xFEE0_0123UL, ramBytes / 3, ramBytes - 1 })
        {
            Assert.True(mapper.Translate(AddressSpaceLayout.PhysicalToVirtual(physical), out ulong back, out _, out PageSize actual));
            Assert.Equal(physical, back);
            Assert.Equal(size, actual);
        }

        Assert.False(mapper.Translate(AddressSpaceLayout.KernelStacksBase, out _, out _, out _), "the guard page is mapped");
        Assert.False(mapper.Translate(AddressSpaceLayout.PhysicalToVirtual(ramBytes), out _, out _, out _));
        Assert.True(mapper.Translate(bottom + AddressSpaceLayout.KernelStackBytes - 8, out ulong top, out _, out _));
        Assert.Equal(0x10_0000 + AddressSpaceLayout.KernelStackBytes - 8, top);
        Assert.False(mapper.Translate(0, out _, out _, out _));
    }
}
