// TLSF growth: asking IHeapGrowth for more space, laying out the control area and the sentinel, and adding new space as a free block.

namespace Kernel.Heap;

public sealed unsafe partial class TlsfAllocator
{
    private ulong GrowAndTake(ulong size)
    {
        while (_growth != null)
        {
            // Ask for the rounded-up class size plus room for a sentinel (and the control area the first time),
            // at least a chunk.
            ulong added = HeapBits.Grow(_growth, size + (size >> 4) + 2 * MinBlock + (_hasBlocks ? 0 : ControlBytes + _first - _start));
            if (added == 0)
                return 0;
            _mappedEnd += added;
            AddMappedSpace();
            ulong block = TakeFree(size);
            if (block != 0)
                return block;
        }
        return 0;
    }

    /// <summary>Turns mapped bytes past the sentinel into a free block (merged with a free last block).</summary>
    private void AddMappedSpace()
    {
        ulong end = HeapBits.AlignDown(_mappedEnd, HeaderSize);
        if (!_hasBlocks)
        {
            if (end < _blocksStart || end - _blocksStart < MinBlock + HeaderSize)
                return;
            // Set up the control area: every list empty, ending at the null block.
            _heads = (ulong*)_first;
            _nullBlock = _first + HeadsBytes;
            for (ulong i = 0; i < FirstLevelCount * SecondLevelCount; i++)
                _heads[i] = _nullBlock;
            for (ulong i = 0; i < MinBlock; i += 8)
                *(ulong*)(_nullBlock + i) = 0;
            _hasBlocks = true;
            WriteSentinel(end - HeaderSize);
            WriteFreeBlock(_blocksStart, end - HeaderSize - _blocksStart);
            return;
        }
        ulong block = _sentinel;
        if (end < block + HeaderSize + MinBlock)
            return;
        ulong size = end - HeaderSize - block;
        bool previousFree = (*(ulong*)block & PreviousFreeBit) != 0;
        WriteSentinel(end - HeaderSize);
        if (previousFree)
        {
            ulong pw = *(ulong*)(block - 8) ^ FooterMagic;
            ulong psize = pw & SizeMask;
            block -= psize;
            RemoveFree(block, psize);
            _freeBlockBytes -= psize;
            _freeBlockCount--;
            size += psize;
        }
        WriteFreeBlock(block, size);
    }

    private void WriteSentinel(ulong at)
    {
        ulong word = PreviousFreeBit;
        *(ulong*)at = word;
        *(ulong*)(at + 8) = UsedCheck(at, word);
        _sentinel = at;
    }
}
