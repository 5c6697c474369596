// Two-level segregated fit (TLSF, Masmano et al.): free blocks sit in size-class lists indexed by a first level
// (floor(log2(size))) and a second level (the next five bits of the size); two bitmaps say which lists are non-empty,
// so finding a good-fit list is two find-first-set operations. Blocks carry boundary tags, so freeing coalesces with
// both physical neighbours in O(1). The kernel's default heap design.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

/// <summary>O(1) allocate and free over one contiguous, growable region.</summary>
/// <remarks>
/// Layout. The region starts with the control area: the heads of the 40 x 32 size-class lists and a 32-byte null
/// block that ends every list (so list operations need no null checks: writes to the null block are harmless).
/// Then the region is tiled by blocks whose sizes are multiples of 16 (at least 32), ending in a 16-byte
/// sentinel block of size 0 that is always "used". Every block starts with a 16-byte header; a live block's
/// payload follows its header, so payloads are 16-aligned.
/// <list type="bullet">
/// <item>word 0: size (bits 4..47) | Free (bit 0) | PreviousFree (bit 1) | slack (bits 48..55, block size minus
/// header minus requested size) | alignment log2 (bits 56..59, kept for Reallocate).</item>
/// <item>word 1 of a live block: HeapBits.Mix(address, word 0 without PreviousFree, UsedMagic), so overwritten
/// headers, double frees and pointers that are not block starts are caught. (PreviousFree is left out so that
/// freeing or allocating a neighbour only flips a bit; a wrong PreviousFree bit is caught by the footer checks.)</item>
/// <item>a free block: word 1 and word 2 are the next and previous links of its size-class list (the previous
/// link of a list's head is not kept up to date, so popping a head touches only the head), and its last word
/// (the footer, the boundary tag) is word 0 ^ FooterMagic, which the next block reads when its PreviousFree bit
/// says the block before it is free.</item>
/// </list>
/// Free blocks are always coalesced, so a free block's physical neighbours are used blocks (or the sentinel).
/// Until the region holds the control area plus one block, the heap is empty and the first allocation grows it.
/// Safety: the region [start, start + bytes mapped) must stay readable and writable and be used by nothing else;
/// IHeapGrowth must add memory directly after the current end. The type, not each member, is unsafe: it is a
/// raw-memory structure whose every member reads and writes block headers through pointers.
/// </remarks>
public sealed unsafe partial class TlsfAllocator : IHeapAllocator
{
    private const ulong HeaderSize = 16;
    private const ulong MinBlock = 32;
    private const ulong FreeBit = 1;
    private const ulong PreviousFreeBit = 2;
    private const ulong SizeMask = 0x0000_FFFF_FFFF_FFF0UL;
    private const int SlackShift = 48;
    private const int AlignShift = 56;
    private const ulong AlignField = 0xFUL << AlignShift;
    private const ulong UsedMagic = 0x71F5_A110_C8ED_B10CUL;
    private const ulong FooterMagic = 0x0F00_7E12_F5EE_B10CUL;
    private const ulong StaleMagic = 0x57A1_EF4E_EDB1_0C00UL;

    // Size classes: 32 second-level classes per first level. Blocks below 512 bytes map linearly (16-byte steps)
    // to first level 0; a block of floor(log2(size)) = f >= 9 maps to first level f - 8. Sizes stay below 2^48.
    private const int SecondLevelLog2 = 5;
    private const int SecondLevelCount = 1 << SecondLevelLog2;
    private const int FirstLevelShift = SecondLevelLog2 + 4;
    private const ulong SmallLimit = 1UL << FirstLevelShift;
    private const int FirstLevelCount = 48 - FirstLevelShift + 1;
    private const ulong HeadsBytes = FirstLevelCount * SecondLevelCount * 8;
    private const ulong ControlBytes = HeadsBytes + MinBlock; // the heads, then the null block


    private struct Bitmaps
    {
        public fixed uint SecondLevel[FirstLevelCount];
    }

