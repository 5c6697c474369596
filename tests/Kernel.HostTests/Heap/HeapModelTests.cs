// Model-based properties for every heap design: CsCheck generates a list of heap operations (allocations of 0 B to
// 64 KiB at alignments 1 to 4096, frees, reallocations, free-everything) and Replay runs it against the design and
// the model (LiveBlocks). After each step: blocks never overlap, are aligned, lie inside the heap and keep their
// contents, and the counters equal the model's; after the last step everything is freed and the heap must be back in
// its starting state. A failing sequence shrinks to a minimal one, printed one operation per line.
using System.Collections.Generic;
using CsCheck;
using Kernel.Heap;
using Kernel.HostTests.PropertyTesting;
using Xunit;

namespace Kernel.HostTests.Heap;

public class HeapModelTests
{
    public static readonly string[] Designs = { "bump", "list", "block", "tlsf" };

    public static TheoryData<string> AllDesigns()
    {
        var data = new TheoryData<string>();
        foreach (string design in Designs)
            data.Add(design);
        return data;
    }

    /// <summary>Request sizes: mostly small, a few zero, a tenth above 4 KiB (which the block design hands to its list).</summary>
    internal static readonly Gen<ulong> Size = Gen.Frequency(
        (5, Gen.Const(0UL)), (20, Gen.ULong[1, 16]), (20, Gen.ULong[1, 256]), (45, Gen.ULong[1, 4096]), (10, Gen.ULong[4097, 64 * 1024]));

    /// <summary>Alignments: mostly the default 16, else any power of two up to a page.</summary>
    internal static readonly Gen<ulong> Alignment = Gen.Frequency(
        (60, Gen.Const(16UL)), (40, Gen.Int[0, 12].Select(shift => 1UL << shift)));

    private static readonly Gen<int> Pick = Gen.Int[0, 1023];

    private static readonly Gen<HeapOperation> Operation = Gen.Frequency(
        (50, Gen.Select(Size, Alignment, (size, alignment) => (HeapOperation)new HeapOperation.Allocate(size, alignment))),
        (37, Pick.Select(pick => (HeapOperation)new HeapOperation.Free(pick))),
        (12, Gen.Select(Pick, Size, Gen.Int[0, 2], (pick, size, halve) => (HeapOperation)new HeapOperation.Reallocate(pick, size, halve == 0))),
        (1, Gen.Const((HeapOperation)new HeapOperation.FreeAll())));

    /// <summary>Workloads long enough to grow the heap (it starts at one 64 KiB chunk) and to reuse freed blocks.</summary>
    internal static readonly Gen<HeapOperation[]> Workload = Operation.Array[1, 400];

    internal static string Print(HeapOperation[] operations) => operations.Length + " operations:\n  " + string.Join("\n  ", operations);

    [Theory]
    [MemberData(nameof(AllDesigns))]
    [Trait(PropertyCheck.Category, PropertyCheck.Property)]
    public void OperationSequencesKeepBlocksDisjointAlignedIntactAndCountedAsTheModel(string design)
    {
        Workload.ForAll(operations => Replay(design, operations), iterations: 60, print: Print);
    }

    /// <summary>Runs operations against a fresh heap of the design and the model, checking both after every step.</summary>
    internal static void Replay(string design, IReadOnlyList<HeapOperation> operations)
    {
        using var region = new NativeHeapRegion(256UL << 20, 64 * 1024);
        IHeapAllocator heap = HeapDesigns.Create(design, region.Start, region.MappedBytes, region);
        var model = new LiveBlocks(region);
        ulong peak = 0;

        for (int step = 0; step < operations.Count; step++)
        {
            switch (operations[step])
            {
                case HeapOperation.Allocate allocate:
                {
                    ulong address = heap.Allocate(allocate.Size, allocate.Alignment, out HeapError error);
                    Assert.True(address != 0 && error == HeapError.None, $"step {step}: {allocate} failed with {error}");
                    model.Add(address, allocate.Size, allocate.Alignment);
                    break;
                }
                case HeapOperation.Free free when model.Count > 0:
                {
                    LiveBlocks.Block block = model.At(free.Pick % model.Count);
                    model.Remove(block);
                    Assert.Equal(HeapError.None, heap.Free(block.Address));
                    break;
                }
                case HeapOperation.Reallocate reallocate when model.Count > 0:
                {
                    LiveBlocks.Block block = model.At(reallocate.Pick % model.Count);
                    ulong newSize = reallocate.Halve ? block.Size / 2 : reallocate.NewSize;
                    ulong oldAddress = block.Address;
                    ulong address = heap.Reallocate(oldAddress, newSize, out HeapError error);
                    Assert.True(address != 0 && error == HeapError.None, $"step {step}: {reallocate} to {newSize} failed with {error}");
                    model.Resized(block, address, newSize, block.Alignment);
                    break;
                }
                case HeapOperation.FreeAll:
                    FreeEverything(design, heap, region, model);
                    break;
            }
            peak = CheckStatistics(design, heap, region, model, peak);
        }
        model.VerifyAll();
        FreeEverything(design, heap, region, model);
    }

    private static void FreeEverything(string design, IHeapAllocator heap, NativeHeapRegion region, LiveBlocks model)
    {
        while (model.Count > 0)
        {
            LiveBlocks.Block block = model.At(model.Count - 1);
            model.Remove(block);
            Assert.Equal(HeapError.None, heap.Free(block.Address));
        }
        HeapAssert.BackToStart(design, heap, region);
        model.CountedOneRoundTrip(); // BackToStart allocates and frees one block
    }

    private static ulong CheckStatistics(string design, IHeapAllocator heap, NativeHeapRegion region, LiveBlocks model, ulong previousPeak)
    {
        HeapStatistics stats = heap.Statistics;
        Assert.Equal(model.TotalRequested, stats.BytesInUse);
        Assert.True(stats.PeakBytesInUse >= stats.BytesInUse);
        Assert.True(stats.PeakBytesInUse >= previousPeak, "the peak never goes down");
        Assert.Equal(model.Allocations, stats.AllocationCount);
        Assert.Equal(model.Frees, stats.FreeCount);
        Assert.Equal(region.MappedBytes, stats.BytesMapped);
        Assert.True(stats.FreeBytes + stats.BytesInUse <= stats.BytesMapped, "free plus in use exceeds the mapped bytes");
        Assert.True(stats.LargestFreeBlock <= stats.FreeBytes);
        Assert.Equal(0UL, stats.RejectedFreeCount);
        if (design == "bump")
            Assert.Equal(stats.FreeBytes, stats.LargestFreeBlock);
        foreach (LiveBlocks.Block block in model.Blocks)
            Assert.True(heap.UsableSize(block.Address) >= block.Size, $"block {block.Id}: UsableSize below the request");
        return stats.PeakBytesInUse;
    }
}
