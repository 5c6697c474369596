// Host tests of the collector's core (kernel/Platform/Gc): GCDesc decoding on synthetic MethodTables laid out as
// ILC 10.0.12 emits them, and mark/sweep over a simulated heap (a TLSF heap in native memory) with cycles, arrays of
// references, arrays of structs with references, interior pointers and a mark stack too small for the graph.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Kernel.Gc;
using Kernel.Heap;
using Xunit;

namespace Kernel.HostTests.Gc;

public sealed unsafe class MarkSweepTests : IDisposable
{
    private const ulong HeapBytes = 1 << 20;
    private readonly List<IntPtr> _blocks = new List<IntPtr>();
    private readonly ulong _heapStart;
    private readonly TlsfAllocator _heap;
    private readonly MarkSweep _gc;
    private readonly ulong _nodeType;      // class Node { Node A; Node B; long Value; }: base size 40, one series of 2
    private readonly ulong _refArrayType;  // object[]: component 8, base size 24, series offset 16, size -24
    private readonly ulong _pairArrayType; // struct Pair { object Ref; long Value; }[]: repeating (1 pointer, skip 8)
    private readonly ulong _bytesType;     // byte[]: no pointers

    public MarkSweepTests() : this(4096)
    {
    }

    private MarkSweepTests(int markStackEntries)
    {
        _heapStart = Aligned(HeapBytes, 4096);
        _heap = new TlsfAllocator(_heapStart, HeapBytes, null);
        ulong bitmapBytes = HeapBytes / MarkSweep.BytesPerBitmapByte;
        _gc = new MarkSweep(_heapStart, (ulong*)Zeroed(bitmapBytes), (ulong*)Zeroed(bitmapBytes), HeapBytes,
            (ulong*)Zeroed((ulong)markStackEntries * 8), markStackEntries);
        _nodeType = MethodTable(flags: GcDesc.HasPointersFlag, baseSize: 40, series: new[] { (16L - 40, 8UL) });
        _refArrayType = MethodTable(flags: GcDesc.HasPointersFlag | GcDesc.HasComponentSizeFlag | 8, baseSize: 24, series: new[] { (-24L, 16UL) });
        _pairArrayType = RepeatingMethodTable(flags: GcDesc.HasPointersFlag | GcDesc.HasComponentSizeFlag | 16, baseSize: 24, startOffset: 16, (1u, 8u));
        _bytesType = MethodTable(flags: GcDesc.HasComponentSizeFlag | 1, baseSize: 24, series: Array.Empty<(long, ulong)>());
    }

    public static MarkSweepTests WithMarkStack(int entries) => new MarkSweepTests(entries);

    public void Dispose()
    {
        foreach (IntPtr block in _blocks)
            NativeMemory.AlignedFree((void*)block);
    }

    [Fact]
    public void ObjectSizeCountsComponents()
    {
        ulong bytes = NewArray(_bytesType, 1, 13);
        Assert.Equal(40UL, GcDesc.ObjectSize(bytes));
        Assert.Equal(40UL, GcDesc.ObjectSize(NewObject(_nodeType, 40)));
    }

    [Fact]
    public void GcDescSeriesNameEveryReferenceSlot()
    {
        ulong node = NewObject(_nodeType, 40);
        Assert.Equal(new[] { node + 8, node + 16 }, Slots(node));
        ulong array = NewArray(_refArrayType, 8, 3);
        Assert.Equal(new[] { array + 16, array + 24, array + 32 }, Slots(array));
        ulong pairs = NewArray(_pairArrayType, 16, 3);
        Assert.Equal(new[] { pairs + 16, pairs + 32, pairs + 48 }, Slots(pairs));
        Assert.Empty(Slots(NewArray(_bytesType, 1, 5)));
    }

    [Fact]
    public void UnreachableCycleIsFreedReachableOneSurvives()
    {
        ulong a = NewObject(_nodeType, 40), b = NewObject(_nodeType, 40), c = NewObject(_nodeType, 40);
        Link(a, b, c);
        Link(b, a, 0);
        Link(c, b, 0);
        ulong x = NewObject(_nodeType, 40), y = NewObject(_nodeType, 40);
        Link(x, y, 0);
        Link(y, x, 0);
        *(long*)(a + 24) = 1234;
        _gc.MarkReference(a);
        _gc.Drain();
        SweepResult result = _gc.Sweep(_heap);
        Assert.Equal(3UL, result.LiveObjects);
        Assert.Equal(2UL, result.FreedObjects);
        Assert.Equal(0UL, result.RejectedFrees);
        Assert.Equal(1234L, *(long*)(a + 24));
        Assert.True(_gc.IsObjectStart(c));
        Assert.False(_gc.IsObjectStart(x));
        Assert.Equal(3UL, _heap.Statistics.AllocationCount - _heap.Statistics.FreeCount);
    }