    private Bitmaps _maps;
    private ulong _firstLevelMap;
    private ulong* _heads;    // in the region's control area (null until it exists)
    private ulong _nullBlock; // the block that ends every list

    private readonly ulong _start;
    private readonly ulong _first;       // the control area
    private readonly ulong _blocksStart; // the first block, after the control area
    private readonly IHeapGrowth _growth;
    private ulong _mappedEnd;
    private ulong _sentinel; // the sentinel's header; equal to _blocksStart (no blocks) until the region is big enough
    private bool _hasBlocks;

    private HeapCounters _counters;
    private ulong _freeBlockBytes;
    private ulong _freeBlockCount;

    /// <summary>A TLSF heap over [start, start + initialBytes), growing through growth (may be null: no growth).</summary>
    /// <remarks>
    /// The first 10 KiB hold the control area. Safety: see the class remarks; the region must not be used by
    /// anything else.
    /// </remarks>
    public TlsfAllocator(ulong start, ulong initialBytes, IHeapGrowth growth)
    {
        _start = start;
        _first = HeapBits.AlignUp(start, HeaderSize);
        _blocksStart = _first + ControlBytes;
        _mappedEnd = start + initialBytes;
        _growth = growth;
        _sentinel = _blocksStart;
        AddMappedSpace();
    }

    /// <inheritdoc/>
    public string Name => "tlsf";

