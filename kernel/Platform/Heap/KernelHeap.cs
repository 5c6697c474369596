// The kernel heap (seed chapter "Heap Allocation"): a region at 0x0000_4444_4444_0000 mapped page by page from the
// frame allocator, growing on demand in chunks up to a limit, managed by the design the heap= option selects.
// Once installed it is also where the runtime's `new` gets its memory. Out of memory is a panic naming the request
// and the heap for raw allocations (Allocate), and an OutOfMemoryException for `new`.
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Heap;

/// <summary>The kernel heap and the runtime's allocator.</summary>
public static class KernelHeap
{
    /// <summary>Address space added per growth step.</summary>
    public const ulong GrowthChunkBytes = 1UL << 20;

    /// <summary>Alignment of runtime objects and of Allocate's default.</summary>
    public const ulong DefaultAlignment = 16;

    // Objects start one header word after their block (corelib/Runtime/RuntimeExports.cs).
    private const ulong ObjectHeaderBytes = 8;

    private static readonly InterruptSafeLock s_lock = new InterruptSafeLock("heap lock");
    private static IHeapAllocator s_allocator;
    private static Region s_region;
    private static unsafe delegate*<ulong, void> s_objectFreed;

    /// <summary>The design in use.</summary>
    public static IHeapAllocator Allocator => s_allocator;

    /// <summary>Bytes the heap may grow to.</summary>
    public static ulong LimitBytes => s_region == null ? 0 : s_region.LimitBytes;

    /// <summary>
    /// Maps the first chunk, creates the design named (tlsf when unknown) and, when routeRuntime is set, routes `new`
    /// to it (the garbage collector routes `new` through itself instead, so every heap object is one it tracks).
    /// </summary>
    /// <remarks>Safety: call once, on the kernel's page tables, before anything frees objects.</remarks>
    public static unsafe void Initialize(string design, ulong limitBytes, bool routeRuntime = true)
    {
        s_region = new Region(AddressSpaceLayout.KernelHeapStart, limitBytes);
        ulong initial = s_region.Grow(GrowthChunkBytes);
        if (initial == 0)
            Panic.Halt("heap: cannot map the first chunk", FrameAllocator.Describe(FrameError.OutOfMemory));
        s_allocator = HeapDesigns.Create(design, AddressSpaceLayout.KernelHeapStart, initial, s_region)
            ?? HeapDesigns.Create(HeapDesigns.Default, AddressSpaceLayout.KernelHeapStart, initial, s_region);
        if (routeRuntime)
            ObjectAllocator.Install(&AllocateForRuntime);
    }

    /// <summary>Routes `new` to the heap directly (no collector: objects live until Free).</summary>
    public static unsafe void RouteRuntimeAllocations() => ObjectAllocator.Install(&AllocateForRuntime);

    /// <summary>Whether address lies in the heap's region (mapped or not yet).</summary>
    public static bool Contains(ulong address) =>
        address >= AddressSpaceLayout.KernelHeapStart && address - AddressSpaceLayout.KernelHeapStart < LimitBytes;

    /// <summary>Called by Free(object) with the object's address before its block is freed (the collector's bitmaps).</summary>
    /// <remarks>Safety: onFreed must not allocate or take the heap lock.</remarks>
    public static unsafe void SetObjectFreedHook(delegate*<ulong, void> onFreed) => s_objectFreed = onFreed;

    /// <summary>Memory of size bytes aligned to alignment, or null (never panics).</summary>
    /// <remarks>Safety: the caller owns the block until it passes it to Free, and must not touch it after.</remarks>
    public static unsafe void* TryAllocate(ulong size, ulong alignment = DefaultAlignment)
    {
        using (s_lock.Acquire())
            return (void*)s_allocator.Allocate(size, alignment, out _);
    }

    /// <summary>
    /// Takes the heap lock (interrupts off until the guard is disposed). The collector holds it across its object
    /// allocations (so recording an object is atomic with allocating it) and across a collection (so no CPU is inside
    /// the heap while the sweep frees): use TryAllocateLocked meanwhile, never the locking methods.
    /// </summary>
    public static InterruptSafeLock.Guard Lock() => s_lock.Acquire();

    /// <summary>TryAllocate for a caller that holds the heap lock (Lock).</summary>
    /// <remarks>Safety: as TryAllocate, and the caller holds the lock.</remarks>
    public static unsafe void* TryAllocateLocked(ulong size, ulong alignment = DefaultAlignment) =>
        (void*)s_allocator.Allocate(size, alignment, out _);

    /// <summary>Memory of size bytes aligned to alignment; out of memory is a panic naming the request and the heap.</summary>
    /// <remarks>Safety: as for TryAllocate.</remarks>
    public static unsafe void* Allocate(ulong size, ulong alignment = DefaultAlignment)
    {
        HeapError error;
        ulong address;
        using (s_lock.Acquire())
            address = s_allocator.Allocate(size, alignment, out error);
        if (address == 0)
            Panic.Halt("out of memory: the heap cannot allocate " + size.ToString() + " bytes aligned to " + alignment.ToString()
                + " (" + Describe(error) + ")", StatisticsLine());
        return (void*)address;
    }

