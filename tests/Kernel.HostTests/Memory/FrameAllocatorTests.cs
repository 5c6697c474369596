// Tests for FrameAllocator: which memory it owns from a UEFI map, allocation until exhaustion, every rejected free,
// contiguous and aligned runs (below a limit too), Reserve / AddFreeRange, the tracking limit, and randomized bookkeeping checks.
using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using Kernel.HostTests.PropertyTesting;
using Kernel.Memory;
using Xunit;

namespace Kernel.HostTests.Memory;

public class FrameAllocatorTests
{
    private const ulong Page = 4096;
    private const ulong OneMiB = 1UL << 20;
    private const ulong OneTiB = 1UL << 40;

    /// <summary>Builds a GetMemoryMap-style buffer (48-byte descriptors) and parses it.</summary>
    internal static MemoryMap BuildMap(params (MemoryType Type, ulong Start, ulong Pages)[] entries)
    {
        const int descriptorSize = 48;
        byte[] buffer = new byte[entries.Length * descriptorSize];
        Array.Fill(buffer, (byte)0xCC);
        for (int i = 0; i < entries.Length; i++)
        {
            int at = i * descriptorSize;
            BitConverter.GetBytes((uint)entries[i].Type).CopyTo(buffer, at);
            BitConverter.GetBytes(entries[i].Start).CopyTo(buffer, at + 8);
            BitConverter.GetBytes(0UL).CopyTo(buffer, at + 16);
            BitConverter.GetBytes(entries[i].Pages).CopyTo(buffer, at + 24);
            BitConverter.GetBytes(0xFUL).CopyTo(buffer, at + 32);
        }

        Assert.True(MemoryMap.TryParse(buffer, buffer.Length, descriptorSize, out MemoryMap map, out MemoryMapError error), MemoryMap.Describe(error));
        return map;
    }

    // Shaped like a small OVMF map: low memory, holes of every kind, boot-services memory as the highest usable region.
    private static readonly (MemoryType Type, ulong Start, ulong Pages)[] Typical =
    {
        (MemoryType.BootServicesCode, 0x0000_0000, 0x1),
        (MemoryType.Conventional, 0x0000_1000, 0x9F),      // below 1 MiB: never handed out
        (MemoryType.Reserved, 0x000A_0000, 0x60),
        (MemoryType.Conventional, 0x0010_0000, 0x700),     // 1 MiB .. 8 MiB
        (MemoryType.AcpiNvs, 0x0080_0000, 0x8),
        (MemoryType.Conventional, 0x0080_8000, 0x3),
        (MemoryType.LoaderCode, 0x0080_B000, 0x10),
        (MemoryType.LoaderData, 0x0081_B000, 0xE5),
        (MemoryType.BootServicesData, 0x0090_0000, 0x100),
        (MemoryType.BootServicesCode, 0x00A0_0000, 0x80),
        (MemoryType.RuntimeServicesCode, 0x00A8_0000, 0x10),
        (MemoryType.RuntimeServicesData, 0x00A9_0000, 0x10),
        (MemoryType.Conventional, 0x00AA_0000, 0x560),     // .. 16 MiB
        (MemoryType.AcpiReclaim, 0x0100_0000, 0x10),
        (MemoryType.Unusable, 0x0101_0000, 0x10),
        (MemoryType.Persistent, 0x0102_0000, 0x10),
        (MemoryType.Conventional, 0x0103_0000, 0x3FD0),    // .. 80 MiB
        (MemoryType.BootServicesData, 0x0500_0000, 0x200), // .. 82 MiB, the highest usable region
        (MemoryType.MemoryMappedIo, 0xFEC0_0000, 0x1),
        (MemoryType.Reserved, 0xFFC0_0000, 0x400),
    };

    private const ulong TypicalConventionalFrames = 0x700 + 0x3 + 0x560 + 0x3FD0;
    private const ulong TypicalBootServicesFrames = 0x100 + 0x80 + 0x200; // the page at 0 is below 1 MiB
    private const ulong TypicalHighestUsable = 0x0520_0000;

    private static bool IsUsable(MemoryType type, bool includeBootServices) =>
        type == MemoryType.Conventional
        || (includeBootServices && (type == MemoryType.BootServicesCode || type == MemoryType.BootServicesData));

    /// <summary>The frames an allocator built from entries must own, computed without the allocator.</summary>
    private static HashSet<ulong> ExpectedFrames((MemoryType Type, ulong Start, ulong Pages)[] entries, bool includeBootServices)
    {
        var frames = new HashSet<ulong>();
        foreach (var (type, start, pages) in entries)
        {
            if (!IsUsable(type, includeBootServices))
                continue;
            for (ulong i = 0; i < pages; i++)
            {
                ulong address = start + i * Page;
                if (address >= OneMiB && address < OneTiB)
                    frames.Add(address);
            }
        }

        return frames;
    }

    private static FrameAllocator TypicalAllocator(bool includeBootServices) => FrameAllocator.FromMemoryMap(BuildMap(Typical), includeBootServices);

    private static List<ulong> AllocateAll(FrameAllocator allocator)
    {
        var frames = new List<ulong>();
        while (allocator.TryAllocate(out ulong frame) == FrameError.None)
        {
            frames.Add(frame);
            Assert.True(frames.Count <= 1 << 24, "allocator never runs out");
        }

        return frames;
    }

    private static (ulong Total, ulong Free, ulong Used, ulong Ignored, ulong Rejected) Counts(FrameAllocator a) =>
        (a.TotalFrames, a.FreeFrames, a.UsedFrames, a.IgnoredBytes, a.RejectedFrees);

    // ---- what the allocator owns ------------------------------------------------------------------------------

