// The linked-list design (seed chapter "Allocator Designs"): one address-ordered list of free blocks, first fit,
// splitting, and merging with both neighbours on free. Simple and memory-frugal, but every operation walks the list.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

/// <summary>First-fit allocation from an address-ordered free list; O(free blocks) per operation.</summary>
/// <remarks>
/// Layout. The region is tiled by blocks (sizes multiples of 16, at least 32), each with a 16-byte header:
/// <list type="bullet">
/// <item>word 0: size (bits 4..47) | Free (bit 0) | Tagged (bit 1, blocks the FixedSizeBlockAllocator uses as
/// slabs) | slack (bits 48..55, size minus header minus requested) | alignment log2 (bits 56..59).</item>
/// <item>word 1: HeapBits.Mix(address, word 0, UsedMagic or FreeMagic), so overwritten headers are caught.</item>
/// <item>word 2 of a free block: the next free block (higher address), or 0.</item>
/// </list>
/// Freeing writes a free header first, so a block merged into its free predecessor still shows a free header
/// at its old address and a second Free of it is reported as a double free.
/// Safety: the region [start, start + bytes mapped) must stay readable and writable and be used by nothing else;
/// IHeapGrowth must add memory directly after the current end. The type, not each member, is unsafe: it is a
/// raw-memory structure whose every member reads and writes block headers through pointers.
/// </remarks>
public sealed unsafe partial class LinkedListAllocator : IHeapAllocator
{
    private const ulong HeaderSize = 16;
    private const ulong MinBlock = 32;
    private const ulong FreeBit = 1;
    private const ulong TagBit = 2;
    private const ulong SizeMask = 0x0000_FFFF_FFFF_FFF0UL;
    private const int SlackShift = 48;
    private const int AlignShift = 56;
    private const ulong AlignField = 0xFUL << AlignShift;
    private const ulong UsedMagic = 0x11A7_C0DE_0B10_C4EDUL;
    private const ulong FreeMagic = 0x11A7_F4EE_0B10_C4EDUL;

    /// <summary>Largest alignment the internal (slab) interface accepts, as a power of two.</summary>
    internal const int MaxInternalAlignLog2 = 15;

    private readonly ulong _start;
    private readonly ulong _first;
    private readonly IHeapGrowth _growth;
    private ulong _mappedEnd;
    private ulong _end; // end of the tiled blocks (a multiple of 16)
    private ulong _freeHead;

    private HeapCounters _counters;
    private ulong _freeBlockBytes;
    private ulong _freeBlockCount;

    /// <summary>A linked-list heap over [start, start + initialBytes), growing through growth (may be null).</summary>
    /// <remarks>Safety: see the class remarks; the region must not be used by anything else.</remarks>
    public LinkedListAllocator(ulong start, ulong initialBytes, IHeapGrowth growth)
    {
        _start = start;
        _first = HeapBits.AlignUp(start, HeaderSize);
        _end = _first;
        _mappedEnd = start + initialBytes;
        _growth = growth;
        AddMappedSpace();
    }

    /// <inheritdoc/>
    public string Name => "list";

    /// <summary>First byte of the tiled block area.</summary>
    internal ulong First => _first;

    /// <summary>End of the tiled block area.</summary>
    internal ulong End => _end;

    /// <summary>Bytes of address space managed so far.</summary>
    internal ulong BytesMapped => _mappedEnd - _start;

    /// <summary>Payload bytes in free blocks.</summary>
    internal ulong FreeBytes => _freeBlockBytes - HeaderSize * _freeBlockCount;

    /// <inheritdoc/>
    public HeapStatistics Statistics
    {
        get
        {
            HeapStatistics s = default;
            _counters.CopyTo(ref s);
            s.BytesMapped = _mappedEnd - _start;
            s.FreeBytes = FreeBytes;
            s.LargestFreeBlock = LargestFreeBlock();
            return s;
        }
    }

    /// <inheritdoc/>
    public ulong Allocate(ulong size, ulong alignment, out HeapError error)
    {
        error = HeapBits.CheckRequest(size, alignment);
        if (error != HeapError.None)
            return 0;
        return AllocateBlock(size, HeapBits.Log2(alignment), false, out error);
    }

    /// <inheritdoc/>
    public HeapError Free(ulong address) => FreeBlock(address, false);

