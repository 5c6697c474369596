// The bump design (seed chapter "Allocator Designs"): a next pointer that only moves up, and a count of live
// allocations; when the count returns to zero the whole region is reused from the start.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

/// <summary>Bump allocation: O(1), but memory is reclaimed only when every block has been freed.</summary>
/// <remarks>
/// Layout. Records follow each other from the start of the region, each 16-aligned and a multiple of 16 long:
/// <list type="bullet">
/// <item>a block: a 16-byte header, then the payload rounded up to 16 (at least 16). Header word 0: requested
/// size (bits 0..47) | alignment log2 (bits 56..59); word 1: HeapBits.Mix(address, word 0, LiveMagic), changed to
/// FreedMagic when the block is freed, so double frees are recognised without a walk.</item>
/// <item>padding left by an aligned allocation or by shrinking a block in place: word 0 = its length, word 1 =
/// Mix(address, word 0, PadMagic).</item>
/// </list>
/// Safety: the region [start, start + bytes mapped) must stay readable and writable and be used by nothing else;
/// IHeapGrowth must add memory directly after the current end. The type, not each member, is unsafe: it is a
/// raw-memory structure whose every member reads and writes block headers through pointers.
/// </remarks>
public sealed unsafe class BumpAllocator : IHeapAllocator
{
    private const ulong HeaderSize = 16;
    private const ulong SizeField = 0x0000_FFFF_FFFF_FFFFUL;
    private const int AlignShift = 56;
    private const ulong LiveMagic = 0xB0B5_11FE_0000_B1B1UL;
    private const ulong FreedMagic = 0xB0B5_DEAD_0000_B1B1UL;
    private const ulong PadMagic = 0xB0B5_BADD_0000_B1B1UL;

    private readonly ulong _start;
    private readonly ulong _first;
    private readonly IHeapGrowth _growth;
    private ulong _mappedEnd;
    private ulong _end;
    private ulong _next;
    private ulong _live;

    private HeapCounters _counters;

    /// <summary>A bump heap over [start, start + initialBytes), growing through growth (may be null).</summary>
    /// <remarks>Safety: see the class remarks; the region must not be used by anything else.</remarks>
    public BumpAllocator(ulong start, ulong initialBytes, IHeapGrowth growth)
    {
        _start = start;
        _first = HeapBits.AlignUp(start, HeaderSize);
        _next = _first;
        _mappedEnd = start + initialBytes;
        _end = MappedBlockEnd();
        _growth = growth;
    }

    /// <inheritdoc/>
    public string Name => "bump";

    /// <summary>Live allocations (the bump pointer goes back to the start when this reaches zero).</summary>
    public ulong LiveAllocations => _live;

    /// <summary>Where the next block's header would go (the start of the region when nothing is live).</summary>
    public ulong Next => _next;

    /// <inheritdoc/>
    public HeapStatistics Statistics
    {
        get
        {
            HeapStatistics s = default;
            _counters.CopyTo(ref s);
            s.BytesMapped = _mappedEnd - _start;
            ulong free = _end - _next > HeaderSize ? _end - _next - HeaderSize : 0;
            s.FreeBytes = free;
            s.LargestFreeBlock = free;
            return s;
        }
    }

    /// <inheritdoc/>
    public ulong Allocate(ulong size, ulong alignment, out HeapError error)
    {
        error = HeapBits.CheckRequest(size, alignment);
        if (error != HeapError.None)
            return 0;
        if (alignment < HeaderSize)
            alignment = HeaderSize;
        ulong span = SpanFor(size);
        while (true)
        {
            ulong h = HeapBits.AlignUp(_next + HeaderSize, alignment) - HeaderSize;
            if (h <= _end && span <= _end - h)
            {
                if (h != _next)
                {
                    ulong gap = h - _next;
                    *(ulong*)_next = gap;
                    *(ulong*)(_next + 8) = HeapBits.Mix(_next, gap, PadMagic);
                }
                ulong word = size | ((ulong)HeapBits.Log2(alignment) << AlignShift);
                *(ulong*)h = word;
                *(ulong*)(h + 8) = HeapBits.Mix(h, word, LiveMagic);
                _next = h + span;
                _live++;
                _counters.Allocated(size);
                error = HeapError.None;
                return h + HeaderSize;
            }
            if (!Grow(span + alignment))
            {
                error = HeapError.OutOfMemory;
                return 0;
            }
        }
    }

    /// <inheritdoc/>
    public HeapError Free(ulong address)
    {
        HeapError error = CheckLive(address);
        if (error != HeapError.None)
        {
            _counters.Rejected();
            return error;
        }
        ulong h = address - HeaderSize;
        ulong word = *(ulong*)h;
        *(ulong*)(h + 8) = HeapBits.Mix(h, word, FreedMagic);
        _counters.Freed(word & SizeField);
        if (--_live == 0)
            _next = _first;
        return HeapError.None;
    }

