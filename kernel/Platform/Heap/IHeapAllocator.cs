// One interface for every heap design (seed chapters "Heap Allocation" and "Allocator Designs"): the kernel heap
// and the runtime's `new` use whichever design the heap= boot option selects.
namespace Kernel.Heap;

/// <summary>What went wrong with a heap operation.</summary>
public enum HeapError
{
    None,

    /// <summary>No block large enough, and the region could not grow.</summary>
    OutOfMemory,

    /// <summary>Alignment is not a power of two, or larger than the design supports.</summary>
    BadAlignment,

    /// <summary>The address was never handed out by this heap (or lies outside it).</summary>
    ForeignPointer,

    /// <summary>The block is already free.</summary>
    DoubleFree,

    /// <summary>The block's header was overwritten (a buffer overrun from the block before it, or a wild write).</summary>
    CorruptHeader,
}

/// <summary>Counters every design keeps.</summary>
public struct HeapStatistics
{
    /// <summary>Bytes in live allocations (as requested).</summary>
    public ulong BytesInUse;

    /// <summary>Highest BytesInUse seen.</summary>
    public ulong PeakBytesInUse;

    /// <summary>Bytes of address space the heap manages (grown so far).</summary>
    public ulong BytesMapped;

    /// <summary>Bytes free for new allocations (excluding headers the design would need).</summary>
    public ulong FreeBytes;

    /// <summary>The largest single free block.</summary>
    public ulong LargestFreeBlock;

    /// <summary>Successful allocations.</summary>
    public ulong AllocationCount;

    /// <summary>Successful frees.</summary>
    public ulong FreeCount;

    /// <summary>Rejected frees (foreign pointer, double free, corrupt header).</summary>
    public ulong RejectedFreeCount;
}

/// <summary>Where a heap gets more address space: the kernel maps pages after the current end.</summary>
public interface IHeapGrowth
{
    /// <summary>
    /// Makes at least minimumBytes more usable right after the region's current end (contiguous growth); returns
    /// the bytes actually added (a multiple of the growth chunk), or 0 when the limit is reached.
    /// </summary>
    ulong Grow(ulong minimumBytes);
}

/// <summary>A heap design over one contiguous, growable region.</summary>
/// <remarks>
/// Addresses are plain numbers (the region is real memory: kernel pages, or a NativeMemory block in host tests).
/// Safety for implementers: the region [Start, Start + BytesMapped) must be readable and writable.
/// </remarks>
public interface IHeapAllocator
{
    /// <summary>The design's name as the heap= boot option spells it (bump, list, block, tlsf).</summary>
    string Name { get; }

    /// <summary>
    /// A block of at least size bytes aligned to alignment (a power of two, 1 to 4096; 16 is the default), or 0
    /// with error set. Contents are unspecified; the kernel heap zeroes what the runtime needs zeroed.
    /// </summary>
    ulong Allocate(ulong size, ulong alignment, out HeapError error);

    /// <summary>Returns a block; anything else (foreign, double, corrupt) is rejected and reported, never corrupting the heap.</summary>
    HeapError Free(ulong address);

    /// <summary>
    /// Resizes a block, keeping its first min(old, new) bytes; may move it (the old block is then freed). 0 with
    /// error set on failure, in which case the old block is untouched. Reallocate(0, n) allocates.
    /// </summary>
    ulong Reallocate(ulong address, ulong newSize, out HeapError error);

    /// <summary>The usable size of a live block (at least what was asked), or 0 for an address it did not hand out.</summary>
    ulong UsableSize(ulong address);

    /// <summary>Current counters.</summary>
    HeapStatistics Statistics { get; }
}