    [Fact]
    public void ArraysOfReferencesAndOfStructsKeepTheirElements()
    {
        ulong array = NewArray(_refArrayType, 8, 2);
        ulong pairs = NewArray(_pairArrayType, 16, 2);
        ulong n1 = NewObject(_nodeType, 40), n2 = NewObject(_nodeType, 40), n3 = NewObject(_nodeType, 40);
        ulong dead = NewObject(_nodeType, 40);
        *(ulong*)(array + 24) = n1;
        *(ulong*)(array + 16) = pairs;
        *(ulong*)(pairs + 32) = n2;  // second element's reference
        *(ulong*)(pairs + 40) = dead; // second element's long: not a reference
        *(ulong*)(n2 + 8) = n3;
        _gc.MarkReference(array);
        _gc.Drain();
        SweepResult result = _gc.Sweep(_heap);
        Assert.Equal(5UL, result.LiveObjects);
        Assert.Equal(1UL, result.FreedObjects);
        Assert.False(_gc.IsObjectStart(dead));
    }

    [Fact]
    public void InteriorPointerKeepsItsObjectAndEndIsIncluded()
    {
        ulong array = NewArray(_bytesType, 1, 100);
        ulong other = NewArray(_bytesType, 1, 100);
        Assert.Equal(array, _gc.FindObject(array + 50));
        Assert.Equal(array, _gc.FindObject(array - 8 + GcDesc.ObjectSize(array)));
        Assert.Equal(0UL, _gc.FindObject(_heapStart + HeapBytes - 8));
        _gc.MarkInterior(array + 60);
        _gc.Drain();
        SweepResult result = _gc.Sweep(_heap);
        Assert.Equal(1UL, result.LiveObjects);
        Assert.False(_gc.IsObjectStart(other));
    }

    [Fact]
    public void FullMarkStackRescansAndStillMarksEverything()
    {
        using MarkSweepTests small = WithMarkStack(2);
        // A wide tree: the root array holds 64 nodes, each with two children.
        ulong root = small.NewArray(small._refArrayType, 8, 64);
        for (int i = 0; i < 64; i++)
        {
            ulong node = small.NewObject(small._nodeType, 40);
            small.Link(node, small.NewObject(small._nodeType, 40), small.NewObject(small._nodeType, 40));
            *(ulong*)(root + 16 + (ulong)i * 8) = node;
        }
        small.NewObject(small._nodeType, 40); // garbage
        small._gc.MarkReference(root);
        small._gc.Drain();
        SweepResult result = small._gc.Sweep(small._heap);
        Assert.True(small._gc.MarkStackOverflows > 0);
        Assert.Equal(1UL + 64 * 3, result.LiveObjects);
        Assert.Equal(1UL, result.FreedObjects);
    }

    [Fact]
    public void FlaggedConservativeRootsLeaveNoMarkBehind()
    {
        // The Test build's cross-check keeps the conservative root set in the mark bitmap before marking.
        ulong array = NewArray(_bytesType, 1, 100);
        ulong node = NewObject(_nodeType, 40);
        ulong child = NewObject(_nodeType, 40);
        Link(node, child, 0);
        Assert.True(_gc.FlagInterior(array + 40, true));
        Assert.False(_gc.FlagInterior(_heapStart + HeapBytes - 8, true));
        Assert.True(_gc.IsMarked(array));
        Assert.False(_gc.IsMarked(node));
        Assert.Equal(0UL, _gc.MarkedObjects);
        _gc.ClearMarks();
        Assert.False(_gc.IsMarked(array));
        // A stale flag would stop tracing: after clearing, node's child is still reached.
        _gc.FlagInterior(node, true);
        _gc.ClearMarks();
        _gc.MarkReference(node);
        _gc.Drain();
        SweepResult result = _gc.Sweep(_heap);
        Assert.Equal(2UL, result.LiveObjects);
        Assert.Equal(1UL, result.FreedObjects);
        Assert.False(_gc.IsObjectStart(array));
    }

