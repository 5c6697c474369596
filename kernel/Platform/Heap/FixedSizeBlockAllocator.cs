// The fixed-size block design (seed chapter "Allocator Designs"): power-of-two size classes from 8 bytes to 2 KiB,
// each with its own free list, and a linked-list allocator behind them for larger or over-aligned requests.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

/// <summary>
/// Size-class allocation in O(1) for requests up to 2 KiB (and alignments up to 2 KiB); larger ones go to a
/// LinkedListAllocator.
/// </summary>
/// <remarks>
/// Class blocks are carved from 32 KiB slabs that the fallback allocates 32 KiB-aligned (as tagged blocks), so a
/// block's slab is its address rounded down to 32 KiB and blocks are naturally aligned to their class size. (A
/// slab leaves its last 16 bytes for the fallback header of whatever follows, so slabs pack without gaps.) Each
/// class keeps a list of slabs with free blocks; each slab keeps the free list of its blocks (a link in each free
/// block) and carves never-used blocks from a bump pointer. A slab that becomes empty goes back to the fallback,
/// so freeing everything returns the heap to one free region.
/// Slab header (64 bytes, then a bit field): word 0 = HeapBits.Mix(slab, class, SlabMagic); class (uint) and live
/// count (uint); free-list head; bump pointer; previous and next slab of the class list; then one field of
/// log2(class) + 1 bits per block holding requested size + 1 (0 = free), which catches double frees and gives
/// Free the requested size for the statistics.
/// Safety: the region [start, start + bytes mapped) must stay readable and writable and be used by nothing else;
/// IHeapGrowth must add memory directly after the current end. The type, not each member, is unsafe: it is a
/// raw-memory structure whose every member reads and writes block headers through pointers.
/// </remarks>
public sealed unsafe class FixedSizeBlockAllocator : IHeapAllocator
{
    private const int ClassCount = 9;
    private const int MinClassLog2 = 3;
    private const ulong LargestClass = 1UL << (MinClassLog2 + ClassCount - 1);
    private const int SlabLog2 = 15;
    private const ulong SlabSize = 1UL << SlabLog2;
    private const ulong SlabHeaderSize = 64;

    // A slab is the payload of a fallback block, so the fallback's 16-byte header sits just below it. Slabs use all
    // but the last 16 bytes of their 32 KiB so that the next slab's header fits there and slabs pack back to back.
    private const ulong SlabUsable = SlabSize - 16;
    private const ulong SlabMagic = 0x51AB_0B10_C4ED_5E7FUL;
    private const ulong RetiredSlabMagic = 0x51AB_DEAD_C4ED_5E7FUL;

    // Slab header word offsets.
    private const int CheckWord = 0;
    private const int ClassAndLiveWord = 1;
    private const int FreeHeadWord = 2;
    private const int BumpWord = 3;
    private const int PreviousWord = 4;
    private const int NextWord = 5;

    private struct ClassTable
    {
        public fixed ulong PartialSlabs[ClassCount];
        public fixed ulong FirstOffset[ClassCount];
        public fixed uint Capacity[ClassCount];
    }

    private readonly LinkedListAllocator _fallback;
    private ClassTable _classes;

    private HeapCounters _counters;
    private ulong _classFreeBytes;

    /// <summary>A block heap over [start, start + initialBytes), growing through growth (may be null).</summary>
    /// <remarks>Safety: see the class remarks; the region must not be used by anything else.</remarks>
    public FixedSizeBlockAllocator(ulong start, ulong initialBytes, IHeapGrowth growth)
    {
        _fallback = new LinkedListAllocator(start, initialBytes, growth);
        for (int k = 0; k < ClassCount; k++)
        {
            int classLog2 = MinClassLog2 + k;
            ulong blocks = SlabSize >> classLog2;
            ulong fieldBytes = (blocks * (ulong)FieldWidth(k) + 63) / 64 * 8;
            ulong first = HeapBits.AlignUp(SlabHeaderSize + fieldBytes, 1UL << classLog2);
            _classes.FirstOffset[k] = first;
            _classes.Capacity[k] = (uint)((SlabUsable - first) >> classLog2);
        }
    }