    /// <inheritdoc/>
    public HeapStatistics Statistics
    {
        get
        {
            HeapStatistics s = default;
            _counters.CopyTo(ref s);
            s.BytesMapped = _mappedEnd - _start;
            s.FreeBytes = _freeBlockBytes - HeaderSize * _freeBlockCount;
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
        ulong need = BlockSizeFor(size);
        if (alignment <= HeaderSize)
        {
            ulong block = TakeFree(need);
            if (block == 0)
            {
                block = GrowAndTake(need);
                if (block == 0)
                {
                    error = HeapError.OutOfMemory;
                    return 0;
                }
            }
            error = HeapError.None;
            return Finish(block, need, size, 4UL << AlignShift, 0);
        }
        return AllocateAligned(size, alignment, need, out error);
    }

    /// <inheritdoc/>
    public HeapError Free(ulong address)
    {
        ulong h = address - HeaderSize;
        if (h - _blocksStart >= _sentinel - _blocksStart || (address & (HeaderSize - 1)) != 0)
            return Reject(HeapError.ForeignPointer);
        ulong* p = (ulong*)h;
        ulong w0 = p[0];
        if ((w0 & FreeBit) != 0 || p[1] != UsedCheck(h, w0))
            return Reject(Diagnose(h));

        // Check the free neighbours' tags before changing anything. (A used next block only gets its
        // PreviousFree bit set, which its check word does not cover: if its header is damaged it stays damaged
        // and is reported when that block is freed.)
        ulong size = w0 & SizeMask;
        ulong next = h + size;
        ulong nw = *(ulong*)next;
        ulong nsize = 0;
        if ((nw & FreeBit) != 0)
        {
            nsize = nw & SizeMask;
            if (nsize < MinBlock || nsize > _sentinel - next || *(ulong*)(next + nsize - 8) != (nw ^ FooterMagic))
                return Reject(HeapError.CorruptHeader);
        }
        ulong psize = 0;
        if ((w0 & PreviousFreeBit) != 0)
        {
            ulong pw = *(ulong*)(h - 8) ^ FooterMagic;
            psize = pw & SizeMask;
            if ((pw & (FreeBit | PreviousFreeBit)) != FreeBit || psize < MinBlock || psize > h - _blocksStart
                || *(ulong*)(h - psize) != pw)
                return Reject(HeapError.CorruptHeader);
        }

        _counters.Freed(size - HeaderSize - ((w0 >> SlackShift) & 0xFF));
        _freeBlockBytes += size;
        _freeBlockCount++;
        if (nsize != 0)
        {
            RemoveFree(next, nsize);
            *(ulong*)(next + 8) = next ^ StaleMagic; // freed-and-merged marker for Diagnose
            _freeBlockCount--;
            size += nsize;
        }
        else
        {
            *(ulong*)next = nw | PreviousFreeBit;
        }
        if (psize != 0)
        {
            RemoveFree(h - psize, psize);
            p[0] = w0 | FreeBit; // the old check word stays: a freed-and-merged marker
            _freeBlockCount--;
            h -= psize;
            size += psize;
        }
        ulong word = size | FreeBit;
        *(ulong*)h = word;
        *(ulong*)(h + size - 8) = word ^ FooterMagic;
        InsertFree(h, size);
        return HeapError.None;
    }

    /// <inheritdoc/>
    public ulong Reallocate(ulong address, ulong newSize, out HeapError error)
    {
        if (address == 0)
            return Allocate(newSize, HeaderSize, out error);
        ulong h = address - HeaderSize;
        if (h - _blocksStart >= _sentinel - _blocksStart || (address & (HeaderSize - 1)) != 0)
        {
            error = Reject(HeapError.ForeignPointer);
            return 0;
        }
        ulong* p = (ulong*)h;
        ulong w0 = p[0];
        if ((w0 & FreeBit) != 0 || p[1] != UsedCheck(h, w0))
        {
            error = Reject(Diagnose(h));
            return 0;
        }
        HeapError neighbours = CheckNeighbours(h, w0);
        if (neighbours != HeapError.None)
        {
            error = Reject(neighbours);
            return 0;
        }
        if (newSize > HeapBits.MaxRequest)
        {
            error = HeapError.OutOfMemory;
            return 0;
        }

        ulong size = w0 & SizeMask;
        ulong oldRequested = size - HeaderSize - ((w0 >> SlackShift) & 0xFF);
        ulong need = BlockSizeFor(newSize);
        ulong next = h + size;
        ulong nw = *(ulong*)next;
        if (need <= size)
        {
            ulong tail = size - need;
            if (tail >= MinBlock)
            {
                // Give the tail back, merged with the next block if that is free.
                ulong t = h + need;
                if ((nw & FreeBit) != 0)
                {
                    ulong nsize = nw & SizeMask;
                    RemoveFree(next, nsize);
                    _freeBlockBytes -= nsize;
                    _freeBlockCount--;
                    tail += nsize;
                }
                else
                {
                    SetPreviousFree(next, nw, true);
                }
                WriteFreeBlock(t, tail);
                size = need;
            }
        }
        else if ((nw & FreeBit) != 0 && size + (nw & SizeMask) >= need)
        {
            // Grow into the free block after this one.
            ulong nsize = nw & SizeMask;
            RemoveFree(next, nsize);
            _freeBlockBytes -= nsize;
            _freeBlockCount--;
            ulong total = size + nsize;
            ulong tail = total - need;
            if (tail >= MinBlock)
            {
                WriteFreeBlock(h + need, tail);
                size = need;
            }
            else
            {
                ulong after = h + total;
                SetPreviousFree(after, *(ulong*)after, false);
                size = total;
            }
        }
        else
        {
            // Move: allocate with the original alignment, copy, free the old block (which cannot fail now: its
            // header and neighbours were checked, and Allocate only ever writes well-formed headers).
            ulong alignment = 1UL << (int)((w0 & AlignField) >> AlignShift);
            ulong moved = Allocate(newSize, alignment, out error);
            if (moved == 0)
                return 0;
            HeapBits.CopyBlock(address, moved, oldRequested < newSize ? oldRequested : newSize);
            Free(address);
            return moved;
        }

        ulong word = size | (w0 & (PreviousFreeBit | AlignField)) | ((size - HeaderSize - newSize) << SlackShift);
        p[0] = word;
        p[1] = UsedCheck(h, word);
        _counters.Resized(oldRequested, newSize);
        error = HeapError.None;
        return address;
    }

    /// <inheritdoc/>
    public ulong UsableSize(ulong address)
    {
        ulong h = address - HeaderSize;
        if (h - _blocksStart >= _sentinel - _blocksStart || (address & (HeaderSize - 1)) != 0)
            return 0;
        ulong w0 = *(ulong*)h;
        if ((w0 & FreeBit) != 0 || *(ulong*)(h + 8) != UsedCheck(h, w0))
            return 0;
        return (w0 & SizeMask) - HeaderSize;
    }

    // ---- allocation (size classes and lists: TlsfAllocator.Lists.cs; growth: .Growth.cs) ----

    /// <summary>The block size (header included, multiple of 16, at least MinBlock) for a request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BlockSizeFor(ulong size)
    {
        ulong need = (size + HeaderSize + 15) & ~15UL;
        return need < MinBlock ? MinBlock : need;
    }

    private ulong AllocateAligned(ulong size, ulong alignment, ulong need, out HeapError error)
    {
        // Over-allocate so an aligned start exists whose leading gap is 0 or big enough to be a free block.
        ulong search = need + alignment + MinBlock;
        ulong block = TakeFree(search);
        if (block == 0)
        {
            block = GrowAndTake(search);
            if (block == 0)
            {
                error = HeapError.OutOfMemory;
                return 0;
            }
        }
        ulong bsize = *(ulong*)block & SizeMask;
        ulong start = HeapBits.AlignUp(block + HeaderSize, alignment) - HeaderSize;
        ulong gap = start - block;
        if (gap != 0 && gap < MinBlock)
        {
            start += alignment;
            gap += alignment;
        }
        ulong previousFree = 0;
        if (gap != 0)
        {
            // The gap stays free; the rest is finished as the block. Same bytes, one more free block for now.
            ulong gw = gap | FreeBit;
            *(ulong*)block = gw;
            *(ulong*)(start - 8) = gw ^ FooterMagic;
            InsertFree(block, gap);
            *(ulong*)start = (bsize - gap) | FreeBit;
            _freeBlockCount++;
            previousFree = PreviousFreeBit;
        }
        error = HeapError.None;
        return Finish(start, need, size, (ulong)HeapBits.Log2(alignment) << AlignShift, previousFree);
    }

    /// <summary>Turns the free block at h (already off its list) into a live block of need bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Finish(ulong h, ulong need, ulong requested, ulong alignBits, ulong previousFree)
    {
        ulong* p = (ulong*)h;
        ulong bsize = p[0] & SizeMask;
        _freeBlockBytes -= bsize;
        _freeBlockCount--;
        ulong rest = bsize - need;
        if (rest >= MinBlock)
        {
            // Split: the rest becomes a free block; the block after it keeps its PreviousFree bit and the footer
            // lands where the old one was.
            ulong r = h + need;
            ulong rw = rest | FreeBit;
            *(ulong*)r = rw;
            *(ulong*)(r + rest - 8) = rw ^ FooterMagic;
            InsertFree(r, rest);
            _freeBlockBytes += rest;
            _freeBlockCount++;
            bsize = need;
        }
        else
        {
            *(ulong*)(h + bsize) &= ~PreviousFreeBit;
        }
        ulong word = bsize | previousFree | ((bsize - HeaderSize - requested) << SlackShift) | alignBits;
        p[0] = word;
        p[1] = UsedCheck(h, word);
        _counters.Allocated(requested);
        return h + HeaderSize;
    }

    // ---- free (header checks and diagnosis: TlsfAllocator.Checks.cs) ----

    /// <summary>Writes a free block's header and footer and puts it on its list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteFreeBlock(ulong block, ulong size)
    {
        ulong word = size | FreeBit;
        *(ulong*)block = word;
        *(ulong*)(block + size - 8) = word ^ FooterMagic;
        InsertFree(block, size);
        _freeBlockBytes += size;
        _freeBlockCount++;
    }

    /// <summary>Sets or clears PreviousFree in the used block at address (the bit is not part of the check word).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetPreviousFree(ulong address, ulong word, bool previousFree) =>
        *(ulong*)address = previousFree ? word | PreviousFreeBit : word & ~PreviousFreeBit;
}
