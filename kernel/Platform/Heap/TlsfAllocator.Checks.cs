// TLSF header checks: neighbour validation on free, the used-block check word, diagnosing a bad free, and the largest free block.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

public sealed unsafe partial class TlsfAllocator
{
    /// <summary>Checks the headers Reallocate may touch next to the live block h; None when they are intact.</summary>
    private HeapError CheckNeighbours(ulong h, ulong w0)
    {
        ulong next = h + (w0 & SizeMask);
        ulong nw = *(ulong*)next;
        if ((nw & FreeBit) != 0)
        {
            ulong nsize = nw & SizeMask;
            if (nsize < MinBlock || nsize > _sentinel - next || *(ulong*)(next + nsize - 8) != (nw ^ FooterMagic))
                return HeapError.CorruptHeader;
        }
        if ((w0 & PreviousFreeBit) != 0)
        {
            ulong pw = *(ulong*)(h - 8) ^ FooterMagic;
            ulong psize = pw & SizeMask;
            if ((pw & (FreeBit | PreviousFreeBit)) != FreeBit || psize < MinBlock || psize > h - _blocksStart
                || *(ulong*)(h - psize) != pw)
                return HeapError.CorruptHeader;
        }
        return HeapError.None;
    }

    /// <summary>The check word of a live header: its word 0 without the Free and PreviousFree bits, mixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong UsedCheck(ulong address, ulong word) =>
        HeapBits.Mix(address, word & ~(FreeBit | PreviousFreeBit), UsedMagic);

    private HeapError Reject(HeapError error)
    {
        _counters.Rejected();
        return error;
    }

    /// <summary>Why h + 16 is not a live block: walks the blocks from the start of the region (O(blocks)).</summary>
    private HeapError Diagnose(ulong h)
    {
        ulong p = _blocksStart;
        ulong previous = 0;
        bool previousWasFree = false;
        while (p < _sentinel && p <= h)
        {
            ulong w0 = *(ulong*)p;
            ulong size = w0 & SizeMask;
            bool isFree = (w0 & FreeBit) != 0;
            bool valid = isFree
                ? size >= MinBlock && size <= _sentinel - p && *(ulong*)(p + size - 8) == (w0 ^ FooterMagic)
                : size >= MinBlock && size <= _sentinel - p && *(ulong*)(p + 8) == UsedCheck(p, w0);
            if (p == h)
                return valid && isFree ? HeapError.DoubleFree : HeapError.CorruptHeader;
            if (!valid)
                return HeapError.CorruptHeader;
            previous = p;
            previousWasFree = isFree;
            p += size;
        }
        // h lies inside the block at previous: a freed-and-merged block if its old header still says so.
        if (previous != 0 && previousWasFree)
        {
            ulong w0 = *(ulong*)h;
            ulong w1 = *(ulong*)(h + 8);
            if ((w0 & FreeBit) != 0 && (w1 == UsedCheck(h, w0) || w1 == (h ^ StaleMagic)))
                return HeapError.DoubleFree;
        }
        return HeapError.ForeignPointer;
    }

    private ulong LargestFreeBlock()
    {
        if (_firstLevelMap == 0)
            return 0;
        int fl = HeapBits.Log2(_firstLevelMap);
        int sl = HeapBits.Log2(_maps.SecondLevel[fl]);
        ulong largest = 0;
        for (ulong b = _heads[fl * SecondLevelCount + sl]; b != _nullBlock; b = *(ulong*)(b + 8))
        {
            ulong size = *(ulong*)b & SizeMask;
            if (size > largest)
                largest = size;
        }
        return largest - HeaderSize;
    }
}
