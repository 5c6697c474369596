// Linked-list heap checks: telling free, live and damaged blocks apart, diagnosing a bad free, and the largest free block.
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

public sealed unsafe partial class LinkedListAllocator
{
    /// <summary>Cheap sanity checks on a free-list node before following it (no checksum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool PlausibleFree(ulong block, ulong w0, ulong next)
    {
        ulong size = w0 & SizeMask;
        return (w0 & (FreeBit | TagBit)) == FreeBit && size >= MinBlock && size <= _end - block
            && (next == 0 || (next >= block + size && next < _end));
    }

    private bool ValidFree(ulong block)
    {
        ulong w0 = *(ulong*)block;
        return (w0 & FreeBit) != 0 && *(ulong*)(block + 8) == HeapBits.Mix(block, w0, FreeMagic)
            && (w0 & SizeMask) >= MinBlock && (w0 & SizeMask) <= _end - block;
    }

    /// <summary>None if address is the payload of a live block (tagged as given), else why not.</summary>
    private HeapError CheckLive(ulong address, bool tagged)
    {
        ulong h = address - HeaderSize;
        if (h - _first >= _end - _first || (address & (HeaderSize - 1)) != 0)
            return HeapError.ForeignPointer;
        ulong w0 = *(ulong*)h;
        if ((w0 & FreeBit) != 0 || *(ulong*)(h + 8) != HeapBits.Mix(h, w0, UsedMagic))
            return Diagnose(h);
        if (((w0 & TagBit) != 0) != tagged)
            return HeapError.ForeignPointer;
        return HeapError.None;
    }

    /// <summary>Why h + 16 is not a live block: walks the blocks from the start of the region.</summary>
    private HeapError Diagnose(ulong h)
    {
        ulong p = _first;
        ulong previous = 0;
        bool previousWasFree = false;
        while (p < _end && p <= h)
        {
            ulong w0 = *(ulong*)p;
            ulong size = w0 & SizeMask;
            bool isFree = (w0 & FreeBit) != 0;
            bool valid = size >= MinBlock && size <= _end - p
                && *(ulong*)(p + 8) == HeapBits.Mix(p, w0, isFree ? FreeMagic : UsedMagic);
            if (p == h)
                return valid && isFree ? HeapError.DoubleFree : HeapError.CorruptHeader;
            if (!valid)
                return HeapError.CorruptHeader;
            previous = p;
            previousWasFree = isFree;
            p += size;
        }
        // h lies inside the block at previous: a freed-and-merged block if its old free header is still there.
        if (previous != 0 && previousWasFree)
        {
            ulong w0 = *(ulong*)h;
            if ((w0 & FreeBit) != 0 && *(ulong*)(h + 8) == HeapBits.Mix(h, w0, FreeMagic))
                return HeapError.DoubleFree;
        }
        return HeapError.ForeignPointer;
    }

    private ulong LargestFreeBlock()
    {
        ulong largest = 0;
        for (ulong b = _freeHead; b != 0; b = *(ulong*)(b + 16))
        {
            ulong size = *(ulong*)b & SizeMask;
            if (size > largest)
                largest = size;
        }
        return largest == 0 ? 0 : largest - HeaderSize;
    }
}
