// The tests' model of a heap's live blocks: each block is filled with a pattern derived from its id, and the model
// checks that blocks never overlap, are aligned, lie inside the region, and still hold their pattern.
using System;
using System.Collections.Generic;
using Xunit;

namespace Kernel.HostTests.Heap;

public sealed unsafe class LiveBlocks
{
    public sealed class Block
    {
        public int Id;
        public ulong Address;
        public ulong Size;
        public ulong Alignment;
    }

    private readonly NativeHeapRegion _region;
    private readonly List<Block> _blocks = new();
    private int _nextId = 1;

    public LiveBlocks(NativeHeapRegion region) => _region = region;

    public int Count => _blocks.Count;

    public IReadOnlyList<Block> Blocks => _blocks;

    public ulong TotalRequested { get; private set; }

    /// <summary>Successful allocations the heap should have counted: one per Add, one per Reallocate that moved.</summary>
    public ulong Allocations { get; private set; }

    /// <summary>Successful frees the heap should have counted: one per Remove, one per Reallocate that moved.</summary>
    public ulong Frees { get; private set; }

    public static byte PatternByte(int id, ulong offset) => (byte)((ulong)id * 131 + offset * 7 + (offset >> 8) ^ 0x5A);

    /// <summary>Records a new block after checking it, and fills it with its pattern.</summary>
    public Block Add(ulong address, ulong size, ulong alignment)
    {
        var block = new Block { Id = _nextId++, Address = address, Size = size, Alignment = alignment };
        CheckPlacement(block, null);
        Fill(block, 0);
        _blocks.Add(block);
        TotalRequested += size;
        Allocations++;
        return block;
    }

    public Block At(int index) => _blocks[index];

    /// <summary>Checks a block's pattern and forgets it (call before freeing).</summary>
    public void Remove(Block block)
    {
        Verify(block, block.Size);
        int index = _blocks.IndexOf(block);
        _blocks[index] = _blocks[^1];
        _blocks.RemoveAt(_blocks.Count - 1);
        TotalRequested -= block.Size;
        Frees++;
    }

    /// <summary>Counts an allocation and a free made outside the model (a probe block).</summary>
    public void CountedOneRoundTrip()
    {
        Allocations++;
        Frees++;
    }

    /// <summary>Updates a block after Reallocate: the first min(old, new) bytes must have moved with it.</summary>
    public void Resized(Block block, ulong newAddress, ulong newSize, ulong alignment)
    {
        ulong kept = Math.Min(block.Size, newSize);
        ulong oldSize = block.Size;
        if (newAddress != block.Address)
        {
            Allocations++;
            Frees++;
        }
        block.Address = newAddress;
        block.Size = newSize;
        Verify(block, kept);
        CheckPlacement(block, block);
        Fill(block, kept);
        TotalRequested = TotalRequested - oldSize + newSize;
        Assert.True(newAddress % alignment == 0, $"reallocated block {block.Id} at 0x{newAddress:X} lost its alignment {alignment}");
    }

    public void VerifyAll()
    {
        foreach (Block block in _blocks)
            Verify(block, block.Size);
        var sorted = new List<Block>(_blocks);
        sorted.Sort((a, b) => a.Address.CompareTo(b.Address));
        for (int i = 1; i < sorted.Count; i++)
            Assert.True(sorted[i - 1].Address + Math.Max(sorted[i - 1].Size, 1) <= sorted[i].Address,
                $"blocks {sorted[i - 1].Id} and {sorted[i].Id} overlap");
    }

    private void CheckPlacement(Block block, Block self)
    {
        Assert.True(block.Address % block.Alignment == 0, $"block {block.Id} at 0x{block.Address:X} is not {block.Alignment}-aligned");
        Assert.True(_region.Contains(block.Address, Math.Max(block.Size, 1)),
            $"block {block.Id} [0x{block.Address:X}, +{block.Size}) is outside the region [0x{_region.Start:X}, 0x{_region.End:X})");
        ulong start = block.Address;
        ulong end = start + Math.Max(block.Size, 1);
        foreach (Block other in _blocks)
        {
            if (other == self)
                continue;
            ulong otherEnd = other.Address + Math.Max(other.Size, 1);
            Assert.False(start < otherEnd && other.Address < end,
                $"block {block.Id} [0x{start:X}, 0x{end:X}) overlaps block {other.Id} [0x{other.Address:X}, 0x{otherEnd:X})");
        }
    }

    private static void Fill(Block block, ulong from)
    {
        byte* p = (byte*)block.Address;
        for (ulong i = from; i < block.Size; i++)
            p[i] = PatternByte(block.Id, i);
    }

    private static void Verify(Block block, ulong length)
    {
        byte* p = (byte*)block.Address;
        for (ulong i = 0; i < length; i++)
        {
            if (p[i] != PatternByte(block.Id, i))
                Assert.Fail($"block {block.Id} at 0x{block.Address:X} (size {block.Size}) lost its contents at offset {i}");
        }
    }
}