    /// <inheritdoc/>
    public string Name => "block";

    /// <inheritdoc/>
    public HeapStatistics Statistics
    {
        get
        {
            HeapStatistics fallback = _fallback.Statistics;
            HeapStatistics s = default;
            _counters.CopyTo(ref s);
            s.BytesMapped = fallback.BytesMapped;
            s.FreeBytes = fallback.FreeBytes + _classFreeBytes;
            ulong largest = fallback.LargestFreeBlock;
            for (int k = ClassCount - 1; k >= 0; k--)
            {
                if (_classes.PartialSlabs[k] != 0)
                {
                    ulong size = 1UL << (MinClassLog2 + k);
                    if (size > largest)
                        largest = size;
                    break;
                }
            }
            s.LargestFreeBlock = largest;
            return s;
        }
    }

    /// <inheritdoc/>
    public ulong Allocate(ulong size, ulong alignment, out HeapError error)
    {
        error = HeapBits.CheckRequest(size, alignment);
        if (error != HeapError.None)
            return 0;
        // The class is the size rounded up to a power of two (at least 16 when the alignment is 16): class blocks
        // are naturally aligned, so that meets any alignment up to the class size. A small request with a larger
        // alignment goes to the fallback: a class chosen by its alignment would waste most of each block and could
        // need a new 32 KiB-aligned slab that a small or fragmented heap no longer has (Allocate(3, 2048) failed
        // with 0.7% of a 256 KiB heap live), while the fallback needs only size + alignment of contiguous room.
        ulong classSize = size > alignment ? size : alignment;
        if (classSize <= LargestClass && (alignment <= 16 || alignment < size * 2))
        {
            int k = classSize <= 8 ? 0 : HeapBits.Log2(classSize - 1) + 1 - MinClassLog2;
            return AllocateFromClass(k, size, out error);
        }
        ulong address = _fallback.AllocateBlock(size, HeapBits.Log2(alignment), false, out error);
        if (address != 0)
            _counters.Allocated(size);
        return address;
    }

    /// <inheritdoc/>
    public HeapError Free(ulong address)
    {
        ulong slab = SlabOf(address);
        if (slab != 0)
        {
            HeapError error = CheckClassBlock(slab, address, out int k, out ulong requested);
            if (error != HeapError.None)
                return Reject(error);
            FreeToClass(slab, k, address);
            _counters.Freed(requested);
            return HeapError.None;
        }
        ulong large = _fallback.RequestedSize(address);
        HeapError result = _fallback.FreeBlock(address, false);
        if (result != HeapError.None)
            return Reject(ExplainFallbackError(address, result));
        _counters.Freed(large);
        return HeapError.None;
    }

    /// <inheritdoc/>
    public ulong Reallocate(ulong address, ulong newSize, out HeapError error)
    {
        if (address == 0)
            return Allocate(newSize, 16, out error);
        ulong slab = SlabOf(address);
        if (slab != 0)
        {
            error = CheckClassBlock(slab, address, out int k, out ulong requested);
            if (error != HeapError.None)
            {
                Reject(error);
                return 0;
            }
            ulong classSize = 1UL << (MinClassLog2 + k);
            if (newSize <= classSize)
            {
                SetField(slab, (address - slab) >> (MinClassLog2 + k), FieldWidth(k), newSize + 1);
                _counters.Resized(requested, newSize);
                return address;
            }
            // Keep at least the block's natural alignment (what it was allocated with is at most that).
            ulong moved = Allocate(newSize, classSize, out error);
            if (moved == 0)
                return 0;
            HeapBits.CopyBlock(address, moved, requested);
            Free(address);
            return moved;
        }
        ulong large = _fallback.RequestedSize(address);
        ulong result = _fallback.Reallocate(address, newSize, out error);
        if (result == 0)
        {
            if (error != HeapError.OutOfMemory)
                error = Reject(ExplainFallbackError(address, error));
            return 0;
        }
        if (result == address)
        {
            _counters.Resized(large, newSize);
            return result;
        }
        // A move counts as a free and an allocation, as on the class path above and in the other designs.
        _counters.Freed(large);
        _counters.Allocated(newSize);
        return result;
    }

