// The collector's core (issue 14): side bitmaps over the heap region, marking with an explicit stack, and the sweep
// that frees dead objects through the heap design. No policy here (roots, triggers, locking live in
// GarbageCollector); it works on raw memory, so the host tests run it over a simulated heap.
using Kernel.Heap;

namespace Kernel.Gc;

/// <summary>What one sweep found.</summary>
public struct SweepResult
{
    /// <summary>Objects freed.</summary>
    public ulong FreedObjects;

    /// <summary>Bytes the freed objects occupied (object sizes, header word included).</summary>
    public ulong FreedBytes;

    /// <summary>Objects that survived.</summary>
    public ulong LiveObjects;

    /// <summary>Bytes the survivors occupy.</summary>
    public ulong LiveBytes;

    /// <summary>Frees the heap design rejected (a bitmap out of step with the heap: a bug).</summary>
    public ulong RejectedFrees;
}

/// <summary>
/// Mark-sweep over one contiguous heap region. Objects start 8 bytes into 16-aligned blocks, so one bit per
/// 16-byte granule says "an object starts here" (set by the allocation path) and one says "marked". The collector
/// never writes an object's header or MethodTable word.
/// </summary>
/// <remarks>
/// Safety: the bitmaps must cover [heapStart, heapStart + coveredBytes) (coveredBytes / 128 bytes each, zeroed
/// when first covered), and every set start bit must name a live object with a readable MethodTable.
/// </remarks>
public sealed unsafe class MarkSweep
{
    /// <summary>Bytes per bitmap bit: the heap's block alignment.</summary>
    public const ulong GranuleBytes = 16;

    /// <summary>Heap bytes one bitmap byte covers.</summary>
    public const ulong BytesPerBitmapByte = GranuleBytes * 8;

    private readonly ulong _heapStart;
    private readonly ulong* _starts;
    private readonly ulong* _marks;
    private readonly ulong* _stack;
    private readonly int _capacity;
    private ulong _coveredBytes;
    private int _top;
    private bool _overflowed;

    /// <summary>Creates the collector over bitmaps and a mark stack the caller owns (outside the collected heap).</summary>
    /// <remarks>Safety: as for the type; stack holds capacity words.</remarks>
    public MarkSweep(ulong heapStart, ulong* starts, ulong* marks, ulong coveredBytes, ulong* stack, int capacity)
    {
        _heapStart = heapStart;
        _starts = starts;
        _marks = marks;
        _coveredBytes = coveredBytes;
        _stack = stack;
        _capacity = capacity;
    }

    /// <summary>Start of the collected region.</summary>
    public ulong HeapStart => _heapStart;

    /// <summary>Bytes of the region the bitmaps cover.</summary>
    public ulong CoveredBytes => _coveredBytes;

    /// <summary>Objects marked since the last sweep.</summary>
    public ulong MarkedObjects { get; private set; }

    /// <summary>Times the mark stack filled up over the collector's life (each costs a rescan).</summary>
    public ulong MarkStackOverflows { get; private set; }

    /// <summary>Objects whose start bit is set.</summary>
    public ulong TrackedObjects { get; private set; }

    /// <summary>The bitmaps now cover coveredBytes (they only grow); the caller zeroed the new part.</summary>
    public void Cover(ulong coveredBytes)
    {
        if (coveredBytes > _coveredBytes)
            _coveredBytes = coveredBytes;
    }

    /// <summary>Records a new object at obj (its block is obj - 8).</summary>
    public void RecordAllocation(ulong obj)
    {
        ulong bit = BitOf(obj);
        _starts[bit >> 6] |= 1UL << (int)(bit & 63);
        TrackedObjects++;
    }

    /// <summary>Forgets an object freed explicitly (a debug aid), so the sweep never frees its block again.</summary>
    public void RecordFree(ulong obj)
    {
        if (!IsObjectStart(obj))
            return;
        ulong bit = BitOf(obj);
        _starts[bit >> 6] &= ~(1UL << (int)(bit & 63));
        TrackedObjects--;
    }

    /// <summary>Whether address lies in the covered region.</summary>
    public bool Contains(ulong address) => address >= _heapStart && address - _heapStart < _coveredBytes;