    [Fact]
    public void WithoutBootServicesOnlyConventionalMemoryAboveOneMiBIsOwned()
    {
        FrameAllocator allocator = TypicalAllocator(includeBootServices: false);

        Assert.Equal(TypicalConventionalFrames, allocator.TotalFrames);
        Assert.Equal(TypicalConventionalFrames, allocator.FreeFrames);
        Assert.Equal(0UL, allocator.UsedFrames);
        Assert.Equal(0x9FUL * Page, allocator.IgnoredBytes);
        Assert.Equal(0UL, allocator.RejectedFrees);

        HashSet<ulong> expected = ExpectedFrames(Typical, includeBootServices: false);
        for (ulong address = 0; address < TypicalHighestUsable + 16 * Page; address += Page)
            Assert.True(expected.Contains(address) == allocator.IsFree(address), $"IsFree(0x{address:X})");
    }

    [Fact]
    public void WithBootServicesBootServicesCodeAndDataAreOwnedToo()
    {
        FrameAllocator allocator = TypicalAllocator(includeBootServices: true);

        Assert.Equal(TypicalConventionalFrames + TypicalBootServicesFrames, allocator.TotalFrames);
        Assert.Equal(allocator.TotalFrames, allocator.FreeFrames);
        Assert.Equal((0x9FUL + 1) * Page, allocator.IgnoredBytes); // the boot-services page at 0 is below 1 MiB

        HashSet<ulong> expected = ExpectedFrames(Typical, includeBootServices: true);
        for (ulong address = 0; address < TypicalHighestUsable + 16 * Page; address += Page)
            Assert.True(expected.Contains(address) == allocator.IsFree(address), $"IsFree(0x{address:X})");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoaderAcpiMmioRuntimeAndReservedMemoryIsNeverOwned(bool includeBootServices)
    {
        FrameAllocator allocator = TypicalAllocator(includeBootServices);
        var before = Counts(allocator);
        int rejected = 0;

        foreach (var (type, start, pages) in Typical.Where(e => !IsUsable(e.Type, includeBootServices)))
        {
            foreach (ulong address in new[] { start, start + (pages - 1) * Page })
            {
                Assert.False(allocator.IsFree(address), $"{type} at 0x{address:X}");
                Assert.Equal(FrameError.NotOwned, allocator.Free(address));
                rejected++;
            }

            allocator.Reserve(start, pages * Page);
        }

        Assert.Equal(before.Total, allocator.TotalFrames);
        Assert.Equal(before.Free, allocator.FreeFrames);
        Assert.Equal((ulong)rejected, allocator.RejectedFrees);
    }

    [Fact]
    public void FramesBelowOneMiBAreCountedAsIgnoredAndNeverHandedOut()
    {
        // One conventional region straddling 1 MiB: 0x80000 .. 0x180000.
        FrameAllocator allocator = FrameAllocator.FromMemoryMap(BuildMap((MemoryType.Conventional, 0x80000, 0x100)), false);

        Assert.Equal(0x80UL, allocator.TotalFrames);
        Assert.Equal(0x80UL * Page, allocator.IgnoredBytes);
        List<ulong> frames = AllocateAll(allocator);
        Assert.Equal(0x80, frames.Count);
        Assert.All(frames, f => Assert.InRange(f, FrameAllocator.LowMemoryLimit, 0x17F000UL));
        Assert.Equal(FrameError.NotOwned, allocator.Free(0xFF000));
    }

    [Fact]
    public void BootServicesMemoryCanBeAdoptedAfterTheSwitch()
    {
        // The kernel builds the allocator without boot-services memory and adds it later; the bitmap must already
        // cover it even when it is the highest usable region.
        MemoryMap map = BuildMap(Typical);
        FrameAllocator allocator = FrameAllocator.FromMemoryMap(map, includeBootServices: false);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong used));

        for (int i = 0; i < map.Count; i++)
        {
            if (map[i].Type == MemoryType.BootServicesCode || map[i].Type == MemoryType.BootServicesData)
                allocator.AddFreeRange(map[i].PhysicalStart, map[i].PageCount);
        }