    [Fact]
    public void AnObjectWhoseTypeIsNotWrittenYetIsKeptAndAnUnreachableTypedOneIsNot()
    {
        // Another CPU allocated it and was stopped before writing the MethodTable; it holds only the block address,
        // which no mark can map to the object.
        ulong untyped = NewObject(0, 40);
        ulong typed = NewObject(_nodeType, 40);
        _gc.MarkInterior(untyped - 8);
        _gc.Drain();
        SweepResult result = _gc.Sweep(_heap);
        Assert.Equal(1UL, result.LiveObjects);
        Assert.Equal(1UL, result.FreedObjects);
        Assert.True(_gc.IsObjectStart(untyped));
        Assert.False(_gc.IsObjectStart(typed));
    }

    [Fact]
    public void ExplicitFreeForgetsTheObject()
    {
        ulong node = NewObject(_nodeType, 40);
        _gc.RecordFree(node);
        Assert.Equal(HeapError.None, _heap.Free(node - 8));
        SweepResult result = _gc.Sweep(_heap);
        Assert.Equal(0UL, result.FreedObjects + result.RejectedFrees);
    }

    private ulong[] Slots(ulong obj)
    {
        SlotList visitor = new SlotList { Found = new List<ulong>() };
        GcDesc.VisitReferences(obj, ref visitor);
        return visitor.Found.ToArray();
    }

    private void Link(ulong node, ulong a, ulong b)
    {
        *(ulong*)(node + 8) = a;
        *(ulong*)(node + 16) = b;
    }

    private ulong NewObject(ulong type, ulong size)
    {
        ulong block = _heap.Allocate(size, 16, out HeapError error);
        Assert.Equal(HeapError.None, error);
        new Span<byte>((void*)block, (int)size).Clear();
        ulong obj = block + 8;
        *(ulong*)obj = type;
        _gc.RecordAllocation(obj);
        return obj;
    }

    private ulong NewArray(ulong type, uint componentSize, uint length)
    {
        ulong size = (24 + (ulong)componentSize * length + 7) & ~7UL;
        ulong obj = NewObject(type, size);
        *(uint*)(obj + 8) = length;
        return obj;
    }

    // A MethodTable (flags, base size) with its GCDesc in front: series (size - baseSize, offset), MT[-1] = count.
    private ulong MethodTable(uint flags, uint baseSize, (long Size, ulong Offset)[] series)
    {
        int front = 8 + 16 * series.Length;
        ulong memory = Zeroed((ulong)front + 64);
        ulong mt = memory + (ulong)front;
        *(long*)(mt - 8) = series.Length;
        for (int i = 0; i < series.Length; i++)
        {
            ulong at = mt - 8 - 16 * (ulong)(i + 1);
            *(long*)at = series[i].Size;
            *(ulong*)(at + 8) = series[i].Offset;
        }
        *(uint*)mt = flags;
        *(uint*)(mt + 4) = baseSize;
        return mt;
    }

    // An array of structs: MT[-1] = -items, MT[-2] = start offset, then (pointers, skip) items downwards from MT[-3].
    private ulong RepeatingMethodTable(uint flags, uint baseSize, ulong startOffset, params (uint Pointers, uint Skip)[] items)
    {
        int front = 16 + 8 * items.Length;
        ulong memory = Zeroed((ulong)front + 64);
        ulong mt = memory + (ulong)front;
        *(long*)(mt - 8) = -items.Length;
        *(ulong*)(mt - 16) = startOffset;
        for (int i = 0; i < items.Length; i++)
        {
            ulong at = mt - 24 - 8 * (ulong)i;
            *(uint*)at = items[i].Pointers;
            *(uint*)(at + 4) = items[i].Skip;
        }
        *(uint*)mt = flags;
        *(uint*)(mt + 4) = baseSize;
        return mt;
    }

    private ulong Zeroed(ulong bytes) => Aligned(bytes, 16);

    private ulong Aligned(ulong bytes, ulong alignment)
    {
        void* block = NativeMemory.AlignedAlloc((nuint)bytes, (nuint)alignment);
        NativeMemory.Clear(block, (nuint)bytes);
        _blocks.Add((IntPtr)block);
        return (ulong)block;
    }

    private struct SlotList : IReferenceVisitor
    {
        public List<ulong> Found;

        public void Visit(ulong* slot) => Found.Add((ulong)slot);
    }
}