    /// <summary>Whether an object starts exactly at address.</summary>
    public bool IsObjectStart(ulong address)
    {
        if (!Contains(address) || ((address - _heapStart) & (GranuleBytes - 1)) != GcDesc.ObjectHeaderBytes)
            return false;
        ulong bit = BitOf(address);
        return (_starts[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
    }

    /// <summary>
    /// The object whose extent [obj - 8, obj - 8 + size] (end included: a Span's end) holds address, or 0. Searches
    /// the start bitmap backwards from address.
    /// </summary>
    public ulong FindObject(ulong address)
    {
        if (address < _heapStart + GcDesc.ObjectHeaderBytes || !Contains(address))
            return 0;
        long bit = (long)((address - _heapStart - GcDesc.ObjectHeaderBytes) / GranuleBytes);
        long word = bit >> 6;
        ulong bits = _starts[word] & (ulong.MaxValue >> (63 - (int)(bit & 63)));
        while (bits == 0)
        {
            if (--word < 0)
                return 0;
            bits = _starts[word];
        }
        ulong found = (ulong)(word << 6) + (ulong)HeapBits.Log2(bits);
        ulong obj = _heapStart + found * GranuleBytes + GcDesc.ObjectHeaderBytes;
        if (*(ulong*)obj == 0)
            return address == obj ? obj : 0; // allocated, type not written yet
        ulong end = obj - GcDesc.ObjectHeaderBytes + GcDesc.ObjectSize(obj);
        return address <= end ? obj : 0;
    }

    /// <summary>A root that may point anywhere (a stack word, an interior reference): marks the object it falls in.</summary>
    public void MarkInterior(ulong value)
    {
        if (!Contains(value))
            return;
        ulong obj = FindObject(value);
        if (obj != 0)
            Mark(obj);
    }

    /// <summary>A precise reference: marks it when it is an object start in this heap (other values live elsewhere).</summary>
    public void MarkReference(ulong value)
    {
        if (IsObjectStart(value))
            Mark(value);
    }

    /// <summary>
    /// Sets or clears the mark bit of the object value falls in (interior values included), without tracing or
    /// counting: the Test build's root cross-check keeps the conservative root set in the mark bitmap this way,
    /// before marking starts, and clears it again. Returns whether value fell in an object.
    /// </summary>
    public bool FlagInterior(ulong value, bool set)
    {
        if (!Contains(value))
            return false;
        ulong obj = FindObject(value);
        if (obj == 0)
            return false;
        ulong bit = BitOf(obj);
        if (set)
            _marks[bit >> 6] |= 1UL << (int)(bit & 63);
        else
            _marks[bit >> 6] &= ~(1UL << (int)(bit & 63));
        return true;
    }

    /// <summary>Whether the object at obj (an object start) has its mark bit set.</summary>
    public bool IsMarked(ulong obj)
    {
        ulong bit = BitOf(obj);
        return (_marks[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
    }

    /// <summary>Clears every mark bit (after FlagInterior, before marking).</summary>
    public void ClearMarks()
    {
        ulong words = WordCount;
        for (ulong w = 0; w < words; w++)
            _marks[w] = 0;
    }

    /// <summary>Marks everything reachable from what was marked so far; rescans when the mark stack overflowed.</summary>
    public void Drain()
    {
        MarkVisitor visitor = new MarkVisitor(this);
        while (true)
        {
            while (_top > 0)
            {
                ulong obj = _stack[--_top];
                GcDesc.VisitReferences(obj, ref visitor);
            }
            if (!_overflowed)
                return;
            // Some marked objects were never scanned: scan every marked object with references again.
            _overflowed = false;
            ulong words = WordCount;
            for (ulong w = 0; w < words; w++)
            {
                ulong bits = _marks[w];
                while (bits != 0)
                {
                    int b = HeapBits.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    ulong obj = ObjectAt(w, b);
                    if (*(ulong*)obj != 0 && GcDesc.HasPointers(obj))
                        GcDesc.VisitReferences(obj, ref visitor);
                    while (_top > 0)
                        GcDesc.VisitReferences(_stack[--_top], ref visitor);
                }
            }
        }
    }

    /// <summary>Frees every unmarked object through allocator and clears the marks for the next cycle.</summary>
    public SweepResult Sweep(IHeapAllocator allocator)
    {
        SweepResult result = default;
        ulong words = WordCount;
        for (ulong w = 0; w < words; w++)
        {
            ulong starts = _starts[w];
            if (starts == 0)
                continue;
            ulong marks = _marks[w];
            ulong bits = starts;
            while (bits != 0)
            {
                int b = HeapBits.TrailingZeroCount(bits);
                bits &= bits - 1;
                ulong obj = ObjectAt(w, b);
                ulong size = *(ulong*)obj == 0 ? GranuleBytes : GcDesc.ObjectSize(obj);
                // Type not written yet: allocated just now by a CPU the collection stopped, which holds only the
                // block's address (8 bytes before the object) and writes the MethodTable when it resumes. Kept.
                if ((marks & (1UL << b)) != 0 || *(ulong*)obj == 0)
                {
                    result.LiveObjects++;
                    result.LiveBytes += size;
                    continue;
                }
                if (allocator.Free(obj - GcDesc.ObjectHeaderBytes) != HeapError.None)
                    result.RejectedFrees++;
                starts &= ~(1UL << b);
                result.FreedObjects++;
                result.FreedBytes += size;
            }
            _starts[w] = starts;
            _marks[w] = 0;
        }
        TrackedObjects = result.LiveObjects;
        MarkedObjects = 0;
        return result;
    }

    private ulong WordCount => (_coveredBytes / GranuleBytes + 63) / 64;

    private ulong BitOf(ulong obj) => (obj - _heapStart) / GranuleBytes;

    private ulong ObjectAt(ulong word, int bit) => _heapStart + ((word << 6) + (ulong)bit) * GranuleBytes + GcDesc.ObjectHeaderBytes;

    private void Mark(ulong obj)
    {
        ulong bit = BitOf(obj);
        ulong mask = 1UL << (int)(bit & 63);
        if ((_marks[bit >> 6] & mask) != 0)
            return;
        _marks[bit >> 6] |= mask;
        MarkedObjects++;
        if (*(ulong*)obj == 0 || !GcDesc.HasPointers(obj))
            return;
        if (_top < _capacity)
        {
            _stack[_top++] = obj;
            return;
        }
        if (!_overflowed)
            MarkStackOverflows++;
        _overflowed = true;
    }

    private struct MarkVisitor : IReferenceVisitor
    {
        private readonly MarkSweep _owner;

        public MarkVisitor(MarkSweep owner) => _owner = owner;

        public void Visit(ulong* slot) => _owner.MarkReference(*slot);
    }
}