    /// <inheritdoc/>
    public ulong Reallocate(ulong address, ulong newSize, out HeapError error)
    {
        if (address == 0)
            return Allocate(newSize, HeaderSize, out error);
        error = CheckLive(address, false);
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
        ulong w0 = *(ulong*)h;
        ulong size = w0 & SizeMask;
        ulong oldRequested = size - HeaderSize - ((w0 >> SlackShift) & 0xFF);
        ulong need = BlockSizeFor(newSize);
        if (need <= size)
        {
            if (size - need >= MinBlock)
            {
                // Hand the tail back through the normal release path (it merges with a free successor).
                error = Release(h + need, size - need);
                if (error != HeapError.None)
                {
                    _counters.Rejected();
                    return 0;
                }
                size = need;
            }
        }
        else if (!GrowInPlace(h, size, need, ref size, out error))
        {
            if (error != HeapError.None)
            {
                _counters.Rejected();
                return 0;
            }
            ulong alignLog2 = (w0 & AlignField) >> AlignShift;
            ulong moved = AllocateBlock(newSize, (int)alignLog2, false, out error);
            if (moved == 0)
                return 0;
            HeapBits.CopyBlock(address, moved, oldRequested < newSize ? oldRequested : newSize);
            FreeBlock(address, false);
            return moved;
        }
        WriteUsedHeader(h, size | (w0 & (TagBit | AlignField)), newSize);
        _counters.Resized(oldRequested, newSize);
        error = HeapError.None;
        return address;
    }

    /// <inheritdoc/>
    public ulong UsableSize(ulong address)
    {
        if (CheckLive(address, false) != HeapError.None)
            return 0;
        return (*(ulong*)(address - HeaderSize) & SizeMask) - HeaderSize;
    }

    // ---- the interface the FixedSizeBlockAllocator uses ----

    /// <summary>Allocates size bytes aligned to 2^alignLog2 (up to 2^15); tagged marks a slab.</summary>
    internal ulong AllocateBlock(ulong size, int alignLog2, bool tagged, out HeapError error)
    {
        if (size > HeapBits.MaxRequest || alignLog2 > MaxInternalAlignLog2)
        {
            error = size > HeapBits.MaxRequest ? HeapError.OutOfMemory : HeapError.BadAlignment;
            return 0;
        }
        if (alignLog2 < 4)
            alignLog2 = 4;
        ulong alignment = 1UL << alignLog2;
        ulong need = BlockSizeFor(size);
        while (true)
        {
            ulong previous = 0;
            ulong current = _freeHead;
            while (current != 0)
            {
                ulong w0 = *(ulong*)current;
                ulong bsize = w0 & SizeMask;
                ulong next = *(ulong*)(current + 16);
                if (!PlausibleFree(current, w0, next))
                {
                    error = HeapError.CorruptHeader;
                    return 0;
                }
                ulong start = HeapBits.AlignUp(current + HeaderSize, alignment) - HeaderSize;
                ulong gap = start - current;
                if (gap != 0 && gap < MinBlock)
                {
                    start += alignment;
                    gap += alignment;
                }
                if (gap <= bsize && need <= bsize - gap)
                {
                    if (*(ulong*)(current + 8) != HeapBits.Mix(current, w0, FreeMagic))
                    {
                        error = HeapError.CorruptHeader;
                        return 0;
                    }
                    error = HeapError.None;
                    return Carve(previous, current, bsize, next, start, gap, need, size,
                        (tagged ? TagBit : 0) | ((ulong)alignLog2 << AlignShift));
                }
                previous = current;
                current = next;
            }
            if (!Grow(need + alignment + MinBlock))
            {
                error = HeapError.OutOfMemory;
                return 0;
            }
        }
    }

    /// <summary>Frees a block; tagged must match how it was allocated (a slab cannot be freed as a user block).</summary>
    internal HeapError FreeBlock(ulong address, bool tagged)
    {
        HeapError error = CheckLive(address, tagged);
        if (error == HeapError.None)
        {
            ulong h = address - HeaderSize;
            ulong w0 = *(ulong*)h;
            ulong size = w0 & SizeMask;
            error = Release(h, size);
            if (error == HeapError.None)
            {
                _counters.Freed(size - HeaderSize - ((w0 >> SlackShift) & 0xFF));
                return HeapError.None;
            }
        }
        _counters.Rejected();
        return error;
    }

    /// <summary>The requested size of a live block (0 if address is not one).</summary>
    internal ulong RequestedSize(ulong address)
    {
        if (CheckLive(address, false) != HeapError.None)
            return 0;
        ulong w0 = *(ulong*)(address - HeaderSize);
        return (w0 & SizeMask) - HeaderSize - ((w0 >> SlackShift) & 0xFF);
    }