        Assert.Equal(TypicalConventionalFrames + TypicalBootServicesFrames, allocator.TotalFrames);
        Assert.Equal(allocator.TotalFrames - 1, allocator.FreeFrames);
        Assert.True(allocator.IsFree(0x0500_0000));
        Assert.True(allocator.IsFree(TypicalHighestUsable - Page));
        Assert.False(allocator.IsFree(used));
    }

    // ---- allocation ---------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AllocatesEveryOwnedFrameExactlyOnceThenRunsOut(bool includeBootServices)
    {
        FrameAllocator allocator = TypicalAllocator(includeBootServices);
        HashSet<ulong> expected = ExpectedFrames(Typical, includeBootServices);

        List<ulong> frames = AllocateAll(allocator);

        Assert.Equal(frames.Count, frames.Distinct().Count());
        Assert.All(frames, f => Assert.Equal(0UL, f % Page));
        Assert.All(frames, f => Assert.Contains(f, expected));
        Assert.Equal(expected.Count, frames.Count);
        Assert.Equal((ulong)frames.Count, allocator.TotalFrames);
        Assert.Equal(0UL, allocator.FreeFrames);
        Assert.Equal(allocator.TotalFrames, allocator.UsedFrames);

        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocate(out ulong none));
        Assert.Equal(0UL, none);
        Assert.False(((IFrameSource)allocator).TryAllocateFrame(out _));
    }

    [Fact]
    public void AllocationStartsAtTheLowestFreeFrame()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong first));
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong second));
        Assert.True(((IFrameSource)allocator).TryAllocateFrame(out ulong third));

        Assert.Equal(new[] { 0x100000UL, 0x101000UL, 0x102000UL }, new[] { first, second, third });
        Assert.Equal(3UL, allocator.UsedFrames);
        Assert.False(allocator.IsFree(first));
    }

    [Fact]
    public void FreedFramesAreHandedOutAgain()
    {
        FrameAllocator allocator = TypicalAllocator(true);
        List<ulong> frames = AllocateAll(allocator);
        var freed = new HashSet<ulong> { frames[0], frames[frames.Count / 2], frames[^1], 0x0080_9000 };

        foreach (ulong frame in freed)
            Assert.Equal(FrameError.None, allocator.Free(frame));
        Assert.Equal((ulong)freed.Count, allocator.FreeFrames);
        Assert.All(freed, f => Assert.True(allocator.IsFree(f)));

        var again = new HashSet<ulong>(AllocateAll(allocator));
        Assert.Equal(freed, again);
        Assert.Equal(0UL, allocator.FreeFrames);
        Assert.Equal(0UL, allocator.RejectedFrees);
    }

    // ---- rejected frees -----------------------------------------------------------------------------------------

    [Fact]
    public void DoubleFreeIsRejectedAndChangesNoCount()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong frame));
        Assert.Equal(FrameError.None, allocator.Free(frame));
        var before = Counts(allocator);

        Assert.Equal(FrameError.DoubleFree, allocator.Free(frame));
        Assert.Equal(FrameError.DoubleFree, allocator.Free(0x0200_0000)); // owned, never handed out

        Assert.Equal(before.Total, allocator.TotalFrames);
        Assert.Equal(before.Free, allocator.FreeFrames);
        Assert.Equal(before.Rejected + 2, allocator.RejectedFrees);
        Assert.True(allocator.IsFree(frame));
    }

    [Theory]
    [InlineData(0x0000_0000UL)]             // boot-services page below 1 MiB
    [InlineData(0x0000_5000UL)]             // conventional, below 1 MiB
    [InlineData(0x0081_B000UL)]             // first page of LoaderData
    [InlineData(0x008F_F000UL)]             // last page of LoaderData
    [InlineData(0x0090_0000UL)]             // boot-services data (not included)
    [InlineData(0x0080_0000UL)]             // ACPI NVS
    [InlineData(0x00A8_0000UL)]             // runtime code
    [InlineData(0x0520_0000UL)]             // exactly the tracking limit
    [InlineData(0xFEC0_0000UL)]             // MMIO, far above the limit
    [InlineData(0x0000_0100_0000_0000UL)]   // MaxTrackedAddress
    [InlineData(0xFFFF_FFFF_FFFF_F000UL)]
    public void FreeOfAFrameNeverOwnedIsRejected(ulong address)
    {
        FrameAllocator allocator = TypicalAllocator(false);
        AllocateAll(allocator);

        Assert.Equal(FrameError.NotOwned, allocator.Free(address));

        Assert.Equal(0UL, allocator.FreeFrames);
        Assert.Equal(1UL, allocator.RejectedFrees);
        Assert.False(allocator.IsFree(address));
    }

    [Theory]
    [InlineData(0x0010_0001UL)]
    [InlineData(0x0010_0800UL)]
    [InlineData(0x0010_0FFFUL)]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL)]
    public void MisalignedFreeIsRejected(ulong address)
    {
        FrameAllocator allocator = TypicalAllocator(false);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong frame));
        Assert.Equal(0x100000UL, frame);

        Assert.Equal(FrameError.Misaligned, allocator.Free(address));
        Assert.Equal(FrameError.Misaligned, allocator.FreeContiguous(address, 2));

        Assert.Equal(1UL, allocator.UsedFrames);
        Assert.False(allocator.IsFree(frame));
        Assert.Equal(2UL, allocator.RejectedFrees);
    }

    [Fact]
    public void FreeContiguousOfZeroFramesIsRejected()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong frame));

        Assert.Equal(FrameError.InvalidCount, allocator.FreeContiguous(frame, 0));

        Assert.Equal(1UL, allocator.UsedFrames);
        Assert.Equal(1UL, allocator.RejectedFrees);
    }

    [Fact]
    public void FreeContiguousWithOneFreeFrameInTheRunChangesNothing()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(8, 1, out ulong run));
        Assert.Equal(0x100000UL, run);
        Assert.Equal(FrameError.None, allocator.Free(run + 3 * Page));
        var before = Counts(allocator);

        Assert.Equal(FrameError.DoubleFree, allocator.FreeContiguous(run, 8));

        Assert.Equal(before.Free, allocator.FreeFrames);
        Assert.Equal(before.Rejected + 1, allocator.RejectedFrees);
        for (ulong i = 0; i < 8; i++)
            Assert.Equal(i == 3, allocator.IsFree(run + i * Page));

        // The two good halves can still be returned.
        Assert.Equal(FrameError.None, allocator.FreeContiguous(run, 3));
        Assert.Equal(FrameError.None, allocator.FreeContiguous(run + 4 * Page, 4));
        Assert.Equal(allocator.TotalFrames, allocator.FreeFrames);
    }

    [Fact]
    public void FreeContiguousRunningIntoAForeignFrameChangesNothing()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        AllocateAll(allocator);

        // 0x808000..0x80B000 is conventional, 0x80B000 starts LoaderCode.
        Assert.Equal(FrameError.NotOwned, allocator.FreeContiguous(0x0080_8000, 4));
        // 0x4FFE000..0x5000000 is conventional, 0x5000000 starts boot-services data this allocator does not own.
        Assert.Equal(FrameError.NotOwned, allocator.FreeContiguous(0x04FF_E000, 3));

        Assert.Equal(0UL, allocator.FreeFrames);
        Assert.False(allocator.IsFree(0x0080_8000));
        Assert.False(allocator.IsFree(0x04FF_E000));
        Assert.Equal(2UL, allocator.RejectedFrees);
        Assert.Equal(FrameError.None, allocator.FreeContiguous(0x0080_8000, 3));
        Assert.Equal(FrameError.None, allocator.FreeContiguous(0x04FF_E000, 2));
        Assert.Equal(5UL, allocator.FreeFrames);
    }

    [Fact]
    public void FreeContiguousWithAHugeCountIsRejected()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        AllocateAll(allocator);

        // first + count wraps below first, so neither loop runs and FreeFrames += ulong.MaxValue (i.e. -1).
        Assert.NotEqual(FrameError.None, allocator.FreeContiguous(0x100000, ulong.MaxValue));
        Assert.Equal(0UL, allocator.FreeFrames);
    }

    // ---- contiguous allocation -------------------------------------------------------------------------------

    [Fact]
    public void ContiguousAllocationsOf2MiBAligned2MiBRunsFillEveryRegionAndThenRunOut()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        const ulong run = 512;
        const ulong bytes = run * Page;

        // Every 2 MiB aligned window that fits inside one conventional region, lowest first (no two conventional
        // regions in this map touch, so a run can never legitimately span two).
        var expected = new List<ulong>();
        foreach (var (type, start, pages) in Typical.Where(e => e.Type == MemoryType.Conventional))
        {
            ulong end = start + pages * Page;
            for (ulong at = (Math.Max(start, OneMiB) + bytes - 1) & ~(bytes - 1); at + bytes <= end; at += bytes)
                expected.Add(at);
        }

        var got = new List<ulong>();
        ulong free = allocator.FreeFrames;
        while (allocator.TryAllocateContiguous(run, run, out ulong address) == FrameError.None)
        {
            got.Add(address);
            free -= run;
            Assert.Equal(free, allocator.FreeFrames);
            Assert.False(allocator.IsFree(address));
            Assert.False(allocator.IsFree(address + bytes - Page));
            Assert.True(got.Count <= expected.Count, "more runs than fit");
        }

        Assert.Equal(expected, got);
        Assert.Equal(0x200000UL, got[0]);
        Assert.Equal(36, got.Count);
    }

    [Fact]
    public void ContiguousRunsNeverSpanAHoleBetweenRegions()
    {
        // 0x100000..0x280000 and 0x281000..0x700000, one LoaderData page between them.
        var entries = new[]
        {
            (MemoryType.Conventional, 0x0010_0000UL, 0x180UL),
            (MemoryType.LoaderData, 0x0028_0000UL, 0x1UL),
            (MemoryType.Conventional, 0x0028_1000UL, 0x47FUL),
        };

        FrameAllocator allocator = FrameAllocator.FromMemoryMap(BuildMap(entries), false);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(0x200, 1, out ulong unaligned));
        Assert.Equal(0x0028_1000UL, unaligned);

        allocator = FrameAllocator.FromMemoryMap(BuildMap(entries), false);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(0x200, 0x200, out ulong aligned));
        Assert.Equal(0x0040_0000UL, aligned); // 0x200000 would span the hole

        allocator = FrameAllocator.FromMemoryMap(BuildMap(entries), false);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(0x180, 1, out ulong exact));
        Assert.Equal(0x0010_0000UL, exact); // exactly fills the first region
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(0x181, 1, out ulong bigger));
        Assert.Equal(0x0028_1000UL, bigger);
    }

    [Fact]
    public void ContiguousAllocationSkipsFramesInUse()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        allocator.Reserve(0x0010_4000, Page);

        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(8, 1, out ulong run));
        Assert.Equal(0x0010_5000UL, run);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(4, 1, out ulong small));
        Assert.Equal(0x0010_0000UL, small); // the gap before the reserved frame still fits four
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(1, 16, out ulong aligned));
        Assert.Equal(0x0011_0000UL, aligned);
        Assert.Equal(14UL, allocator.UsedFrames);
    }

    [Theory]
    [InlineData(0UL, 1UL, FrameError.InvalidCount)]
    [InlineData((0x0520_0000UL / 4096) + 1, 1UL, FrameError.InvalidCount)]
    [InlineData(ulong.MaxValue, 1UL, FrameError.InvalidCount)]
    [InlineData(1UL, 0UL, FrameError.Misaligned)]
    [InlineData(1UL, 3UL, FrameError.Misaligned)]
    [InlineData(4UL, 12UL, FrameError.Misaligned)]
    [InlineData(4UL, 0x8000_0000_0000_0001UL, FrameError.Misaligned)]
    public void ContiguousAllocationRejectsBadArguments(ulong count, ulong alignment, FrameError error)
    {
        FrameAllocator allocator = TypicalAllocator(false);
        var before = Counts(allocator);

        Assert.Equal(error, allocator.TryAllocateContiguous(count, alignment, out ulong address));

        Assert.Equal(0UL, address);
        Assert.Equal(before, Counts(allocator));
    }

    [Fact]
    public void ContiguousAllocationReportsOutOfMemoryWhenNoRunIsLongEnough()
    {
        FrameAllocator allocator = TypicalAllocator(false);

        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocateContiguous(0x3FD1, 1, out ulong address));
        Assert.Equal(0UL, address);
        Assert.Equal(allocator.TotalFrames, allocator.FreeFrames);

        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(0x3FD0, 16, out address));
        Assert.Equal(0x0103_0000UL, address);
        Assert.Equal(0x3FD0UL, allocator.UsedFrames);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(8UL)]
    [InlineData(64UL)]
    [InlineData(512UL)]
    public void ContiguousRunsStartOnTheRequestedAlignment(ulong alignment)
    {
        FrameAllocator allocator = TypicalAllocator(true);
        allocator.Reserve(0x0010_0000, Page); // make the lowest aligned candidate unusable

        var runs = new List<(ulong Start, ulong Count)>();
        for (ulong count = 1; count <= 5; count++)
        {
            Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(count, alignment, out ulong address));
            Assert.Equal(0UL, address % (alignment * Page));
            runs.Add((address, count));
        }

        // The runs do not overlap one another.
        var frames = runs.SelectMany(r => Enumerable.Range(0, (int)r.Count).Select(i => r.Start + (ulong)i * Page)).ToList();
        Assert.Equal(frames.Count, frames.Distinct().Count());
        Assert.DoesNotContain(0x0010_0000UL, frames);
        Assert.Equal((ulong)frames.Count + 1, allocator.UsedFrames);
    }

    // ---- contiguous allocation below a limit (DMA for devices with 32-bit addresses) ----------------------------

    [Fact]
    public void ARunBelowFourGiBIsTakenFromLowMemoryWhenHighMemoryIsFreeToo()
    {
        // Like a 6 GiB machine: 2 GiB below the 32-bit MMIO hole, the rest above 4 GiB.
        const ulong fourGiB = 1UL << 32;
        FrameAllocator allocator = FrameAllocator.FromMemoryMap(BuildMap(
            (MemoryType.Conventional, 0x0010_0000, 0x100),
            (MemoryType.Conventional, fourGiB, 0x400)), false);
        allocator.Reserve(0x0010_0000, 0xF0 * Page); // 16 frames left below 4 GiB

        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(16, 1, fourGiB, out ulong low));
        Assert.Equal(0x001F_0000UL, low);
        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocateContiguous(1, 1, fourGiB, out ulong none));
        Assert.Equal(0UL, none);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(16, 1, out ulong high));
        Assert.Equal(fourGiB, high);
    }

    [Fact]
    public void ARunMayEndExactlyAtTheLimitButNotPastIt()
    {
        FrameAllocator allocator = TypicalAllocator(false); // first region: 0x100000 .. 0x800000

        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocateContiguous(0x10, 1, 0x0010_F000, out _));
        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocateContiguous(0x10, 1, 0x0010_FFFF, out _)); // a partial frame does not count
        Assert.Equal(0UL, allocator.UsedFrames);
        Assert.Equal(FrameError.None, allocator.TryAllocateContiguous(0x10, 1, 0x0011_0000, out ulong run));
        Assert.Equal(0x0010_0000UL, run);
    }

    [Fact]
    public void ALimitBelowEveryOwnedFrameFindsNothingAndChangesNothing()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        var before = Counts(allocator);

        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocateContiguous(1, 1, OneMiB, out ulong address));
        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocateContiguous(1, 1, 0, out _));

        Assert.Equal(0UL, address);
        Assert.Equal(before, Counts(allocator));
    }

    [Fact]
    public void BadArgumentsAreReportedBeforeTheLimitIsLookedAt()
    {
        FrameAllocator allocator = TypicalAllocator(false);

        Assert.Equal(FrameError.InvalidCount, allocator.TryAllocateContiguous(0, 1, 0, out _));
        Assert.Equal(FrameError.Misaligned, allocator.TryAllocateContiguous(1, 3, 0, out _));
    }

    /// <summary>
    /// In any fragmented state and for any limit, a run is the lowest aligned free run that ends at or below the
    /// limit, and OutOfMemory means there is none; the allocator's counts follow.
    /// </summary>
    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ALimitedRunIsTheLowestAlignedFreeRunBelowTheLimit()
    {
        var entries = new[]
        {
            (MemoryType.Conventional, 0x0010_0000UL, 0x200UL),
            (MemoryType.LoaderData, 0x0030_0000UL, 0x10UL),
            (MemoryType.Conventional, 0x0031_0000UL, 0x1F0UL),
            (MemoryType.Conventional, 0x0080_0000UL, 0x400UL),
        };
        const ulong top = 0x00C0_0000;
        HashSet<ulong> owned = ExpectedFrames(entries, includeBootServices: false);
        Gen<ulong> reservedFrame = Gen.ULong[OneMiB / Page, top / Page - 1];

        // The limit is anywhere, or (half the time) within a few frames of where the unlimited run would end, where
        // an off-by-one would show.
        Gen.Select(reservedFrame.Array[0, 400], Gen.ULong[1, 40], Gen.Int[0, 7], Gen.ULong[0, top + OneMiB], Gen.Bool, Gen.Int[-2, 2], Gen.ULong[0, Page - 1])
            .ForAll((reserved, count, alignmentShift, anywhere, nearTheRun, framesFromTheRun, partialFrame) =>
            {
                FrameAllocator allocator = FrameAllocator.FromMemoryMap(BuildMap(entries), false);
                var used = new HashSet<ulong>();
                foreach (ulong frame in reserved)
                {
                    allocator.Reserve(frame * Page, Page);
                    used.Add(frame * Page);
                }

                ulong alignment = 1UL << alignmentShift;
                ulong freeBefore = allocator.FreeFrames;
                bool Fits(ulong start)
                {
                    for (ulong i = 0; i < count; i++)
                    {
                        ulong f = start + i * Page;
                        if (!owned.Contains(f) || used.Contains(f))
                            return false;
                    }

                    return true;
                }

                ulong? LowestFit(ulong below)
                {
                    for (ulong start = 0; start + count * Page <= below && start < top; start += alignment * Page)
                    {
                        if (Fits(start))
                            return start;
                    }

                    return null;
                }

                ulong? unlimited = LowestFit(ulong.MaxValue);
                ulong limit = nearTheRun && unlimited != null
                    ? (ulong)((long)(unlimited.Value + count * Page) + framesFromTheRun * (long)Page) + partialFrame
                    : anywhere;
                ulong? lowest = LowestFit(limit);

                FrameError error = allocator.TryAllocateContiguous(count, alignment, limit, out ulong address);

                if (lowest == null)
                {
                    Assert.Equal(FrameError.OutOfMemory, error);
                    Assert.Equal(freeBefore, allocator.FreeFrames);
                }
                else
                {
                    Assert.Equal(FrameError.None, error);
                    Assert.Equal(lowest.Value, address);
                    Assert.True(address + count * Page <= limit);
                    Assert.Equal(freeBefore - count, allocator.FreeFrames);
                }
            }, iterations: 300);
    }

    // ---- Reserve and AddFreeRange -------------------------------------------------------------------------------

    [Fact]
    public void ReserveMarksOwnedFreeFramesUsed()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        ulong total = allocator.TotalFrames;

        allocator.Reserve(0x0010_0000, 3 * Page);
        Assert.Equal(total - 3, allocator.FreeFrames);
        Assert.Equal(total, allocator.TotalFrames);
        Assert.False(allocator.IsFree(0x0010_2000));
        Assert.True(allocator.IsFree(0x0010_3000));

        allocator.Reserve(0x0010_0000, 3 * Page); // again: nothing more to reserve
        Assert.Equal(total - 3, allocator.FreeFrames);

        // A reserved frame is owned and in use, so it can be handed back.
        Assert.Equal(FrameError.None, allocator.Free(0x0010_1000));
        Assert.Equal(total - 2, allocator.FreeFrames);
    }

    [Fact]
    public void ReserveRoundsOutwardToWholeFrames()
    {
        FrameAllocator allocator = TypicalAllocator(false);

        allocator.Reserve(0x0020_0800, 0x1000); // touches 0x200000 and 0x201000

        Assert.False(allocator.IsFree(0x0020_0000));
        Assert.False(allocator.IsFree(0x0020_1000));
        Assert.True(allocator.IsFree(0x0020_2000));
        Assert.Equal(2UL, allocator.UsedFrames);
    }

    [Fact]
    public void ReserveIgnoresFramesItDoesNotOwn()
    {
        FrameAllocator allocator = TypicalAllocator(false);

        allocator.Reserve(0x0081_B000, 0xE5 * Page);           // LoaderData only
        allocator.Reserve(0, OneMiB);                           // low memory
        allocator.Reserve(0x1_0000_0000, 0x1000_0000);          // above the limit
        Assert.Equal(0UL, allocator.UsedFrames);

        allocator.Reserve(0x007F_F000, 0x10000);                // 0x7FF000 .. 0x80F000: ACPI NVS and LoaderCode around
        Assert.Equal(4UL, allocator.UsedFrames);                // 0x7FF000, 0x808000, 0x809000, 0x80A000
        Assert.False(allocator.IsFree(0x0080_9000));
        Assert.Equal(0UL, allocator.RejectedFrees);
    }

    [Fact]
    public void ReservedFramesAreNeverHandedOut()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        allocator.Reserve(0x0010_0000, OneMiB);

        List<ulong> frames = AllocateAll(allocator);

        Assert.DoesNotContain(frames, f => f >= 0x0010_0000 && f < 0x0020_0000);
        Assert.Equal((int)(TypicalConventionalFrames - 256), frames.Count);
        Assert.Equal(0UL, allocator.FreeFrames);
    }

    [Fact]
    public void ReserveOfZeroBytesReservesNothing()
    {
        FrameAllocator allocator = TypicalAllocator(false);
        allocator.Reserve(0x0010_0800, 0);
        Assert.Equal(0UL, allocator.UsedFrames);
    }

    [Fact]
    public void AddFreeRangeTwiceDoesNotDoubleCount()
    {
        var allocator = new FrameAllocator(16 * OneMiB);
        Assert.Equal(0UL, allocator.TotalFrames);

        allocator.AddFreeRange(0x0010_0000, 16);
        allocator.AddFreeRange(0x0010_0000, 16);
        Assert.Equal(16UL, allocator.TotalFrames);
        Assert.Equal(16UL, allocator.FreeFrames);

        allocator.AddFreeRange(0x0010_8000, 16); // half overlapping
        Assert.Equal(24UL, allocator.TotalFrames);
        Assert.Equal(24UL, allocator.FreeFrames);
        Assert.Equal(0UL, allocator.IgnoredBytes);
        Assert.Equal(24, AllocateAll(allocator).Count);
    }

    [Fact]
    public void AddFreeRangeDoesNotFreeFramesInUse()
    {
        var allocator = new FrameAllocator(16 * OneMiB);
        allocator.AddFreeRange(0x0010_0000, 4);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong frame));

        allocator.AddFreeRange(0x0010_0000, 4);

        Assert.False(allocator.IsFree(frame));
        Assert.Equal(3UL, allocator.FreeFrames);
        Assert.Equal(FrameError.None, allocator.Free(frame));
    }

    [Fact]
    public void AddFreeRangeIgnoresFramesBelowOneMiBAndAboveTheLimit()
    {
        var allocator = new FrameAllocator(0x0020_0000);

        allocator.AddFreeRange(0x000F_E000, 0x104); // 0xFE000 .. 0x202000

        Assert.Equal(0x100UL, allocator.TotalFrames);
        Assert.Equal(4 * Page, allocator.IgnoredBytes);
        Assert.False(allocator.IsFree(0x000F_F000));
        Assert.True(allocator.IsFree(0x0010_0000));
        Assert.True(allocator.IsFree(0x001F_F000));
        Assert.False(allocator.IsFree(0x0020_0000));
    }

    [Fact]
    public void AnEmptyAllocatorHasNothingToGive()
    {
        var allocator = new FrameAllocator(0);
        Assert.Equal(FrameError.OutOfMemory, allocator.TryAllocate(out _));
        Assert.Equal(FrameError.InvalidCount, allocator.TryAllocateContiguous(1, 1, out _));
        Assert.Equal(FrameError.NotOwned, allocator.Free(0x0010_0000));
        allocator.AddFreeRange(0x0010_0000, 1);
        Assert.Equal(0UL, allocator.TotalFrames);
        Assert.Equal(Page, allocator.IgnoredBytes);
    }

    // ---- the tracking limit -----------------------------------------------------------------------------------

    [Fact]
    public void MemoryAboveMaxTrackedAddressIsIgnoredWithoutAHugeBitmap()
    {
        const ulong high = 4 * OneTiB;
        MemoryMap map = BuildMap(
            (MemoryType.Conventional, 0x0010_0000, 0x100),
            (MemoryType.Conventional, OneTiB - 16 * Page, 32),  // straddles the limit: half tracked
            (MemoryType.Conventional, high, 0x100));
        Assert.Equal(high + 0x100 * Page, map.HighestUsableAddressExclusive);

        long before = GC.GetAllocatedBytesForCurrentThread();
        FrameAllocator allocator = FrameAllocator.FromMemoryMap(map, false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Two bitmaps of one bit per frame below 1 TiB are 64 MiB; tracking up to 4 TiB would need 256 MiB.
        Assert.InRange(allocated, 0, (64L << 20) + (1L << 20));
        Assert.Equal(FrameAllocator.MaxTrackedAddress, OneTiB);
        Assert.Equal(0x100UL + 16, allocator.TotalFrames);
        Assert.Equal((0x100UL + 16) * Page, allocator.IgnoredBytes);
        Assert.True(allocator.IsFree(OneTiB - Page));
        Assert.False(allocator.IsFree(OneTiB));
        Assert.False(allocator.IsFree(high));
        Assert.Equal(FrameError.NotOwned, allocator.Free(high));
        Assert.Equal(FrameError.NotOwned, allocator.Free(OneTiB));

        List<ulong> frames = AllocateAll(allocator);
        Assert.Equal(0x100 + 16, frames.Count);
        Assert.All(frames, f => Assert.True(f < OneTiB));
        Assert.Contains(OneTiB - Page, frames);
    }

    [Fact]
    public void TheLimitIsClampedForAnyRequestedSize()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var allocator = new FrameAllocator(ulong.MaxValue);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, (64L << 20) + (1L << 20));
        allocator.AddFreeRange(OneTiB - Page, 2);
        Assert.Equal(1UL, allocator.TotalFrames);
        Assert.Equal(Page, allocator.IgnoredBytes);
        Assert.Equal(FrameError.NotOwned, allocator.Free(ulong.MaxValue & ~(Page - 1)));
    }

    // ---- misc ---------------------------------------------------------------------------------------------------

    [Fact]
    public void DescribeNamesEveryError()
    {
        var texts = Enum.GetValues<FrameError>().Select(FrameAllocator.Describe).ToList();
        Assert.DoesNotContain("unknown frame error", texts);
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Equal("unknown frame error", FrameAllocator.Describe((FrameError)999));
    }

    [Fact]
    public void TheAllocatorFeedsThePageTableMapper()
    {
        // Frames 1 MiB .. 4 MiB of simulated RAM belong to the allocator; the mapper takes its tables from it.
        var ram = new SimulatedPhysicalMemory(4 << 20, firstFrame: 0x1000);
        var allocator = new FrameAllocator(ram.Size);
        allocator.AddFreeRange(OneMiB, (ram.Size - OneMiB) / Page);
        Assert.Equal(FrameError.None, allocator.TryAllocate(out ulong root));
        PageTableMapper.ClearTable(ram, root);
        var mapper = new PageTableMapper(root, ram, allocator, new RecordingTranslationCache());

        Assert.Equal(MapResult.Ok, mapper.Map(0xFFFF_8000_0000_0000, 0x0, PageFlags.Writable, PageSize.Size2MiB));
        Assert.Equal(MapResult.Ok, mapper.Map(0x0000_0000_0040_0000, 0x5000, PageFlags.Writable));

        Assert.Equal(5UL, mapper.TableFrames);
        Assert.Equal(mapper.TableFrames + 1, allocator.UsedFrames);
        Assert.True(mapper.Translate(0x0000_0000_0040_0010, out ulong physical, out _, out _));
        Assert.Equal(0x5010UL, physical);

        // When the allocator is empty the mapper says so instead of failing later.
        AllocateAll(allocator);
        Assert.Equal(MapResult.OutOfFrames, mapper.Map(0xFFFF_9000_0000_0000, 0x6000, PageFlags.Writable));
    }

    // ---- model-based --------------------------------------------------------------------------------------------

    /// <summary>One step of a generated frame-allocator workload; #n picks a used frame by index modulo their count.</summary>
    public abstract record FrameOperation
    {
        public sealed record Allocate : FrameOperation { public override string ToString() => "Allocate"; }

        public sealed record AllocateRun(ulong Count, int AlignmentShift) : FrameOperation
        {
            public override string ToString() => $"AllocateRun({Count}, align {1 << AlignmentShift})";
        }

        public sealed record FreeUsed(int Pick) : FrameOperation { public override string ToString() => $"FreeUsed(#{Pick})"; }

        /// <summary>Frees up to 8 used frames in a row from a picked one.</summary>
        public sealed record FreeUsedRun(int Pick) : FrameOperation { public override string ToString() => $"FreeUsedRun(#{Pick})"; }

        /// <summary>Frees any frame: used, free (a double free) or not owned.</summary>
        public sealed record FreeAny(ulong Frame) : FrameOperation { public override string ToString() => $"FreeAny(frame 0x{Frame:X})"; }

        public sealed record FreeMisaligned(ulong Frame, ulong Offset) : FrameOperation
        {
            public override string ToString() => $"FreeMisaligned(frame 0x{Frame:X} + {Offset})";
        }

        public sealed record Reserve(ulong Frame, ulong Frames) : FrameOperation
        {
            public override string ToString() => $"Reserve(frame 0x{Frame:X}, {Frames})";
        }
    }

    private static readonly (MemoryType, ulong, ulong)[] ModelMap =
    {
        (MemoryType.Conventional, 0x0000_1000UL, 0x9FUL),
        (MemoryType.Conventional, 0x0010_0000UL, 0x200UL),
        (MemoryType.LoaderData, 0x0030_0000UL, 0x10UL),
        (MemoryType.Conventional, 0x0031_0000UL, 0x1F0UL),
        (MemoryType.AcpiNvs, 0x0050_0000UL, 0x1UL),
        (MemoryType.BootServicesData, 0x0050_1000UL, 0x2FFUL),
        (MemoryType.Conventional, 0x0080_0000UL, 0x400UL),
        (MemoryType.MemoryMappedIo, 0xFEC0_0000UL, 0x1UL),
    };

    private const ulong ModelLimit = 0x00C0_0000;

    private static readonly Gen<ulong> AnyFrame = Gen.ULong[0, ModelLimit / Page + 63];

    private static readonly Gen<FrameOperation> FrameStep = Gen.Frequency(
        (35, Gen.Const((FrameOperation)new FrameOperation.Allocate())),
        (10, Gen.Select(Gen.ULong[1, 32], Gen.Int[0, 6], (count, shift) => (FrameOperation)new FrameOperation.AllocateRun(count, shift))),
        (30, Gen.Int[0, 4095].Select(pick => (FrameOperation)new FrameOperation.FreeUsed(pick))),
        (5, Gen.Int[0, 4095].Select(pick => (FrameOperation)new FrameOperation.FreeUsedRun(pick))),
        (8, AnyFrame.Select(frame => (FrameOperation)new FrameOperation.FreeAny(frame))),
        (4, Gen.Select(AnyFrame, Gen.ULong[1, Page - 1], (frame, offset) => (FrameOperation)new FrameOperation.FreeMisaligned(frame, offset))),
        (8, Gen.Select(AnyFrame, Gen.ULong[1, 15], (frame, frames) => (FrameOperation)new FrameOperation.Reserve(frame, frames))));

    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void OperationSequencesKeepTheBookkeepingEqualToTheModel()
    {
        FrameStep.Array[1, 400].ForAll(ReplayFrames, iterations: 60,
            print: steps => steps.Length + " operations:\n  " + string.Join("\n  ", steps.AsEnumerable()));
    }

    /// <summary>Runs steps against a fresh allocator over ModelMap and a set model, comparing after every step.</summary>
    private static void ReplayFrames(FrameOperation[] steps)
    {
        HashSet<ulong> owned = ExpectedFrames(ModelMap, includeBootServices: true);
        FrameAllocator allocator = FrameAllocator.FromMemoryMap(BuildMap(ModelMap), true);
        var used = new HashSet<ulong>();
        var usedInOrder = new List<ulong>(); // for picking
        ulong rejected = 0;

        bool RunFits(ulong start, ulong count)
        {
            for (ulong i = 0; i < count; i++)
            {
                ulong f = start + i * Page;
                if (!owned.Contains(f) || used.Contains(f))
                    return false;
            }

            return true;
        }

        void Use(ulong frame)
        {
            if (used.Add(frame))
                usedInOrder.Add(frame);
        }

        void Release(ulong frame)
        {
            used.Remove(frame);
            usedInOrder.Remove(frame);
        }

        for (int step = 0; step < steps.Length; step++)
        {
            switch (steps[step])
            {
                case FrameOperation.Allocate:
                {
                    FrameError error = allocator.TryAllocate(out ulong frame);
                    if (used.Count == owned.Count)
                    {
                        Assert.Equal(FrameError.OutOfMemory, error);
                        break;
                    }
                    Assert.Equal(FrameError.None, error);
                    Assert.Contains(frame, owned);
                    Assert.False(used.Contains(frame), $"step {step}: 0x{frame:X} handed out twice");
                    Use(frame);
                    break;
                }
                case FrameOperation.AllocateRun run:
                {
                    ulong alignment = 1UL << run.AlignmentShift;
                    FrameError error = allocator.TryAllocateContiguous(run.Count, alignment, out ulong start);
                    if (error == FrameError.None)
                    {
                        Assert.Equal(0UL, start % (alignment * Page));
                        Assert.True(RunFits(start, run.Count), $"step {step}: run 0x{start:X}+{run.Count} is not free");
                        for (ulong i = 0; i < run.Count; i++)
                            Use(start + i * Page);
                    }
                    else
                    {
                        Assert.Equal(FrameError.OutOfMemory, error);
                        for (ulong s = 0; s + run.Count * Page <= ModelLimit; s += alignment * Page)
                            Assert.False(RunFits(s, run.Count), $"step {step}: a run at 0x{s:X} was missed");
                    }
                    break;
                }
                case FrameOperation.FreeUsed free when used.Count > 0:
                {
                    ulong frame = usedInOrder[free.Pick % usedInOrder.Count];
                    Assert.Equal(FrameError.None, allocator.Free(frame));
                    Release(frame);
                    break;
                }
                case FrameOperation.FreeUsedRun free when used.Count > 0:
                {
                    ulong first = usedInOrder[free.Pick % usedInOrder.Count];
                    ulong count = 1;
                    while (count < 8 && used.Contains(first + count * Page))
                        count++;
                    Assert.Equal(FrameError.None, allocator.FreeContiguous(first, count));
                    for (ulong i = 0; i < count; i++)
                        Release(first + i * Page);
                    break;
                }
                case FrameOperation.FreeAny free:
                {
                    ulong frame = free.Frame * Page;
                    FrameError expected = !owned.Contains(frame) ? FrameError.NotOwned : used.Contains(frame) ? FrameError.None : FrameError.DoubleFree;
                    Assert.Equal(expected, allocator.Free(frame));
                    if (expected == FrameError.None)
                        Release(frame);
                    else
                        rejected++;
                    break;
                }
                case FrameOperation.FreeMisaligned free:
                    Assert.Equal(FrameError.Misaligned, allocator.Free(free.Frame * Page + free.Offset));
                    rejected++;
                    break;
                case FrameOperation.Reserve reserve:
                {
                    ulong start = reserve.Frame * Page;
                    allocator.Reserve(start, reserve.Frames * Page);
                    for (ulong i = 0; i < reserve.Frames; i++)
                    {
                        ulong f = start + i * Page;
                        if (owned.Contains(f))
                            Use(f);
                    }
                    break;
                }
            }

            Assert.Equal((ulong)owned.Count, allocator.TotalFrames);
            Assert.Equal((ulong)used.Count, allocator.UsedFrames);
            Assert.Equal((ulong)(owned.Count - used.Count), allocator.FreeFrames);
            Assert.Equal(rejected, allocator.RejectedFrees);
        }

        for (ulong f = 0; f < ModelLimit + 64 * Page; f += Page)
            Assert.Equal(owned.Contains(f) && !used.Contains(f), allocator.IsFree(f));
        Assert.Equal(0x9FUL * Page, allocator.IgnoredBytes);
    }
}
