// Linked-list heap growth: extending a block in place for Reallocate, asking IHeapGrowth for more space, and adding it to the free list.

namespace Kernel.Heap;

public sealed unsafe partial class LinkedListAllocator
{
    /// <summary>Extends the live block h (size bytes) to need bytes using a free successor, if there is one.</summary>
    private bool GrowInPlace(ulong h, ulong size, ulong need, ref ulong newSize, out HeapError error)
    {
        error = HeapError.None;
        ulong next = h + size;
        if (next >= _end || !ValidFree(next))
            return false;
        ulong nsize = *(ulong*)next & SizeMask;
        if (size + nsize < need)
            return false;
        // Find the predecessor of next in the list.
        ulong previous = 0;
        ulong current = _freeHead;
        while (current != 0 && current != next)
        {
            ulong link = *(ulong*)(current + 16);
            if (!PlausibleFree(current, *(ulong*)current, link))
            {
                error = HeapError.CorruptHeader;
                return false;
            }
            previous = current;
            current = link;
        }
        if (current != next)
        {
            error = HeapError.CorruptHeader;
            return false;
        }
        ulong after = *(ulong*)(next + 16);
        ulong total = size + nsize;
        _freeBlockBytes -= nsize;
        _freeBlockCount--;
        if (total - need >= MinBlock)
        {
            ulong t = h + need;
            WriteFreeBlock(t, total - need, after);
            after = t;
            total = need;
        }
        if (previous != 0)
            *(ulong*)(previous + 16) = after;
        else
            _freeHead = after;
        newSize = total;
        return true;
    }

    private bool Grow(ulong minimum)
    {
        ulong added = HeapBits.Grow(_growth, minimum + MinBlock);
        if (added == 0)
            return false;
        _mappedEnd += added;
        AddMappedSpace();
        return true;
    }

    /// <summary>Turns mapped bytes past the last block into a free block (merged with a free last block).</summary>
    private void AddMappedSpace()
    {
        ulong end = HeapBits.AlignDown(_mappedEnd, HeaderSize);
        if (end < _end || end - _end < MinBlock)
            return;
        ulong block = _end;
        ulong size = end - _end;
        _end = end;
        ulong last = 0;
        for (ulong b = _freeHead; b != 0; b = *(ulong*)(b + 16))
            last = b;
        if (last != 0 && last + (*(ulong*)last & SizeMask) == block)
        {
            ulong lsize = *(ulong*)last & SizeMask;
            ResizeFreeBlock(last, lsize, lsize + size);
            return;
        }
        WriteFreeBlock(block, size, 0);
        if (last != 0)
            *(ulong*)(last + 16) = block;
        else
            _freeHead = block;
    }
}