    /// <summary>Returns memory from Allocate; a bad free (foreign, double, corrupt) is a panic with the address.</summary>
    /// <remarks>Safety: address must come from Allocate or TryAllocate and not be used again; anything else is caught and panics.</remarks>
    public static unsafe void Free(void* address)
    {
        HeapError error;
        using (s_lock.Acquire())
            error = s_allocator.Free((ulong)address);
        PanicOnBadFree((ulong)address, error);
    }

    private static void PanicOnBadFree(ulong address, HeapError error)
    {
        if (error != HeapError.None)
            Panic.Halt("heap: bad free of 0x" + address.ToString("x") + ": " + Describe(error), StatisticsLine());
    }

    /// <summary>
    /// Frees an object at once, a debug aid (the garbage collector reclaims unreachable objects by itself); the
    /// collector's bitmaps forget it first, so a later sweep never frees the block twice.
    /// </summary>
    /// <remarks>Safety: no reference to obj may remain anywhere (a stack slot, a field): nothing checks that.</remarks>
    public static unsafe void Free(object obj)
    {
        object reference = obj;
        ulong address = *(ulong*)Unsafe.AsPointer(ref reference);
        HeapError error;
        using (s_lock.Acquire())
        {
            if (s_objectFreed != null)
                s_objectFreed(address);
            error = s_allocator.Free(address - ObjectHeaderBytes);
        }
        PanicOnBadFree(address - ObjectHeaderBytes, error);
    }

    /// <summary>The heap's counters.</summary>
    public static HeapStatistics Statistics
    {
        get
        {
            using (s_lock.Acquire())
                return s_allocator.Statistics;
        }
    }

    /// <summary>One line with the heap's design and counters.</summary>
    public static string StatisticsLine()
    {
        HeapStatistics stats = Statistics;
        return "heap " + s_allocator.Name + ": " + stats.BytesInUse.ToString() + " bytes in use (peak " + stats.PeakBytesInUse.ToString()
            + "), " + (stats.BytesMapped >> 10).ToString() + " KiB mapped of " + (LimitBytes >> 20).ToString() + " MiB allowed, "
            + stats.FreeBytes.ToString() + " free (largest block " + stats.LargestFreeBlock.ToString() + "), "
            + stats.AllocationCount.ToString() + " allocations, " + stats.FreeCount.ToString() + " frees, "
            + stats.RejectedFreeCount.ToString() + " rejected frees";
    }

    /// <summary>A short description of an error.</summary>
    public static string Describe(HeapError error) => error switch
    {
        HeapError.None => "ok",
        HeapError.OutOfMemory => "out of memory, heap limit reached",
        HeapError.BadAlignment => "alignment not a power of two up to 4096",
        HeapError.ForeignPointer => "address not handed out by this heap",
        HeapError.DoubleFree => "block already free (double free)",
        HeapError.CorruptHeader => "block header overwritten",
        _ => "unknown heap error",
    };

    // The runtime's allocation entry point: zeroed memory, as `new` requires, or null when the heap is full: then
    // `new` throws an OutOfMemoryException the caller may catch (corelib/Runtime/ObjectAllocator.cs) instead of the
    // panic Allocate gives raw allocations.
    private static unsafe void* AllocateForRuntime(nuint size)
    {
        void* memory = TryAllocate(size, DefaultAlignment);
        if (memory != null)
            System.Buffer.ZeroMemory((byte*)memory, size);
        return memory;
    }

    /// <summary>The heap's address range: grows by mapping frames after its end.</summary>
    private sealed class Region : IHeapGrowth
    {
        private readonly ulong _start;
        private ulong _mapped;

        public Region(ulong start, ulong limitBytes)
        {
            _start = start;
            LimitBytes = limitBytes;
        }

        public ulong LimitBytes { get; }

        public ulong Grow(ulong minimumBytes)
        {
            ulong bytes = (minimumBytes + GrowthChunkBytes - 1) & ~(GrowthChunkBytes - 1);
            if (bytes == 0 || _mapped + bytes > LimitBytes)
                return 0;
            ulong end = _start + _mapped;
            for (ulong page = end; page < end + bytes; page += FrameAllocator.FrameSize)
            {
                if (KernelAddressSpace.Frames.TryAllocate(out ulong frame) != FrameError.None)
                {
                    // Keep what was mapped consistent: give back this partial growth's pages.
                    for (ulong back = end; back < page; back += FrameAllocator.FrameSize)
                    {
                        KernelAddressSpace.Mapper.Unmap(back, out ulong mappedFrame, out _);
                        KernelAddressSpace.Frames.Free(mappedFrame);
                    }
                    return 0;
                }
                MapResult result = KernelAddressSpace.Mapper.Map(page, frame, PageFlags.Writable | KernelAddressSpace.NoExecute);
                if (result != MapResult.Ok)
                    Panic.Halt("heap: cannot map 0x" + page.ToString("x"), PageTableMapper.Describe(result));
            }
            _mapped += bytes;
            return bytes;
        }
    }
}
