// A heap region for host tests: one big NativeMemory block, of which the heap first gets initialBytes and then, through
// IHeapGrowth, further chunks right after (contiguous growth, as the kernel maps pages after the heap's end).
using System;
using System.Runtime.InteropServices;
using Kernel.Heap;

namespace Kernel.HostTests.Heap;

public sealed unsafe class NativeHeapRegion : IHeapGrowth, IDisposable
{
    private readonly byte* _base;

    /// <param name="reserveBytes">Size of the backing block: growth never goes past it.</param>
    /// <param name="initialBytes">Bytes the heap may use from the start.</param>
    /// <param name="chunkBytes">Growth hands out multiples of this.</param>
    /// <param name="baseOffset">Bytes to skip at the start of the 64 KiB-aligned block (to test unaligned starts).</param>
    public NativeHeapRegion(ulong reserveBytes, ulong initialBytes, ulong chunkBytes = 64 * 1024, ulong baseOffset = 0)
    {
        ReserveBytes = reserveBytes;
        ChunkBytes = chunkBytes;
        _base = (byte*)NativeMemory.AlignedAlloc((nuint)(reserveBytes + baseOffset), 64 * 1024);
        Start = (ulong)_base + baseOffset;
        MappedBytes = initialBytes;
        Limit = reserveBytes;
    }

    public ulong Start { get; }

    public ulong ReserveBytes { get; }

    public ulong ChunkBytes { get; }

    /// <summary>Bytes handed to the heap so far (initial plus growth).</summary>
    public ulong MappedBytes { get; private set; }

    /// <summary>Growth fails (returns 0) once it would pass this many bytes.</summary>
    public ulong Limit { get; set; }

    public int GrowCalls { get; private set; }

    public ulong End => Start + MappedBytes;

    public ulong Grow(ulong minimumBytes)
    {
        GrowCalls++;
        ulong bytes = (minimumBytes + ChunkBytes - 1) / ChunkBytes * ChunkBytes;
        if (bytes == 0 || MappedBytes + bytes > Limit || MappedBytes + bytes > ReserveBytes)
            return 0;
        MappedBytes += bytes;
        return bytes;
    }

    public bool Contains(ulong address, ulong length) => address >= Start && address + length <= End;

    public void Dispose() => NativeMemory.AlignedFree(_base);
}