    /// <inheritdoc/>
    public ulong UsableSize(ulong address)
    {
        ulong slab = SlabOf(address);
        if (slab != 0)
        {
            if (CheckClassBlock(slab, address, out int k, out _) != HeapError.None)
                return 0;
            return 1UL << (MinClassLog2 + k);
        }
        return _fallback.UsableSize(address);
    }

    // ---- classes ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FieldWidth(int k) => MinClassLog2 + k + 1;

    private ulong AllocateFromClass(int k, ulong size, out HeapError error)
    {
        ulong slab = _classes.PartialSlabs[k];
        if (slab == 0)
        {
            slab = NewSlab(k, out error);
            if (slab == 0)
                return 0;
        }
        ulong* header = (ulong*)slab;
        int classLog2 = MinClassLog2 + k;
        ulong block = header[FreeHeadWord];
        if (block != 0)
        {
            header[FreeHeadWord] = *(ulong*)block;
        }
        else
        {
            block = header[BumpWord];
            header[BumpWord] = block + (1UL << classLog2);
        }
        uint* counts = (uint*)(slab + 8);
        uint live = counts[1] + 1;
        counts[1] = live;
        if (live == _classes.Capacity[k])
            UnlinkSlab(slab, k);
        SetField(slab, (block - slab) >> classLog2, FieldWidth(k), size + 1);
        _classFreeBytes -= 1UL << classLog2;
        _counters.Allocated(size);
        error = HeapError.None;
        return block;
    }

    private void FreeToClass(ulong slab, int k, ulong block)
    {
        ulong* header = (ulong*)slab;
        int classLog2 = MinClassLog2 + k;
        SetField(slab, (block - slab) >> classLog2, FieldWidth(k), 0);
        *(ulong*)block = header[FreeHeadWord];
        header[FreeHeadWord] = block;
        _classFreeBytes += 1UL << classLog2;
        uint* counts = (uint*)(slab + 8);
        uint capacity = _classes.Capacity[k];
        uint live = counts[1];
        counts[1] = live - 1;
        if (live == capacity)
            LinkSlab(slab, k);
        if (live == 1)
        {
            // Empty: give the slab back (wiping its magic so a stale header can never match again, and leaving a
            // retired mark so that a second free of one of its blocks is still told apart as a double free).
            UnlinkSlab(slab, k);
            header[CheckWord] = 0;
            header[ClassAndLiveWord] = HeapBits.Mix(slab, (ulong)k, RetiredSlabMagic);
            _classFreeBytes -= (ulong)capacity << classLog2;
            _fallback.FreeBlock(slab, true);
        }
    }

    private ulong NewSlab(int k, out HeapError error)
    {
        ulong slab = _fallback.AllocateBlock(SlabUsable, SlabLog2, true, out error);
        if (slab == 0)
            return 0;
        ulong* header = (ulong*)slab;
        header[CheckWord] = HeapBits.Mix(slab, (ulong)k, SlabMagic);
        header[ClassAndLiveWord] = (ulong)k;
        header[FreeHeadWord] = 0;
        ulong first = _classes.FirstOffset[k];
        header[BumpWord] = slab + first;
        for (ulong offset = SlabHeaderSize; offset < first; offset += 8)
            *(ulong*)(slab + offset) = 0;
        _classFreeBytes += (ulong)_classes.Capacity[k] << (MinClassLog2 + k);
        LinkSlab(slab, k);
        return slab;
    }

    private void LinkSlab(ulong slab, int k)
    {
        ulong head = _classes.PartialSlabs[k];
        ulong* header = (ulong*)slab;
        header[PreviousWord] = 0;
        header[NextWord] = head;
        if (head != 0)
            ((ulong*)head)[PreviousWord] = slab;
        _classes.PartialSlabs[k] = slab;
    }

    private void UnlinkSlab(ulong slab, int k)
    {
        ulong* header = (ulong*)slab;
        ulong previous = header[PreviousWord];
        ulong next = header[NextWord];
        if (next != 0)
            ((ulong*)next)[PreviousWord] = previous;
        if (previous != 0)
            ((ulong*)previous)[NextWord] = next;
        else
            _classes.PartialSlabs[k] = next;
    }

