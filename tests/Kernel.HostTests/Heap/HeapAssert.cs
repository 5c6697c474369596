// Shared assertions about a heap's state.
using Kernel.Heap;
using Xunit;

namespace Kernel.HostTests.Heap;

public static class HeapAssert
{
    /// <summary>
    /// Nothing is live and the heap is as a fresh one over the same bytes: for bump the pointer is back at the start;
    /// for the others all free space is one block, with the same free bytes as a fresh heap of that size.
    /// </summary>
    public static void BackToStart(string design, IHeapAllocator heap, NativeHeapRegion region)
    {
        HeapStatistics stats = heap.Statistics;
        Assert.Equal(0UL, stats.BytesInUse);
        Assert.Equal(stats.AllocationCount, stats.FreeCount);
        Assert.Equal(region.MappedBytes, stats.BytesMapped);

        // A fresh heap of the same design over a scratch region of the same size and start alignment.
        using var scratch = new NativeHeapRegion(region.MappedBytes, region.MappedBytes, region.ChunkBytes, region.Start % 65536);
        IHeapAllocator fresh = HeapDesigns.Create(design, scratch.Start, scratch.MappedBytes, null);
        HeapStatistics expected = fresh.Statistics;
        Assert.Equal(expected.FreeBytes, stats.FreeBytes);
        Assert.Equal(expected.LargestFreeBlock, stats.LargestFreeBlock);
        Assert.Equal(stats.FreeBytes, stats.LargestFreeBlock); // one free region

        if (heap is BumpAllocator bump)
        {
            Assert.Equal(0UL, bump.LiveAllocations);
            Assert.Equal((region.Start + 15) & ~15UL, bump.Next);
        }

        // Most of that one region can be handed out in one piece without growing.
        int growCalls = region.GrowCalls;
        ulong big = stats.LargestFreeBlock - stats.LargestFreeBlock / 16;
        ulong address = heap.Allocate(big, 16, out HeapError error);
        Assert.Equal(HeapError.None, error);
        Assert.Equal(growCalls, region.GrowCalls);
        Assert.Equal(HeapError.None, heap.Free(address));
    }
}
