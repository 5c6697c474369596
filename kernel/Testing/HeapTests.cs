#if KERNEL_TESTS
// In-kernel tests of the heap (the seed's heap_allocation tests, in C#). The boot tests run this group once per
// design (heap=bump|list|block|tlsf); the out-of-memory panics (a raw allocation, an uncaught `new`) have their own boots.
using System;
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Gc;
using Kernel.Heap;
using Kernel.Memory;
namespace Kernel.Testing;

public static class HeapTests
{
    private const int BenchmarkRounds = 20_000;

    public static void DesignIsTheOneAskedFor()
    {
        Expect.Equal(TestRunner.Boot.HeapDesign, KernelHeap.Allocator.Name, "heap design");
        object probe = new object();
        ulong address = AddressOf(probe);
        Expect.True(address >= AddressSpaceLayout.KernelHeapStart && address < AddressSpaceLayout.KernelHeapStart + KernelHeap.LimitBytes,
            "new objects come from the kernel heap region");
    }

    public static void BoxedValue()
    {
        object boxed = 41 + (int)(Cpu.ReadTimeStampCounter() & 0) + 1;
        Expect.Equal(42, (int)boxed, "a boxed value");
    }

    public static void ListOfAThousand()
    {
        var list = new List<int>();
        for (int i = 0; i < 1000; i++)
            list.Add(i);
        long sum = 0;
        foreach (int value in list)
            sum += value;
        Expect.Equal(499500, sum, "sum of 0..999");
        Expect.Equal(1000, list.Count, "count");
    }

    public static void ShortLivedAllocationsReuseMemory()
    {
        // Bytes in use are compared: no collection may free something else in between (gcstress).
        using NoCollectionScope noCollection = GarbageCollector.NoCollection();
        ulong mappedBefore = KernelHeap.Statistics.BytesMapped;
        ulong inUseBefore = KernelHeap.Statistics.BytesInUse;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] temporary = new byte[64 + (i & 63)];
            temporary[0] = (byte)i;
            KernelHeap.Free(temporary);
        }
        HeapStatistics after = KernelHeap.Statistics;
        Expect.Equal(inUseBefore, after.BytesInUse, "bytes in use back where they were");
        // A bump heap reuses memory only when every allocation is gone, which long-lived objects prevent.
        if (KernelHeap.Allocator.Name != "bump")
            Expect.Equal(mappedBefore, after.BytesMapped, "the heap did not grow");
    }

    public static void ManyLongLivedObjects()
    {
        var keep = new string[20_000];
        for (int i = 0; i < keep.Length; i++)
            keep[i] = i.ToString();
        int wrong = 0;
        for (int i = 0; i < keep.Length; i++)
        {
            if (keep[i] != i.ToString())
                wrong++;
        }
        Expect.Equal(0, wrong, "long-lived objects keep their contents");
    }

    public static void StringBuilding()
    {
        string text = "";
        for (int i = 0; i < 200; i++)
            text = text + (char)('a' + i % 26);
        Expect.Equal(200, text.Length, "built string length");
        Expect.True(text.StartsWith("abc") && text[199] == (char)('a' + 199 % 26), "built string contents");
    }

    public static void GrowsPastTheFirstChunk()
    {
        ulong mappedBefore = KernelHeap.Statistics.BytesMapped;
        var blocks = new byte[48][];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = new byte[64 * 1024];
            blocks[i][blocks[i].Length - 1] = (byte)i;
        }
        Expect.True(KernelHeap.Statistics.BytesMapped > mappedBefore || mappedBefore > 3 * KernelHeap.GrowthChunkBytes,
            "3 MiB of arrays made the heap grow");
        int wrong = 0;
        for (int i = 0; i < blocks.Length; i++)
            wrong += blocks[i][blocks[i].Length - 1] == (byte)i ? 0 : 1;
        Expect.Equal(0, wrong, "grown memory keeps contents");
        for (int i = 0; i < blocks.Length; i++)
            KernelHeap.Free(blocks[i]);
    }

    public static unsafe void BadFreesAreRejected()
    {
        ulong rejectedBefore = KernelHeap.Statistics.RejectedFreeCount;
        Expect.True(KernelHeap.Allocator.Free(AddressSpaceLayout.KernelHeapStart + 8) != HeapError.None, "a pointer the heap never handed out");
        void* block = KernelHeap.Allocate(100);
        KernelHeap.Free(block);
        Expect.True(KernelHeap.Allocator.Free((ulong)block) != HeapError.None, "a double free");
        Expect.Equal(rejectedBefore + 2, KernelHeap.Statistics.RejectedFreeCount, "both rejections counted");
    }

    // A raw allocation the heap cannot satisfy is a panic naming the request and the heap's counters.
    public static unsafe void RawAllocationOfOneGibibytePanics()
    {
        void* block = KernelHeap.Allocate((ulong)OneGibibyte());
        Expect.True(block == null, "unreachable");
    }

    // `new` that the heap cannot satisfy throws OutOfMemoryException; nothing catches this one, so it is the
    // unhandled-exception panic.
    public static void UnhandledOutOfMemoryPanics()
    {
        s_keep = new byte[OneGibibyte()];
        Expect.True(s_keep.Length == 0, "unreachable");
    }

    // Issue 13: `new` out of memory throws the preallocated OutOfMemoryException (the same object each time, twice in
    // a row), the heap is unchanged by the failed request, and small objects are still served. Needs exception dispatch.
    public static void NewOutOfMemoryThrowsACatchableException()
    {
        // Bytes in use are compared: no collection may free something else in between (gcstress).
        using NoCollectionScope noCollection = GarbageCollector.NoCollection();
        ulong inUse = KernelHeap.Statistics.BytesInUse;
        OutOfMemoryException first = CatchOutOfMemory();
        OutOfMemoryException second = CatchOutOfMemory();
        Expect.True(first != null, "new byte[1 GiB] threw OutOfMemoryException");
        Expect.True(second != null, "the second new byte[1 GiB] threw OutOfMemoryException too");
        Expect.True(ReferenceEquals(first, second), "the same preallocated exception both times");
        Expect.Equal(inUse, KernelHeap.Statistics.BytesInUse, "bytes in use after the failed requests");
        object small = new object();
        Expect.True(small != null, "a small object after out of memory");
    }

    private static OutOfMemoryException CatchOutOfMemory()
    {
        try
        {
            s_keep = new byte[OneGibibyte()];
            return null;
        }
        catch (OutOfMemoryException exception)
        {
            return exception;
        }
    }

    // A size the compiler cannot see, kept in a static: an allocation it could prove unused may be removed.
    private static int OneGibibyte() => (1 << 30) + (int)(Cpu.ReadTimeStampCounter() & 0);

    private static byte[] s_keep;

    // Allocate+free cycles for 64-byte objects, median and 99th percentile; the Bench target reads this line.
    public static unsafe void MeasureAllocateFree()
    {
        var samples = new ulong[BenchmarkRounds];
        for (int i = 0; i < samples.Length; i++)
        {
            ulong start = Cpu.ReadTimeStampCounter();
            void* block = KernelHeap.Allocate(64);
            KernelHeap.Free(block);
            samples[i] = Cpu.ReadTimeStampCounter() - start;
        }
        Terminal.WriteLine("bench: heap=" + KernelHeap.Allocator.Name + " allocate+free cycles " + BenchmarkRunner.MedianAndP99(samples));
    }

    private static unsafe ulong AddressOf(object obj)
    {
        object reference = obj;
        return *(ulong*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref reference);
    }
}
#endif
