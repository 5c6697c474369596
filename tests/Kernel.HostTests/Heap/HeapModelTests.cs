// Randomized workloads against every heap design: thousands of allocations (1 B to 4 KiB, some up to 64 KiB,
// alignments 1 to 4096), frees in random order and reallocations, with fixed seeds. The model (LiveBlocks) checks that
// blocks never overlap, are aligned, lie inside the region and keep their contents; the statistics are checked
// against the model; at the end everything is freed and the heap must be back in its starting state.
using System;
using Kernel.Heap;
using Xunit;

namespace Kernel.HostTests.Heap;

public class HeapRandomizedTests
{
    public static readonly string[] Designs = { "bump", "list", "block", "tlsf" };

    public static TheoryData<string, int> DesignsAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (string design in Designs)
        {
            foreach (int seed in new[] { 1, 42, 20240601 })
                data.Add(design, seed);
        }
        return data;
    }

    public static TheoryData<string> AllDesigns()
    {
        var data = new TheoryData<string>();
        foreach (string design in Designs)
            data.Add(design);
        return data;
    }

    internal static ulong RandomSize(Random random)
    {
        int kind = random.Next(100);
        if (kind < 5)
            return 0;
        if (kind < 25)
            return (ulong)random.Next(1, 17);
        if (kind < 45)
            return (ulong)random.Next(1, 257);
        if (kind < 90)
            return (ulong)random.Next(1, 4097);
        return (ulong)random.Next(4097, 64 * 1024 + 1);
    }

    internal static ulong RandomAlignment(Random random) =>
        random.Next(100) < 60 ? 16UL : 1UL << random.Next(0, 13);

    [Theory]
    [MemberData(nameof(DesignsAndSeeds))]
    public void RandomOperationsKeepBlocksDisjointAlignedAndIntact(string design, int seed)
    {
        using var region = new NativeHeapRegion(512UL << 20, 256 * 1024);
        IHeapAllocator heap = HeapDesigns.Create(design, region.Start, region.MappedBytes, region);
        var model = new LiveBlocks(region);
        var random = new Random(seed);
        ulong peak = 0;
        int reallocations = 0;

        for (int step = 0; step < 6000; step++)
        {
            int action = random.Next(100);
            if (action < 50 || model.Count == 0)
            {
                ulong size = RandomSize(random);
                ulong alignment = RandomAlignment(random);
                ulong address = heap.Allocate(size, alignment, out HeapError error);
                Assert.True(address != 0, $"step {step}: Allocate({size}, {alignment}) failed with {error}");
                Assert.Equal(HeapError.None, error);
                model.Add(address, size, alignment);
                Assert.True(heap.UsableSize(address) >= size, $"step {step}: UsableSize below the request");
            }
            else if (action < 88)
            {
                LiveBlocks.Block block = model.At(random.Next(model.Count));
                model.Remove(block);
                Assert.Equal(HeapError.None, heap.Free(block.Address));
            }
            else
            {
                LiveBlocks.Block block = model.At(random.Next(model.Count));
                ulong newSize = random.Next(3) == 0 ? block.Size / 2 : RandomSize(random);
                ulong address = heap.Reallocate(block.Address, newSize, out HeapError error);
                Assert.True(address != 0, $"step {step}: Reallocate to {newSize} failed with {error}");
                Assert.Equal(HeapError.None, error);
                model.Resized(block, address, newSize, block.Alignment);
                reallocations++;
            }

            if (step % 250 == 0)
            {
                model.VerifyAll();
                peak = CheckStatistics(design, heap, region, model, peak);
            }
        }
        model.VerifyAll();
        CheckStatistics(design, heap, region, model, peak);
        Assert.True(reallocations > 300);
        Assert.True(region.GrowCalls > 0, "the workload should have grown the heap past its first chunk");

        // Free everything in random order.
        while (model.Count > 0)
        {
            LiveBlocks.Block block = model.At(random.Next(model.Count));
            model.Remove(block);
            Assert.Equal(HeapError.None, heap.Free(block.Address));
        }
        HeapAssert.BackToStart(design, heap, region);
    }

    [Theory]
    [MemberData(nameof(AllDesigns))]
    public void AHeapIsReusableAfterEverythingIsFreed(string design)
    {
        using var region = new NativeHeapRegion(64UL << 20, 1 << 20);
        IHeapAllocator heap = HeapDesigns.Create(design, region.Start, region.MappedBytes, region);
        var random = new Random(7);
        for (int round = 0; round < 3; round++)
        {
            var model = new LiveBlocks(region);
            for (int i = 0; i < 500; i++)
            {
                ulong size = (ulong)random.Next(1, 2000);
                ulong address = heap.Allocate(size, 16, out HeapError error);
                Assert.Equal(HeapError.None, error);
                model.Add(address, size, 16);
            }
            model.VerifyAll();
            while (model.Count > 0)
            {
                LiveBlocks.Block block = model.At(random.Next(model.Count));
                model.Remove(block);
                Assert.Equal(HeapError.None, heap.Free(block.Address));
            }
            HeapAssert.BackToStart(design, heap, region);
        }
        HeapStatistics stats = heap.Statistics;
        Assert.Equal(1503UL, stats.AllocationCount); // 3 x 500, plus the one big block BackToStart allocates each round
        Assert.Equal(1503UL, stats.FreeCount);
    }

    private static ulong CheckStatistics(string design, IHeapAllocator heap, NativeHeapRegion region, LiveBlocks model, ulong previousPeak)
    {
        HeapStatistics stats = heap.Statistics;
        Assert.Equal(model.TotalRequested, stats.BytesInUse);
        Assert.True(stats.PeakBytesInUse >= stats.BytesInUse);
        Assert.True(stats.PeakBytesInUse >= previousPeak, "the peak never goes down");
        Assert.Equal((ulong)model.Count, stats.AllocationCount - stats.FreeCount);
        Assert.Equal(region.MappedBytes, stats.BytesMapped);
        Assert.True(stats.FreeBytes + stats.BytesInUse <= stats.BytesMapped, "free plus in use exceeds the mapped bytes");
        Assert.True(stats.LargestFreeBlock <= stats.FreeBytes);
        Assert.Equal(0UL, stats.RejectedFreeCount);
        if (design == "bump")
            Assert.Equal(stats.FreeBytes, stats.LargestFreeBlock);
        foreach (LiveBlocks.Block block in model.Blocks)
            Assert.True(heap.UsableSize(block.Address) >= block.Size);
        return stats.PeakBytesInUse;
    }
}