    /// <summary>The slab holding address, or 0 when address is not in a (valid) slab.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong SlabOf(ulong address)
    {
        ulong slab = address & ~(SlabSize - 1);
        if (slab < _fallback.First || slab >= _fallback.End)
            return 0;
        ulong* header = (ulong*)slab;
        ulong k = header[ClassAndLiveWord] & 0xFFFF_FFFFUL;
        return header[CheckWord] == HeapBits.Mix(slab, k, SlabMagic) && k < ClassCount ? slab : 0;
    }

    /// <summary>None if address is a live block of slab; k and requested are its class and requested size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private HeapError CheckClassBlock(ulong slab, ulong address, out int k, out ulong requested)
    {
        k = (int)(((ulong*)slab)[ClassAndLiveWord] & 0xFFFF_FFFFUL);
        int classLog2 = MinClassLog2 + k;
        ulong offset = address - slab;
        requested = 0;
        if ((offset & ((1UL << classLog2) - 1)) != 0 || offset < _classes.FirstOffset[k]
            || address >= ((ulong*)slab)[BumpWord])
            return HeapError.ForeignPointer;
        ulong field = GetField(slab, offset >> classLog2, FieldWidth(k));
        if (field == 0)
            return HeapError.DoubleFree;
        requested = field - 1;
        return HeapError.None;
    }

    /// <summary>A fallback rejection of an address inside a slab means the slab's header was damaged.</summary>
    private HeapError ExplainFallbackError(ulong address, HeapError error)
    {
        if (error == HeapError.ForeignPointer && _fallback.IsInsideTaggedBlock(address))
            return HeapError.CorruptHeader;
        if (error == HeapError.ForeignPointer && WasBlockOfRetiredSlab(address))
            return HeapError.DoubleFree;
        return error;
    }

    /// <summary>
    /// Whether address was a block of a slab given back when its last block was freed (and the slab's memory has not
    /// been reused since): the retired mark in its header word 1 is intact and address is a block position of the
    /// class it names, below the slab's bump pointer.
    /// </summary>
    /// <remarks>
    /// A free slab's memory is a free fallback block: the fallback writes its header below the slab and its link over
    /// word 0 only, so words 1 and 3 (the retired mark and the bump pointer) stay until the memory is allocated again.
    /// </remarks>
    private bool WasBlockOfRetiredSlab(ulong address)
    {
        ulong slab = address & ~(SlabSize - 1);
        if (slab < _fallback.First || slab >= _fallback.End)
            return false;
        ulong* header = (ulong*)slab;
        for (int k = 0; k < ClassCount; k++)
        {
            if (header[ClassAndLiveWord] != HeapBits.Mix(slab, (ulong)k, RetiredSlabMagic))
                continue;
            ulong offset = address - slab;
            return (offset & ((1UL << (MinClassLog2 + k)) - 1)) == 0 && offset >= _classes.FirstOffset[k]
                && address < header[BumpWord];
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong GetField(ulong slab, ulong index, int width)
    {
        ulong* words = (ulong*)(slab + SlabHeaderSize);
        ulong bit = index * (ulong)width;
        ulong word = bit >> 6;
        int shift = (int)(bit & 63);
        ulong value = words[word] >> shift;
        if (shift + width > 64)
            value |= words[word + 1] << (64 - shift);
        return value & ((1UL << width) - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetField(ulong slab, ulong index, int width, ulong value)
    {
        ulong* words = (ulong*)(slab + SlabHeaderSize);
        ulong bit = index * (ulong)width;
        ulong word = bit >> 6;
        int shift = (int)(bit & 63);
        ulong mask = (1UL << width) - 1;
        words[word] = (words[word] & ~(mask << shift)) | (value << shift);
        if (shift + width > 64)
        {
            int low = 64 - shift;
            words[word + 1] = (words[word + 1] & ~(mask >> low)) | (value >> low);
        }
    }

    // ---- statistics ----

    private HeapError Reject(HeapError error)
    {
        _counters.Rejected();
        return error;
    }
}
