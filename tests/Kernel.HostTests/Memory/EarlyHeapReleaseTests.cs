// Tests for what the early heap's give-back relies on: the frame allocator's bitmap size for a map (the top-up
// before ExitBootServices reserves it) and loader pages handed back as free.
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class EarlyHeapReleaseTests
{
    private const ulong Page = 4096;

    [Fact]
    public void BitmapBytesForAMapAreWhatTheAllocatorBuiltFromItNeeds()
    {
        // 64 MiB of usable memory ending at 0x0410_0000, and an MMIO window far above that does not count.
        MemoryMap map = FrameAllocatorTests.BuildMap(
            (MemoryType.Conventional, 0x0010_0000, 0x4000),
            (MemoryType.MemoryMappedIo, 0xFE00_0000, 0x10));

        ulong frames = 0x0410_0000 / Page;
        Assert.Equal(2 * ((frames + 63) / 64) * 8, FrameAllocator.BitmapBytesFor(map));
    }

    [Fact]
    public void BitmapBytesGrowWithTheHighestUsableAddress()
    {
        MemoryMap small = FrameAllocatorTests.BuildMap((MemoryType.Conventional, 0x0010_0000, 0x3F00));        // 64 MiB
        MemoryMap large = FrameAllocatorTests.BuildMap((MemoryType.Conventional, 0x0010_0000, 0x3F00),
            (MemoryType.Conventional, 1UL << 32, 0x300000));                                                     // + 12 GiB above 4 GiB

        Assert.Equal(2UL * 0x4000 / 64 * 8, FrameAllocator.BitmapBytesFor(small));
        Assert.Equal(2UL * ((1UL << 32) + (0x300000UL * Page)) / Page / 64 * 8, FrameAllocator.BitmapBytesFor(large));
    }

    [Fact]
    public void ReleasedLoaderPagesBecomeFreeAndLeaveTheLoadersReservedBytes()
    {
        // The loader data lies above every conventional region: the bitmaps must still cover it.
        FrameAllocator allocator = FrameAllocator.FromMemoryMap(FrameAllocatorTests.BuildMap(
            (MemoryType.Conventional, 0x0010_0000, 0x100),
            (MemoryType.LoaderData, 0x0020_0000, 0x40)), includeBootServices: false);
        ulong freeBefore = allocator.FreeFrames;

        allocator.ReleaseLoaderPages(0x0022_0000, 0x20);

        Assert.Equal(freeBefore + 0x20, allocator.FreeFrames);
        Assert.Equal(0x20 * Page, allocator.ReservedBytes(MemoryType.LoaderData));
        Assert.True(allocator.IsFree(0x0022_0000));
        Assert.True(allocator.IsFree(0x0023_F000));
        Assert.False(allocator.IsFree(0x0021_F000));
    }
}
