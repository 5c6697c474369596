// Every heap design rejects bad requests and bad frees with the right HeapError, without corrupting its state: bad
// alignments, double frees, foreign pointers, overwritten headers, out of memory; and growth past the first chunk.
using System;
using System.Linq;
using CsCheck;
using Kernel.Heap;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Heap;

public unsafe class HeapErrorTests
{
    private static IHeapAllocator Create(string design, NativeHeapRegion region) =>
        HeapDesigns.Create(design, region.Start, region.MappedBytes, region);

    private static ulong Allocate(IHeapAllocator heap, ulong size, ulong alignment = 16)
    {
        ulong address = heap.Allocate(size, alignment, out HeapError error);
        Assert.Equal(HeapError.None, error);
        Assert.NotEqual(0UL, address);
        return address;
    }

    [Theory]
    [InlineData("bump")]
    [InlineData("list")]
    [InlineData("block")]
    [InlineData("tlsf")]
    public void NamesAndCreate(string design)
    {
        using var region = new NativeHeapRegion(1 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        Assert.Equal(design, heap.Name);
        Assert.True(HeapDesigns.IsKnown(design));
    }

    [Fact]
    public void UnknownDesignIsNull()
    {
        Assert.Null(HeapDesigns.Create("slab", 0x1000, 0, null));
        Assert.Null(HeapDesigns.Create("", 0x1000, 0, null));
        Assert.Null(HeapDesigns.Create(null, 0x1000, 0, null));
        Assert.False(HeapDesigns.IsKnown("TLSF"));
        Assert.Equal("tlsf", HeapDesigns.Default);
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    public void BadAlignmentsAreRejected(string design)
    {
        using var region = new NativeHeapRegion(1 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        foreach (ulong alignment in new ulong[] { 0, 3, 24, 48, 8192, 1UL << 20, ulong.MaxValue, 1UL << 63 })
        {
            Assert.Equal(0UL, heap.Allocate(64, alignment, out HeapError error));
            Assert.Equal(HeapError.BadAlignment, error);
        }
        Assert.Equal(0UL, heap.Statistics.AllocationCount);
        foreach (ulong alignment in new ulong[] { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 })
        {
            ulong address = Allocate(heap, 100, alignment);
            Assert.Equal(0UL, address % alignment);
        }
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    public void DoubleFreesAreCaught(string design)
    {
        using var region = new NativeHeapRegion(1 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        ulong a = Allocate(heap, 100);
        ulong b = Allocate(heap, 100);
        ulong c = Allocate(heap, 100);
        ulong big = Allocate(heap, 5000);
        ulong d = Allocate(heap, 100);

        Assert.Equal(HeapError.None, heap.Free(b));
        Assert.Equal(HeapError.DoubleFree, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(a)); // merges with b in the designs that merge
        Assert.Equal(HeapError.DoubleFree, heap.Free(a));
        Assert.Equal(HeapError.DoubleFree, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(big));
        Assert.Equal(HeapError.DoubleFree, heap.Free(big));
        Assert.Equal(HeapError.None, heap.Free(c)); // merges with both neighbours
        Assert.Equal(HeapError.DoubleFree, heap.Free(c));
        Assert.Equal(HeapError.DoubleFree, heap.Free(a));
        Assert.Equal(0UL, heap.Reallocate(c, 200, out HeapError error));
        Assert.Equal(HeapError.DoubleFree, error);
        Assert.Equal(0UL, heap.UsableSize(c));

        HeapStatistics stats = heap.Statistics;
        Assert.Equal(7UL, stats.RejectedFreeCount);
        Assert.Equal(4UL, stats.FreeCount);
        Assert.Equal(100UL, stats.BytesInUse);
        Assert.Equal(HeapError.None, heap.Free(d));
        HeapAssert.BackToStart(design, heap, region);

        if (design == "bump")
        {
            // After the reset the freed headers are still recognised.
            Assert.Equal(HeapError.DoubleFree, heap.Free(d));
        }
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    public void ForeignPointersAreCaught(string design)
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        ulong a = Allocate(heap, 256);
        ulong big = Allocate(heap, 6000);
        ulong b = Allocate(heap, 256);

        ulong[] foreign =
        {
            0,
            8,
            region.Start - 4096,
            region.Start,
            region.End,
            region.End + 4096,
            region.Start + (2 << 20), // reserved but not (yet) the heap's
            a + 8,                    // misaligned
            a + 16,                   // inside a block
            a + 128,
            big + 1024,
            ulong.MaxValue - 15,
        };
        int rejected = 0;
        foreach (ulong address in foreign)
        {
            Assert.Equal(HeapError.ForeignPointer, heap.Free(address));
            rejected++;
            Assert.Equal(0UL, heap.UsableSize(address));
            if (address != 0)
            {
                Assert.Equal(0UL, heap.Reallocate(address, 64, out HeapError error));
                Assert.Equal(HeapError.ForeignPointer, error);
                rejected++;
            }
        }
        // A heap has no pointer of another heap.
        using var otherRegion = new NativeHeapRegion(1 << 20, 1 << 20);
        IHeapAllocator other = Create(design, otherRegion);
        Assert.Equal(HeapError.ForeignPointer, other.Free(a));
        Assert.Equal(HeapError.ForeignPointer, heap.Free(Allocate(other, 64)));
        rejected++;

        Assert.Equal((ulong)rejected, heap.Statistics.RejectedFreeCount);
        Assert.Equal(HeapError.None, heap.Free(a));
        Assert.Equal(HeapError.None, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(big));
        HeapAssert.BackToStart(design, heap, region);
    }

    [Theory]
    [InlineData("bump", 100)]
    [InlineData("list", 100)]
    [InlineData("tlsf", 100)]
    [InlineData("bump", 5000)]
    [InlineData("list", 5000)]
    [InlineData("block", 5000)] // above 2 KiB: a fallback block with a header
    [InlineData("tlsf", 5000)]
    public void OverwrittenHeadersAreCaught(string design, ulong size)
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        ulong a = Allocate(heap, size);
        ulong b = Allocate(heap, size);
        ulong c = Allocate(heap, size);

        // An overrun of a into b's header (the 16 bytes before b), then variations of it.
        ulong* header = (ulong*)(b - 16);
        ulong saved0 = header[0];
        ulong saved1 = header[1];
        ulong[][] damage =
        {
            new[] { 0x4141414141414141UL, 0x4141414141414141UL },
            new[] { 0UL, 0UL },
            new[] { saved0 ^ 0x100, saved1 },        // a size changed
            new[] { saved0, saved1 ^ 1 },            // a check bit flipped
            new[] { *(ulong*)(a - 16), *(ulong*)(a - 8) }, // another block's valid header copied here
        };
        foreach (ulong[] words in damage)
        {
            header[0] = words[0];
            header[1] = words[1];
            Assert.Equal(HeapError.CorruptHeader, heap.Free(b));
            Assert.Equal(0UL, heap.Reallocate(b, 10, out HeapError error));
            Assert.Equal(HeapError.CorruptHeader, error);
            Assert.Equal(0UL, heap.UsableSize(b));
        }
        header[0] = saved0;
        header[1] = saved1;
        Assert.Equal(10UL, heap.Statistics.RejectedFreeCount);

        // Restored, the heap is intact: everything frees and the heap is back to its start.
        Assert.Equal(HeapError.None, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(a));
        Assert.Equal(HeapError.None, heap.Free(c));
        HeapAssert.BackToStart(design, heap, region);
    }

    [Fact]
    public void TlsfRefusesToFreeABlockWhoseSuccessorHeaderWasOverrun()
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        IHeapAllocator heap = Create("tlsf", region);
        ulong a = Allocate(heap, 100);
        ulong b = Allocate(heap, 100);
        ulong* header = (ulong*)(b - 16);
        ulong saved = header[0];
        header[0] = 0xDEAD;
        Assert.Equal(HeapError.CorruptHeader, heap.Free(a)); // freeing a would have to update b's header
        header[0] = saved;
        Assert.Equal(HeapError.None, heap.Free(a));
        Assert.Equal(HeapError.None, heap.Free(b));
        HeapAssert.BackToStart("tlsf", heap, region);
    }

    [Fact]
    public void BlockDesignCatchesADamagedSlabHeader()
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        IHeapAllocator heap = Create("block", region);
        ulong a = Allocate(heap, 100);
        ulong b = Allocate(heap, 100);
        Assert.Equal(128UL, heap.UsableSize(a));
        Assert.Equal(0UL, a % 128); // class blocks are naturally aligned
        ulong slab = b & ~(32UL * 1024 - 1);
        ulong saved = *(ulong*)slab;
        *(ulong*)slab = 0x4242424242424242UL;
        Assert.Equal(HeapError.CorruptHeader, heap.Free(b));
        Assert.Equal(HeapError.CorruptHeader, heap.Free(slab)); // the slab itself is not a user block either way
        *(ulong*)slab = saved;
        Assert.Equal(HeapError.ForeignPointer, heap.Free(slab));
        Assert.Equal(HeapError.None, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(a));
        HeapAssert.BackToStart("block", heap, region);
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void OutOfMemoryReturnsZeroAndLeavesTheHeapUsable(string design)
    {
        // Allocates the generated sizes over and over until the 2 MiB limit is hit, then frees in the generated order.
        // Sizes from 1 KiB, so that headers are a small part of what fits.
        Gen.Select(Gen.ULong[1024, 20000].Array[1, 40], Gen.Int[0, 1023].Array[1, 40])
            .ForAll((sizes, freeOrder) => FillToTheLimitThenFree(design, sizes, freeOrder), iterations: 15,
                print: t => $"sizes [{string.Join(", ", t.Item1)}], frees [{string.Join(", ", t.Item2)}]");
    }

    private static void FillToTheLimitThenFree(string design, ulong[] sizes, int[] freeOrder)
    {
        using var region = new NativeHeapRegion(8 << 20, 1 << 20, 256 * 1024);
        region.Limit = 2 << 20;
        IHeapAllocator heap = Create(design, region);
        var model = new LiveBlocks(region);
        HeapError error;
        ulong usable = 0;
        for (int i = 0; ; i++)
        {
            ulong size = sizes[i % sizes.Length];
            ulong address = heap.Allocate(size, 16, out error);
            if (address == 0)
                break;
            model.Add(address, size, 16);
            usable += heap.UsableSize(address);
            Assert.True(model.Count < 100000);
        }
        Assert.Equal(HeapError.OutOfMemory, error);
        Assert.True(region.GrowCalls > 0);
        Assert.Equal(2UL << 20, region.MappedBytes);
        // What fits, in usable bytes (the block design rounds small requests up to its size classes): the bump
        // design wastes what lies behind its pointer, the others no more than a quarter of the 2 MiB.
        ulong expected = design == "bump" ? 1UL << 20 : 3UL << 19;
        Assert.True(usable > expected, $"only {usable} usable bytes ({model.TotalRequested} requested) fit");
        model.VerifyAll();

        // Impossible requests fail the same way, at once.
        Assert.Equal(0UL, heap.Allocate(1UL << 40, 16, out error));
        Assert.Equal(HeapError.OutOfMemory, error);
        Assert.Equal(0UL, heap.Allocate(ulong.MaxValue, 16, out error));
        Assert.Equal(HeapError.OutOfMemory, error);
        // A failed Reallocate leaves the block as it was.
        LiveBlocks.Block first = model.At(0);
        Assert.Equal(0UL, heap.Reallocate(first.Address, 1UL << 30, out error));
        Assert.Equal(HeapError.OutOfMemory, error);
        model.VerifyAll();
        Assert.Equal(model.TotalRequested, heap.Statistics.BytesInUse);

        for (int i = 0; model.Count > 0; i++)
        {
            LiveBlocks.Block block = model.At(freeOrder[i % freeOrder.Length] % model.Count);
            model.Remove(block);
            Assert.Equal(HeapError.None, heap.Free(block.Address));
        }
        HeapAssert.BackToStart(design, heap, region);
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    public void WithoutGrowthTheFirstChunkIsAllThereIs(string design)
    {
        using var region = new NativeHeapRegion(1 << 20, 256 * 1024);
        IHeapAllocator heap = HeapDesigns.Create(design, region.Start, region.MappedBytes, null);
        Assert.Equal(0UL, heap.Allocate(300 * 1024, 16, out HeapError error));
        Assert.Equal(HeapError.OutOfMemory, error);
        ulong address = Allocate(heap, 100 * 1024);
        Assert.True(region.Contains(address, 100 * 1024));
        Assert.Equal(HeapError.None, heap.Free(address));
    }

    [Theory]
    [InlineData("bump", 0UL)]
    [InlineData("list", 0UL)]
    [InlineData("block", 0UL)]
    [InlineData("tlsf", 0UL)]
    [InlineData("bump", 8UL)]
    [InlineData("list", 8UL)]
    [InlineData("block", 8UL)]
    [InlineData("tlsf", 8UL)]
    public void GrowthPastTheFirstChunkWorks(string design, ulong baseOffset)
    {
        // Starting from nothing (and from an unaligned start): every byte comes from growth.
        using var region = new NativeHeapRegion(64UL << 20, 0, 64 * 1024, baseOffset);
        IHeapAllocator heap = Create(design, region);
        var model = new LiveBlocks(region);
        model.Add(Allocate(heap, 10), 10, 16);
        Assert.True(region.GrowCalls >= 1);
        model.Add(Allocate(heap, 1 << 20), 1 << 20, 16);
        model.Add(Allocate(heap, 3000, 4096), 3000, 4096);
        for (int i = 0; i < 200; i++)
            model.Add(Allocate(heap, (ulong)(i * 97 % 9000 + 1)), (ulong)(i * 97 % 9000 + 1), 16);
        model.Add(Allocate(heap, 5 << 20, 64), 5 << 20, 64);
        model.VerifyAll();
        Assert.True(region.MappedBytes >= 6 << 20);
        Assert.Equal(region.MappedBytes, heap.Statistics.BytesMapped);
        int calls = region.GrowCalls;
        Assert.True(calls >= 2, $"{calls} growth calls");

        // Growing a block across the old end by reallocation keeps its contents.
        LiveBlocks.Block last = model.At(model.Count - 1);
        ulong moved = heap.Reallocate(last.Address, 9 << 20, out HeapError error);
        Assert.Equal(HeapError.None, error);
        model.Resized(last, moved, 9 << 20, 64);
        model.VerifyAll();

        foreach (LiveBlocks.Block block in model.Blocks.ToArray())
        {
            model.Remove(block);
            Assert.Equal(HeapError.None, heap.Free(block.Address));
        }
        HeapAssert.BackToStart(design, heap, region);
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    public void ReallocateKeepsContentsAndAlignment(string design)
    {
        using var region = new NativeHeapRegion(16 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        var model = new LiveBlocks(region);

        // Reallocate(0, n) allocates.
        ulong fresh = heap.Reallocate(0, 40, out HeapError error);
        Assert.Equal(HeapError.None, error);
        LiveBlocks.Block a = model.Add(fresh, 40, 16);
        LiveBlocks.Block aligned = model.Add(Allocate(heap, 100, 4096), 100, 4096);
        LiveBlocks.Block blocker = model.Add(Allocate(heap, 64), 64, 16);

        foreach (ulong size in new ulong[] { 10, 200, 3000, 17, 70000, 5, 0, 1000 })
        {
            ulong moved = heap.Reallocate(a.Address, size, out error);
            Assert.Equal(HeapError.None, error);
            model.Resized(a, moved, size, 16);
            moved = heap.Reallocate(aligned.Address, size, out error);
            Assert.Equal(HeapError.None, error);
            model.Resized(aligned, moved, size, 4096);
            model.VerifyAll();
            Assert.Equal(model.TotalRequested, heap.Statistics.BytesInUse);
        }

        // Shrinking never moves a block.
        ulong before = a.Address;
        ulong shrunk = heap.Reallocate(a.Address, 100, out error);
        Assert.Equal(before, shrunk);
        model.Resized(a, shrunk, 100, 16);

        foreach (LiveBlocks.Block block in model.Blocks.ToArray())
        {
            model.Remove(block);
            Assert.Equal(HeapError.None, heap.Free(block.Address));
        }
        Assert.Equal(HeapError.ForeignPointer, heap.Free(blocker.Address + 8));
        HeapStatistics stats = heap.Statistics;
        Assert.Equal(stats.AllocationCount, stats.FreeCount);
        Assert.Equal(0UL, stats.BytesInUse);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("tlsf")]
    [InlineData("bump")]
    public void ReallocateGrowsInPlaceWhenTheNextBytesAreFree(string design)
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        ulong a = Allocate(heap, 100);
        ulong b = Allocate(heap, 1000);
        ulong c = design == "bump" ? 0 : Allocate(heap, 100);
        if (design != "bump")
            Assert.Equal(HeapError.None, heap.Free(b));
        ulong target = design == "bump" ? b : a;
        ulong size = design == "bump" ? 5000UL : 900UL; // bump: the last block grows over the free end
        ulong grown = heap.Reallocate(target, size, out HeapError error);
        Assert.Equal(HeapError.None, error);
        Assert.Equal(target, grown);
        Assert.True(heap.UsableSize(grown) >= size);
        Assert.Equal(HeapError.None, heap.Free(grown));
        if (design == "bump")
            Assert.Equal(HeapError.None, heap.Free(a));
        else
            Assert.Equal(HeapError.None, heap.Free(c));
        HeapAssert.BackToStart(design, heap, region);
    }

    [Theory]
    [MemberData(nameof(HeapModelTests.AllDesigns), MemberType = typeof(HeapModelTests))]
    public void StatisticsFollowAllocationsAndFrees(string design)
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        IHeapAllocator heap = Create(design, region);
        HeapStatistics start = heap.Statistics;
        Assert.Equal(0UL, start.BytesInUse);
        Assert.Equal(1UL << 20, start.BytesMapped);
        Assert.True(start.FreeBytes > (1UL << 20) - 16 * 1024); // tlsf keeps its list heads in the first 10 KiB
        Assert.Equal(start.FreeBytes, start.LargestFreeBlock);

        ulong a = Allocate(heap, 1000);
        ulong b = Allocate(heap, 3);
        ulong c = Allocate(heap, 0);
        HeapStatistics s = heap.Statistics;
        Assert.Equal(1003UL, s.BytesInUse);
        Assert.Equal(1003UL, s.PeakBytesInUse);
        Assert.Equal(3UL, s.AllocationCount);
        Assert.True(s.FreeBytes <= start.FreeBytes - 1003);

        Assert.Equal(HeapError.None, heap.Free(a));
        s = heap.Statistics;
        Assert.Equal(3UL, s.BytesInUse);
        Assert.Equal(1003UL, s.PeakBytesInUse);
        Assert.Equal(1UL, s.FreeCount);
        Assert.Equal(HeapError.None, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(c));
        Assert.Equal(0UL, heap.Statistics.RejectedFreeCount);
        HeapAssert.BackToStart(design, heap, region);
    }

    [Fact]
    public void BumpReusesTheRegionOnlyWhenEverythingIsFreed()
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        var heap = new BumpAllocator(region.Start, region.MappedBytes, region);
        ulong a = Allocate(heap, 100);
        ulong b = Allocate(heap, 100);
        Assert.True(b > a);
        Assert.Equal(HeapError.None, heap.Free(a));
        ulong c = Allocate(heap, 100);
        Assert.True(c > b, "a freed bump block is not reused while others live");
        Assert.Equal(2UL, heap.LiveAllocations);
        Assert.Equal(HeapError.None, heap.Free(b));
        Assert.Equal(HeapError.None, heap.Free(c));
        Assert.Equal(region.Start, heap.Next);
        Assert.Equal(a, Allocate(heap, 100));
    }

    [Fact]
    public void TlsfCoalescesImmediatelyWithBothNeighbours()
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        var heap = new TlsfAllocator(region.Start, region.MappedBytes, null);
        ulong total = heap.Statistics.LargestFreeBlock;
        ulong[] blocks = new ulong[64];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = Allocate(heap, (ulong)(i * 37 % 500 + 1));
        // Free every other block, then the rest: each free merges with the free blocks on both sides.
        for (int i = 0; i < blocks.Length; i += 2)
            Assert.Equal(HeapError.None, heap.Free(blocks[i]));
        Assert.True(heap.Statistics.LargestFreeBlock < total);
        for (int i = 1; i < blocks.Length; i += 2)
            Assert.Equal(HeapError.None, heap.Free(blocks[i]));
        Assert.Equal(total, heap.Statistics.LargestFreeBlock);
        Assert.Equal(total, heap.Statistics.FreeBytes);
    }

    [Fact]
    public void TlsfReusesAFreedBlockOfTheSameSize()
    {
        using var region = new NativeHeapRegion(4 << 20, 1 << 20);
        var heap = new TlsfAllocator(region.Start, region.MappedBytes, null);
        ulong a = Allocate(heap, 200);
        Allocate(heap, 16);
        Assert.Equal(HeapError.None, heap.Free(a));
        Assert.Equal(a, Allocate(heap, 200));
    }
}
