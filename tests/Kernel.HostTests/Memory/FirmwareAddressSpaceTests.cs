// Tests for FirmwareAddressSpace on simulated RAM: runtime pages exist only in the firmware's space, with their
// planned rights; the kernel's mappings are all visible there, later ones too; the kernel's tables are untouched.
using System.Collections.Generic;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class FirmwareAddressSpaceTests
{
    private const ulong Page = 4096;
    private const ulong ImagePage = 0x20_0000;            // slot 0: the kernel image, identity
    private const ulong RuntimeCode = 0x40_0000;          // slot 0: runtime code, identity
    private const ulong RuntimeData = 0x40_2000;
    private const ulong HeapPage = 0x0000_4444_4444_0000; // slot 136
    private const ulong StackPage = 0xFFFF_FF00_0000_1000; // slot 510
    private const ulong MmioPage = 0xFFFF_FE00_0000_0000;  // slot 508, created after the build

    private readonly SimulatedPhysicalMemory _ram = new(8 << 20);
    private readonly RecordingTranslationCache _tlb = new();
    private readonly PageTableMapper _kernel;

    public FirmwareAddressSpaceTests()
    {
        _kernel = new PageTableMapper(_ram.CreateRoot(), _ram, _ram, _tlb);
        Assert.Equal(MapResult.Ok, _kernel.Map(ImagePage, ImagePage, PageFlags.None));
        Assert.Equal(MapResult.Ok, _kernel.Map(HeapPage, 0x30_0000, PageFlags.Writable | PageFlags.NoExecute));
        Assert.Equal(MapResult.Ok, _kernel.Map(StackPage, 0x30_1000, PageFlags.Writable | PageFlags.NoExecute));
    }

    private static List<RuntimeMapping> Plan() => new()
    {
        new RuntimeMapping(RuntimeCode, 2, writable: false, executable: true, fromAttributesTable: true),
        new RuntimeMapping(RuntimeData, 1, writable: true, executable: false, fromAttributesTable: true),
        new RuntimeMapping(0, 1, writable: true, executable: false, fromAttributesTable: false),
        new RuntimeMapping(0xFFC0_0000, 1, writable: true, executable: false, fromAttributesTable: false, device: true),
    };

    private FirmwareAddressSpace Build()
    {
        Assert.Equal(MapResult.Ok, FirmwareAddressSpace.TryBuild(_kernel, _ram, _ram, _tlb, Plan(), PageFlags.NoExecute, Page, out FirmwareAddressSpace space));
        return space;
    }

    [Fact]
    public void RuntimePagesAreMappedIdentityWithTheirRightsOnlyInTheFirmwareSpace()
    {
        FirmwareAddressSpace space = Build();
        Assert.True(space.Mapper.Translate(RuntimeCode + Page, out ulong physical, out PageFlags flags, out _));
        Assert.Equal(RuntimeCode + Page, physical);
        Assert.Equal(PageFlags.Present, flags);
        Assert.True(space.Mapper.Translate(RuntimeData, out _, out flags, out _));
        Assert.Equal(PageFlags.Present | PageFlags.Writable | PageFlags.NoExecute, flags);
        Assert.True(space.Mapper.Translate(0xFFC0_0000, out _, out flags, out _));
        Assert.Equal(PageFlags.Present | PageFlags.Writable | PageFlags.NoExecute | PageFlags.CacheDisable | PageFlags.WriteThrough, flags);
        Assert.False(space.Mapper.Translate(0, out _, out _, out _));   // page 0 stays unmapped
        Assert.False(_kernel.Translate(RuntimeCode, out _, out _, out _));
        Assert.False(_kernel.Translate(RuntimeData, out _, out _, out _));
        Assert.True(space.IsPrivateSlot(0));
        Assert.False(space.IsPrivateSlot(136));
    }

    [Fact]
    public void KernelMappingsAreVisibleWithTheSameFramesAndRights()
    {
        FirmwareAddressSpace space = Build();
        foreach (ulong address in new[] { ImagePage, HeapPage, StackPage })
        {
            Assert.True(_kernel.Translate(address, out ulong kernelPhysical, out PageFlags kernelFlags, out _));
            Assert.True(space.Mapper.Translate(address, out ulong physical, out PageFlags flags, out _), $"0x{address:X} missing");
            Assert.Equal(kernelPhysical, physical);
            Assert.Equal(kernelFlags, flags);
        }
        // Shared slots point at the kernel's own tables; the private slot is a copy.
        Assert.Equal(_ram.Entry(_kernel.Root, 136), _ram.Entry(space.Root, 136));
        Assert.NotEqual(_ram.Entry(_kernel.Root, 0), _ram.Entry(space.Root, 0));
    }

    [Fact]
    public void LaterKernelMappingsAppearAfterSharing()
    {
        FirmwareAddressSpace space = Build();
        Assert.Equal(MapResult.Ok, _kernel.Map(MmioPage, 0x30_2000, PageFlags.Writable | PageFlags.NoExecute));
        Assert.Equal(MapResult.Ok, _kernel.Map(HeapPage + Page, 0x30_3000, PageFlags.Writable | PageFlags.NoExecute));
        Assert.True(space.Mapper.Translate(HeapPage + Page, out _, out _, out _));   // same lower tables already
        Assert.False(space.Mapper.Translate(MmioPage, out _, out _, out _));         // new top-level entry: not yet
        space.ShareKernelEntries();
        Assert.True(space.Mapper.Translate(MmioPage, out ulong physical, out _, out _));
        Assert.Equal(0x30_2000UL, physical);
        Assert.True(space.Mapper.Translate(RuntimeCode, out _, out _, out _));       // sharing leaves private slots alone
    }

    [Fact]
    public void RunningOutOfFramesIsReported()
    {
        _ram.RunOutAfter(2);
        Assert.Equal(MapResult.OutOfFrames, FirmwareAddressSpace.TryBuild(_kernel, _ram, _ram, _tlb, Plan(), PageFlags.NoExecute, Page, out FirmwareAddressSpace space));
        Assert.Null(space);
    }

    [Fact]
    public void AuditFindsTheFirmwareSpacesWritableExecutablePagesButNoneInTheKernels()
    {
        var plan = Plan();
        plan.Add(new RuntimeMapping(0x50_0000, 3, writable: true, executable: true, fromAttributesTable: false));
        Assert.Equal(MapResult.Ok, FirmwareAddressSpace.TryBuild(_kernel, _ram, _ram, _tlb, plan, PageFlags.NoExecute, Page, out FirmwareAddressSpace space));
        PageTableAudit firmware = PageTableAudit.Run(_ram, space.Root, noExecuteEnabled: true, keepRanges: 4);
        Assert.Equal(3UL, firmware.WritableExecutablePages);
        Assert.Equal(1, firmware.Ranges);
        Assert.Equal("0x500000 +3 pages", firmware.Range(0).ToString());
        Assert.Equal(0UL, PageTableAudit.Run(_ram, _kernel.Root, noExecuteEnabled: true, keepRanges: 4).WritableExecutablePages);
    }
}