    /// <summary>Whether address lies in (or at the start of) a tagged live block: a slab whose header was damaged.</summary>
    internal bool IsInsideTaggedBlock(ulong address)
    {
        ulong p = _first;
        while (p < _end)
        {
            ulong w0 = *(ulong*)p;
            ulong size = w0 & SizeMask;
            bool isFree = (w0 & FreeBit) != 0;
            if (size < MinBlock || size > _end - p
                || *(ulong*)(p + 8) != HeapBits.Mix(p, w0, isFree ? FreeMagic : UsedMagic))
                return false;
            if (address < p + size)
                return address >= p && !isFree && (w0 & TagBit) != 0;
            p += size;
        }
        return false;
    }

    // ---- internals ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BlockSizeFor(ulong size)
    {
        ulong need = (size + HeaderSize + 15) & ~15UL;
        return need < MinBlock ? MinBlock : need;
    }

    private ulong Carve(ulong previous, ulong current, ulong bsize, ulong next, ulong start, ulong gap, ulong need,
        ulong requested, ulong flags)
    {
        ulong tail = bsize - gap - need;
        if (tail < MinBlock)
        {
            need += tail;
            tail = 0;
        }
        _freeBlockBytes -= bsize;
        _freeBlockCount--;
        if (tail != 0)
        {
            ulong t = start + need;
            WriteFreeBlock(t, tail, next);
            next = t;
        }
        if (gap != 0)
        {
            WriteFreeBlock(current, gap, next); // stays where it was in the list
        }
        else if (previous != 0)
        {
            *(ulong*)(previous + 16) = next;
        }
        else
        {
            _freeHead = next;
        }
        WriteUsedHeader(start, need | flags, requested);
        _counters.Allocated(requested);
        return start + HeaderSize;
    }

    /// <summary>Writes a live header: word is size | flags; the slack is derived from requested.</summary>
    private static void WriteUsedHeader(ulong h, ulong word, ulong requested)
    {
        word |= ((word & SizeMask) - HeaderSize - requested) << SlackShift;
        *(ulong*)h = word;
        *(ulong*)(h + 8) = HeapBits.Mix(h, word, UsedMagic);
    }

    /// <summary>Writes a free header (counted in the free totals) with its list link.</summary>
    private void WriteFreeBlock(ulong block, ulong size, ulong next)
    {
        ulong word = size | FreeBit;
        *(ulong*)block = word;
        *(ulong*)(block + 8) = HeapBits.Mix(block, word, FreeMagic);
        *(ulong*)(block + 16) = next;
        _freeBlockBytes += size;
        _freeBlockCount++;
    }

    /// <summary>Updates a free block's size in place (already counted; keeps its link).</summary>
    private void ResizeFreeBlock(ulong block, ulong oldSize, ulong newSize)
    {
        ulong word = newSize | FreeBit;
        *(ulong*)block = word;
        *(ulong*)(block + 8) = HeapBits.Mix(block, word, FreeMagic);
        _freeBlockBytes = _freeBlockBytes - oldSize + newSize;
    }

    /// <summary>
    /// Puts [h, h + size) on the free list, merging with free neighbours. Validates the list nodes it walks and
    /// the neighbours it merges first; on CorruptHeader nothing has changed.
    /// </summary>
    private HeapError Release(ulong h, ulong size)
    {
        ulong previous = 0;
        ulong current = _freeHead;
        while (current != 0 && current < h)
        {
            ulong next = *(ulong*)(current + 16);
            if (!PlausibleFree(current, *(ulong*)current, next))
                return HeapError.CorruptHeader;
            previous = current;
            current = next;
        }
        if ((previous != 0 && !ValidFree(previous)) || (current != 0 && (current < h + size || !ValidFree(current))))
            return HeapError.CorruptHeader;
        if (previous != 0 && previous + (*(ulong*)previous & SizeMask) > h)
            return HeapError.CorruptHeader;

        // Leave a free header at h even if it is merged away (double-free diagnosis).
        ulong freedWord = size | FreeBit;
        *(ulong*)h = freedWord;
        *(ulong*)(h + 8) = HeapBits.Mix(h, freedWord, FreeMagic);

        ulong after = current;
        if (current != 0 && h + size == current)
        {
            ulong csize = *(ulong*)current & SizeMask;
            after = *(ulong*)(current + 16);
            _freeBlockBytes -= csize;
            _freeBlockCount--;
            size += csize;
        }
        if (previous != 0 && previous + (*(ulong*)previous & SizeMask) == h)
        {
            ulong psize = *(ulong*)previous & SizeMask;
            ResizeFreeBlock(previous, psize, psize + size);
            *(ulong*)(previous + 16) = after;
        }
        else
        {
            WriteFreeBlock(h, size, after);
            if (previous != 0)
                *(ulong*)(previous + 16) = h;
            else
                _freeHead = h;
        }
        return HeapError.None;
    }
}
