// TLSF size classes and their free lists: the two-level index, the bitmaps, insert, remove and the O(1) good-fit search.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

public sealed unsafe partial class TlsfAllocator
{
    /// <summary>The list a free block of size bytes belongs on (size below 2^48).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClassIndex(ulong size, out int fl, out int sl)
    {
        // Below 512 bytes: first level 0, second level size / 16. From 512: first level f - 8 for
        // f = floor(log2(size)), second level the five bits below the top one.
        if (size < SmallLimit)
        {
            fl = 0;
            sl = (int)(size >> 4);
        }
        else
        {
            int f = HeapBits.Log2(size);
            sl = (int)(size >> (f - SecondLevelLog2)) & (SecondLevelCount - 1);
            fl = f - (FirstLevelShift - 1);
        }
        return fl * SecondLevelCount + sl;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void InsertFree(ulong block, ulong size)
    {
        int index = ClassIndex(size, out int fl, out int sl);
        ulong* slot = _heads + index;
        ulong head = *slot;
        *(ulong*)(block + 8) = head;
        *(ulong*)(head + 16) = block; // the null block when the list was empty: harmless
        *slot = block;
        _maps.SecondLevel[fl] |= 1u << sl;
        _firstLevelMap |= 1UL << fl;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RemoveFree(ulong block, ulong size)
    {
        ulong next = *(ulong*)(block + 8);
        ulong previous = *(ulong*)(block + 16);
        int index = ClassIndex(size, out int fl, out int sl);
        ulong* slot = _heads + index;
        bool isHead = *slot == block;
        // The link to rewrite is the list head, or the previous block's next link (word 1): pick its address
        // without a branch. The next block's previous link gets a stale value when block was the head, which
        // is fine: next is then the head.
        ulong link = isHead ? (ulong)slot - 8 : previous;
        *(ulong*)(link + 8) = next;
        *(ulong*)(next + 16) = previous;
        ClearIfEmpty(fl, sl, *slot);
    }

    /// <summary>Clears the bitmap bits of list (fl, sl) if head, its head now, is the null block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ClearIfEmpty(int fl, int sl, ulong head)
    {
        uint clear = head == _nullBlock ? 1u << sl : 0;
        uint map = _maps.SecondLevel[fl] & ~clear;
        _maps.SecondLevel[fl] = map;
        _firstLevelMap &= ~(map == 0 ? 1UL << fl : 0);
    }

    /// <summary>Removes and returns a free block of at least size bytes (good fit), or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong TakeFree(ulong size)
    {
        int fl;
        int sl;
        if (size < SmallLimit)
        {
            fl = 0;
            sl = (int)(size >> 4);
        }
        else
        {
            // Round up to the next class boundary so any block in the class found is big enough.
            int f = HeapBits.Log2(size);
            int shift = f - SecondLevelLog2;
            ulong q = (size + (1UL << shift) - 1) >> shift; // 32..64
            fl = f - (FirstLevelShift - 1) + (int)(q >> (SecondLevelLog2 + 1));
            sl = (int)q & (SecondLevelCount - 1);
            if (fl >= FirstLevelCount)
                return 0;
        }
        uint slMap = _maps.SecondLevel[fl] & (~0u << sl);
        if (slMap == 0)
        {
            ulong flMap = _firstLevelMap & (~0UL << (fl + 1));
            if (flMap == 0)
                return 0;
            fl = HeapBits.TrailingZeroCount(flMap);
            slMap = _maps.SecondLevel[fl];
        }
        sl = HeapBits.TrailingZeroCount(slMap);
        ulong* slot = _heads + (fl * SecondLevelCount + sl);
        ulong block = *slot;
        ulong next = *(ulong*)(block + 8);
        *slot = next;
        // (The new head's previous link is not cleared: a list head's previous link is never read.)
        ClearIfEmpty(fl, sl, next);
        return block;
    }
}