    /// <inheritdoc/>
    public ulong Reallocate(ulong address, ulong newSize, out HeapError error)
    {
        if (address == 0)
            return Allocate(newSize, HeaderSize, out error);
        error = CheckLive(address);
        if (error != HeapError.None)
        {
            _counters.Rejected();
            return 0;
        }
        if (newSize > HeapBits.MaxRequest)
        {
            error = HeapError.OutOfMemory;
            return 0;
        }
        ulong h = address - HeaderSize;
        ulong word = *(ulong*)h;
        ulong oldSize = word & SizeField;
        ulong oldSpan = SpanFor(oldSize);
        ulong newSpan = SpanFor(newSize);
        bool inPlace = newSpan <= oldSpan;
        if (!inPlace && h + oldSpan == _next)
        {
            // The last block can grow in place, growing the region if needed.
            while (newSpan > _end - h)
            {
                if (!Grow(newSpan - (_end - h)))
                    break;
            }
            if (newSpan <= _end - h)
            {
                _next = h + newSpan;
                inPlace = true;
            }
        }
        if (!inPlace)
        {
            ulong alignment = 1UL << (int)(word >> AlignShift);
            ulong moved = Allocate(newSize, alignment, out error);
            if (moved == 0)
                return 0;
            HeapBits.CopyBlock(address, moved, oldSize < newSize ? oldSize : newSize);
            Free(address);
            return moved;
        }
        if (newSpan < oldSpan)
        {
            // A shrink keeps the records tiling the region: the last block gives its tail back to the bump pointer,
            // any other leaves a padding record over it (the header must keep describing the block's own span, or
            // the walk in CheckLive would read payload bytes as the next record's header).
            ulong tail = h + newSpan;
            if (h + oldSpan == _next)
            {
                _next = tail;
            }
            else
            {
                ulong gap = oldSpan - newSpan;
                *(ulong*)tail = gap;
                *(ulong*)(tail + 8) = HeapBits.Mix(tail, gap, PadMagic);
            }
        }
        ulong updated = (word & ~SizeField) | newSize;
        *(ulong*)h = updated;
        *(ulong*)(h + 8) = HeapBits.Mix(h, updated, LiveMagic);
        _counters.Resized(oldSize, newSize);
        error = HeapError.None;
        return address;
    }

    /// <inheritdoc/>
    public ulong UsableSize(ulong address)
    {
        if (CheckLive(address) != HeapError.None)
            return 0;
        return SpanFor(*(ulong*)(address - HeaderSize) & SizeField) - HeaderSize;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SpanFor(ulong size)
    {
        ulong payload = (size + 15) & ~15UL;
        return HeaderSize + (payload == 0 ? HeaderSize : payload);
    }

    private ulong MappedBlockEnd()
    {
        ulong end = HeapBits.AlignDown(_mappedEnd, HeaderSize);
        return end < _first ? _first : end;
    }

    private bool Grow(ulong minimum)
    {
        ulong added = HeapBits.Grow(_growth, minimum + HeaderSize);
        if (added == 0)
            return false;
        _mappedEnd += added;
        _end = MappedBlockEnd();
        return true;
    }

    /// <summary>None if address is a live block's payload, else why not (walks the records only on failure).</summary>
    private HeapError CheckLive(ulong address)
    {
        ulong h = address - HeaderSize;
        if (h - _first >= _end - _first || (address & (HeaderSize - 1)) != 0)
            return HeapError.ForeignPointer;
        ulong word = *(ulong*)h;
        ulong check = *(ulong*)(h + 8);
        if (h < _next && check == HeapBits.Mix(h, word, LiveMagic))
            return HeapError.None;
        if (check == HeapBits.Mix(h, word, FreedMagic))
            return HeapError.DoubleFree;
        if (h >= _next)
            return HeapError.ForeignPointer;
        // Walk the records: is h a record whose header was overwritten, or a pointer into a block?
        ulong p = _first;
        while (p < _next)
        {
            ulong w = *(ulong*)p;
            ulong c = *(ulong*)(p + 8);
            ulong span;
            bool pad = false;
            if (c == HeapBits.Mix(p, w, LiveMagic) || c == HeapBits.Mix(p, w, FreedMagic))
            {
                span = SpanFor(w & SizeField);
            }
            else if (c == HeapBits.Mix(p, w, PadMagic) && w != 0 && (w & 15) == 0)
            {
                span = w;
                pad = true;
            }
            else
            {
                return HeapError.CorruptHeader; // the record at p (h itself, or one before it) is damaged
            }
            if (p == h)
                return pad ? HeapError.ForeignPointer : HeapError.CorruptHeader;
            if (span > _next - p)
                return HeapError.CorruptHeader;
            if (h < p + span)
                return HeapError.ForeignPointer;
            p += span;
        }
        return HeapError.ForeignPointer;
    }
}
