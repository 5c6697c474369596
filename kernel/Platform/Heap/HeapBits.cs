// Bit helpers every heap design shares: find-first-set / floor(log2) without BitOperations (the kernel's corelib has
// none), alignment checks, and the header checksum mix.
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Heap;

/// <summary>Small, branch-free integer helpers for the heap designs.</summary>
public static class HeapBits
{
    /// <summary>Largest alignment the public Allocate accepts.</summary>
    public const ulong MaxAlignment = 4096;

    /// <summary>Requests above this are refused as out of memory before any size arithmetic can overflow.</summary>
    public const ulong MaxRequest = 1UL << 44;

    /// <summary>An odd 64-bit constant (2^64 / golden ratio): multiplying by it spreads every input bit upwards.</summary>
    private const ulong MixMultiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>A de Bruijn sequence B(2, 6): every 6-bit window of it is distinct.</summary>
    private const ulong DeBruijn64 = 0x03F79D71B4CB0A89UL;

    // Position of the single set bit b, indexed by (b * DeBruijn64) >> 58. Constant data (no static constructor).
    private static ReadOnlySpan<byte> DeBruijnPositions => new byte[]
    {
        0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
        62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
        63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
        46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
    };

    /// <summary>Index of the lowest set bit of value (find-first-set minus one); value must not be 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TrailingZeroCount(ulong value)
    {
        ulong lowest = value & (0UL - value);
        return DeBruijnPositions[(int)((lowest * DeBruijn64) >> 58) & 63];
    }

    /// <summary>floor(log2(value)), the index of the highest set bit; value must not be 0.</summary>
    /// <remarks>Branch-free: smear the top bit downwards, isolate it, and look its position up by de Bruijn.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Log2(ulong value)
    {
        value |= value >> 1;
        value |= value >> 2;
        value |= value >> 4;
        value |= value >> 8;
        value |= value >> 16;
        value |= value >> 32;
        // value is now all ones from the top bit down; value - (value >> 1) keeps just the top bit.
        return DeBruijnPositions[(int)(((value - (value >> 1)) * DeBruijn64) >> 58) & 63];
    }

    /// <summary>63 - Log2(value) for nonzero value, 64 for 0.</summary>
    public static int LeadingZeroCount(ulong value) => value == 0 ? 64 : 63 - Log2(value);

    /// <summary>ceil(log2(value)) for value &gt;= 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CeilLog2(ulong value) => value <= 1 ? 0 : Log2(value - 1) + 1;

    /// <summary>Whether alignment is a power of two from 1 to MaxAlignment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsValidAlignment(ulong alignment) =>
        (alignment & (alignment - 1)) == 0 && alignment - 1 < MaxAlignment;

    /// <summary>value rounded up to a multiple of alignment (a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) & ~(alignment - 1);

    /// <summary>value rounded down to a multiple of alignment (a power of two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AlignDown(ulong value, ulong alignment) => value & ~(alignment - 1);

    /// <summary>
    /// The check word for a header at address holding word: ((word ^ magic) * odd constant) + address. For a fixed
    /// address the map from word to check is a bijection, so changing any bit of the word changes the check; the
    /// same header copied to another address, or checked with another design's magic, does not match. One multiply,
    /// because the allocators compute it on every allocation and free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong address, ulong word, ulong magic) => (word ^ magic) * MixMultiplier + address;

    /// <summary>The least a design asks IHeapGrowth for at a time.</summary>
    public const ulong GrowthChunk = 64 * 1024;

    /// <summary>
    /// The check every design makes before anything else: BadAlignment unless alignment is a power of two up to
    /// MaxAlignment, OutOfMemory for sizes past MaxRequest (no region can hold them), else None.
    /// </summary>
    public static HeapError CheckRequest(ulong size, ulong alignment) =>
        !IsValidAlignment(alignment) ? HeapError.BadAlignment : size > MaxRequest ? HeapError.OutOfMemory : HeapError.None;

    /// <summary>
    /// Asks growth (null: a fixed region) for at least request bytes, never less than GrowthChunk; returns the
    /// bytes added after the region's end, or 0 when it cannot grow.
    /// </summary>
    public static ulong Grow(IHeapGrowth growth, ulong request) =>
        growth == null ? 0 : growth.Grow(request < GrowthChunk ? GrowthChunk : request);

    /// <summary>Copies length bytes of a block being moved (realloc) from source to destination.</summary>
    /// <remarks>Safety: both ranges must be valid for length bytes.</remarks>
    public static unsafe void CopyBlock(ulong source, ulong destination, ulong length) =>
        Buffer.MemoryCopy((void*)source, (void*)destination, (long)length, (long)length);
}
