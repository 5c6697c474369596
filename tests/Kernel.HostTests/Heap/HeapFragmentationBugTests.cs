// Bugs a randomized workload with mixed alignments in a fixed heap showed (issue 17, item 3): the fixed-size-block
// design failing small over-aligned requests while almost empty and calling a second free of a slab's last block a
// foreign pointer; the bump design's walk reading payload as a header after an in-place shrink.
using System.Collections.Generic;
using CsCheck;
using Kernel.Heap;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Heap;

public unsafe class HeapFragmentationBugTests
{
    private const ulong FixedHeap = 256 * 1024;

    private static ulong Allocate(IHeapAllocator heap, ulong size, ulong alignment = 16)
    {
        ulong address = heap.Allocate(size, alignment, out HeapError error);
        Assert.True(address != 0 && error == HeapError.None, $"Allocate({size}, {alignment}) failed with {error}");
        return address;
    }

    /// <summary>
    /// The case: one small block in each of seven classes (16 B to 1 KiB, a slab each: all the 32 KiB-aligned
    /// room a 256 KiB heap has), then Allocate(3, 2048).
    /// </summary>
    [Fact]
    public void BlockDesignServesASmallOverAlignedRequestInAnAlmostEmptyHeap()
    {
        using var region = new NativeHeapRegion(FixedHeap, FixedHeap);
        IHeapAllocator heap = HeapDesigns.Create("block", region.Start, region.MappedBytes, null);
        ulong live = 0;
        for (ulong size = 16; size <= 1024; size *= 2)
        {
            Allocate(heap, size - 1);
            live += size - 1;
        }
        Assert.True(live < FixedHeap / 100, "under 1% of the heap is live");
        ulong address = Allocate(heap, 3, 2048);
        Assert.Equal(0UL, address % 2048);
        Assert.Equal(HeapError.None, heap.Free(address));
    }

    /// <summary>Prior small blocks (at most 16; 1 to 256 B and alignments 1 to 4096, powers of two alike).</summary>
    private static readonly Gen<(ulong Size, ulong Alignment)[]> FewSmallBlocks =
        Gen.Select(Gen.Int[0, 8].Select(shift => 1UL << shift), Gen.Int[0, 12].Select(shift => 1UL << shift)).Array[0, 16];

    /// <summary>
    /// With a handful of small blocks live (under 2% of a fixed 256 KiB heap), one more small request at a large
    /// alignment succeeds in every design that reuses memory.
    /// </summary>
    [Theory]
    [InlineData("list")]
    [InlineData("block")]
    [InlineData("tlsf")]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void ASmallOverAlignedRequestSucceedsWhileTheHeapIsAlmostEmpty(string design)
    {
        Gen.Select(FewSmallBlocks, Gen.ULong[1, 64], Gen.Int[11, 12]).ForAll(input =>
        {
            using var region = new NativeHeapRegion(FixedHeap, FixedHeap);
            IHeapAllocator heap = HeapDesigns.Create(design, region.Start, region.MappedBytes, null);
            var live = new List<ulong>();
            foreach ((ulong size, ulong alignment) in input.Item1)
                live.Add(Allocate(heap, size, alignment));
            ulong last = Allocate(heap, input.Item2, 1UL << input.Item3);
            Assert.Equal(0UL, last % (1UL << input.Item3));
            live.Add(last);
            foreach (ulong address in live)
                Assert.Equal(HeapError.None, heap.Free(address));
        }, iterations: 300, print: input => string.Join(", ", input.Item1) + $" then ({input.Item2}, {1UL << input.Item3})");
    }

    /// <summary>Freeing the only block of a slab gives the slab back; freeing it again is still a double free.</summary>
    [Theory]
    [InlineData(1UL)]
    [InlineData(100UL)]
    [InlineData(2048UL)]
    public void BlockDesignCallsASecondFreeOfASlabsLastBlockADoubleFree(ulong size)
    {
        using var region = new NativeHeapRegion(1 << 20, 1 << 20);
        IHeapAllocator heap = HeapDesigns.Create("block", region.Start, region.MappedBytes, region);
        ulong keep = Allocate(heap, 5000); // a fallback block, so the slab is not the heap's only block
        ulong a = Allocate(heap, size);
        Assert.Equal(HeapError.None, heap.Free(a));
        Assert.Equal(HeapError.DoubleFree, heap.Free(a));
        Assert.Equal(0UL, heap.Reallocate(a, 10, out HeapError error));
        Assert.Equal(HeapError.DoubleFree, error);
        Assert.Equal(2UL, heap.Statistics.RejectedFreeCount);
        Assert.Equal(HeapError.None, heap.Free(keep));
        HeapAssert.BackToStart("block", heap, region);
    }

    /// <summary>After in-place shrinks, every 16-aligned pointer inside a bump block (or past the last) is foreign.</summary>
    [Fact]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void BumpDesignCallsInteriorPointersForeignAfterAnInPlaceShrink()
    {
        Gen.Select(Gen.ULong[1, 2000], Gen.ULong[0, 100], HeapModelTests.Alignment).Array[1, 12].ForAll(blocks =>
        {
            using var region = new NativeHeapRegion(1 << 20, 1 << 20);
            // Cleared, so that no freed header a previous input left in the same memory makes a stale double free.
            new System.Span<byte>((void*)region.Start, 1 << 20).Clear();
            IHeapAllocator heap = HeapDesigns.Create("bump", region.Start, region.MappedBytes, null);
            var live = new List<(ulong Address, ulong Size)>();
            foreach ((ulong size, ulong shrinkTo, ulong alignment) in blocks)
            {
                ulong address = Allocate(heap, size, alignment);
                live.Add((address, size));
            }
            // Shrink every block in place (bump never moves a shrinking block).
            for (int i = 0; i < live.Count; i++)
            {
                ulong newSize = blocks[i].Item2 < live[i].Size ? blocks[i].Item2 : live[i].Size;
                Assert.Equal(live[i].Address, heap.Reallocate(live[i].Address, newSize, out HeapError error));
                Assert.Equal(HeapError.None, error);
            }
            ulong rejected = 0;
            foreach ((ulong address, ulong size) in live)
            {
                for (ulong p = address + 16; p < address + size; p += 16)
                {
                    Assert.Equal(HeapError.ForeignPointer, heap.Free(p));
                    rejected++;
                }
            }
            // The heap's end before the shrinks and now: the payload a header there would have.
            (ulong lastAddress, ulong lastSize) = live[live.Count - 1];
            ulong oldEnd = lastAddress + ((lastSize + 15) & ~15UL) + 16;
            ulong end = ((BumpAllocator)heap).Next + 16;
            foreach (ulong p in new[] { oldEnd, end })
            {
                Assert.Equal(HeapError.ForeignPointer, heap.Free(p));
                rejected++;
            }
            Assert.Equal(rejected, heap.Statistics.RejectedFreeCount);
            foreach ((ulong address, _) in live)
                Assert.Equal(HeapError.None, heap.Free(address));
        }, iterations: 100, print: blocks => string.Join(", ", blocks));
    }
}
