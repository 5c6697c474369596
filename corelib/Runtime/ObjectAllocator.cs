// Where `new` gets memory. One entry point (Allocate) so a real heap or a GC can take over later. When the memory is
// not there, `new` throws an OutOfMemoryException made in advance (making one then could fail too), unless throwing
// could recurse; then it panics, as it did before the kernel had exceptions.
using System;
using System.Runtime.CompilerServices;

namespace Internal.Runtime;

/// <summary>
/// The runtime's allocation entry point. Starts as a bump allocator over a region the kernel hands in at boot
/// (which a refill function may replace with a fresh region when it runs out); the kernel may install its own
/// allocator with <see cref="Install"/>.
/// </summary>
public static unsafe class ObjectAllocator
{
    private const nuint ObjectAlignment = 8;

    private static byte* s_bumpNext;
    private static byte* s_bumpEnd;
    private static delegate*<nuint, void*> s_allocate;
    private static delegate*<nuint, bool> s_refillEarly;
    private static OutOfMemoryException s_outOfMemory;
    private static EarlyRegions s_regions;
    private static bool s_outOfMemoryInFlight;

    /// <summary>Bytes handed out by the early bump allocator.</summary>
    public static nuint EarlyBytesUsed { get; private set; }

    /// <summary>Bytes still free in the early region.</summary>
    public static nuint EarlyBytesFree => (nuint)(s_bumpEnd - s_bumpNext);

    /// <summary>Where the next early allocation would start.</summary>
    public static void* EarlyNext => s_bumpNext;

    /// <summary>Gives the early bump allocator its memory; the rest of a previous region is abandoned.</summary>
    /// <remarks>Safety: [start, start+size) must be writable RAM owned by the kernel for good.</remarks>
    public static void InitializeEarlyHeap(void* start, nuint sizeInBytes)
    {
        s_regions.Add((byte*)start, s_bumpNext);
        s_bumpNext = (byte*)start;
        s_bumpEnd = (byte*)start + sizeInBytes;
    }

    /// <summary>How many early regions objects were allocated in (a refill starts a new one).</summary>
    public static int EarlyRegionCount => s_regions.Count;

    /// <summary>
    /// The used part [start, end) of early region index: consecutive objects, each 8 bytes after its 8-aligned
    /// block. The garbage collector treats their references as roots (early objects are permanent).
    /// </summary>
    public static void GetEarlyRegion(int index, out byte* start, out byte* end)
    {
        start = s_regions.Start(index);
        end = index == s_regions.Count - 1 ? s_bumpNext : s_regions.End(index);
    }

    /// <summary>
    /// Called with the size wanted when the early region is too small; it returns whether it called
    /// <see cref="InitializeEarlyHeap"/> with a region that may hold it. It must not allocate objects itself.
    /// </summary>
    public static void SetEarlyRefill(delegate*<nuint, bool> refill) => s_refillEarly = refill;

    /// <summary>Ends early allocation for good (no refill); the free rest of the region is the caller's again.</summary>
    public static void CloseEarlyHeap()
    {
        s_refillEarly = null;
        s_bumpEnd = s_bumpNext;
    }

    /// <summary>
    /// Routes every later allocation to allocate, which must return zeroed, 8-byte aligned memory or null, and makes
    /// the OutOfMemoryException that a failed allocation throws from then on.
    /// </summary>
    public static void Install(delegate*<nuint, void*> allocate)
    {
        s_allocate = allocate;
        if (s_outOfMemory == null)
        {
            s_outOfMemory = new OutOfMemoryException();
            // Its dispatch must not allocate either: room for the whole trace now.
            ExceptionFrames.Reserve(s_outOfMemory);
        }
    }

    /// <summary>
    /// Tells the allocator that a thrown exception has been handled (execution goes on in a catch block), so an
    /// OutOfMemoryException may be thrown again. The exception dispatcher calls this when it resumes after a catch.
    /// </summary>
    public static void ExceptionHandled() => s_outOfMemoryInFlight = false;

    /// <summary>
    /// Zeroed, 8-byte aligned memory for an object. When there is none, throws the preallocated OutOfMemoryException;
    /// panics instead (with the size) before <see cref="Install"/> has made it, and while a previous
    /// OutOfMemoryException is still on its way to a handler (the dispatch, or the panic for an unhandled exception,
    /// ran out of memory too: throwing again would recurse).
    /// </summary>
    public static void* Allocate(nuint sizeInBytes)
    {
        void* result = s_allocate != null ? s_allocate(sizeInBytes) : BumpAllocate(sizeInBytes);
        if (result == null)
            ThrowOutOfMemory(sizeInBytes);
        return result;
    }

    // The flag stays set until the dispatcher reports a handled exception (ExceptionHandled). Without exception
    // dispatch a throw never returns (it ends in the unhandled-exception panic), so the flag then only keeps that
    // panic's own allocations from throwing again.
    private static void ThrowOutOfMemory(nuint sizeInBytes)
    {
        OutOfMemoryException outOfMemory = s_outOfMemory;
        if (outOfMemory == null || s_outOfMemoryInFlight)
        {
            RuntimeHooks.FailFast("out of memory: the runtime could not allocate an object of ", sizeInBytes);
            return;
        }
        s_outOfMemoryInFlight = true;
        throw outOfMemory;
    }

    private static void* BumpAllocate(nuint sizeInBytes)
    {
        nuint size = (sizeInBytes + ObjectAlignment - 1) & ~(ObjectAlignment - 1);
        if (s_bumpNext == null || size > (nuint)(s_bumpEnd - s_bumpNext))
        {
            if (s_refillEarly == null || !s_refillEarly(size) || size > (nuint)(s_bumpEnd - s_bumpNext))
                return null;
        }
        byte* result = s_bumpNext;
        s_bumpNext += size;
        EarlyBytesUsed += size;
        Buffer.ZeroMemory(result, size);
        return result;
    }

    // The early regions in order, kept without allocating (the list exists before any heap). A region's used end is
    // where the bump pointer stood when the next one began.
    private struct EarlyRegions
    {
        private const int Capacity = 32;
        private fixed ulong _starts[Capacity];
        private fixed ulong _ends[Capacity];

        public int Count;

        public void Add(byte* start, byte* previousNext)
        {
            if (Count > 0)
                _ends[Count - 1] = (ulong)previousNext;
            if (Count == Capacity)
                RuntimeHooks.FailFast("early heap: too many regions, limit: ", Capacity);
            _starts[Count] = (ulong)start;
            Count++;
        }

        public byte* Start(int index) => (byte*)_starts[index];

        public byte* End(int index) => (byte*)_ends[index];
    }
}
