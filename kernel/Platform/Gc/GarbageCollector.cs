// The kernel's garbage collector (issue 14): a non-moving, stop-the-world mark-sweep over the kernel heap. It owns
// the runtime's allocation path (so every heap object gets its start bit), decides when to collect, gathers the
// roots and reports what each collection did. The marking and sweeping themselves are in MarkSweep.
//
// Roots: the kernel stack from the collection point up and the callee-saved registers (conservatively, or through
// the precise walker in gc=precise); the GC static blocks; every word of the early regions' objects (statics
// objects among them) and of the frozen objects (a null field may have been written since); the handle table and
// the executor's queues and timers are reached through statics. In-flight exceptions: ExInfos live on the stack.
// When: allocation failure (collect, retry), an allocation budget of max(1 MiB, live bytes), the executor's idle
// loop, the shell's gc command, gcstress=N. Only with interrupts enabled at the allocation point (so never in an
// interrupt handler or under the heap lock, which disables them), and with interrupts off while it runs: interrupt
// handlers move task references between queues, and there are no write barriers. A pause longer than a timer period
// loses no time: the next tick counts the periods that passed from the TSC (SystemTimer, TickCatchUp).
using System;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Cpus;
using Kernel.Diagnostics;
using Kernel.Heap;
using Kernel.Memory;

namespace Kernel.Gc;

/// <summary>Why a collection ran.</summary>
public enum GcReason
{
    /// <summary>Allocation since the last collection passed the budget.</summary>
    Budget,

    /// <summary>An allocation failed; the collector ran before retrying it.</summary>
    AllocationFailure,

    /// <summary>The executor was idle and enough had been allocated.</summary>
    Idle,

    /// <summary>Asked for (the shell's gc command, a test).</summary>
    Explicit,

    /// <summary>gcstress=N: every Nth allocation.</summary>
    Stress,
}

/// <summary>The garbage collector's entry points and counters.</summary>
public static unsafe class GarbageCollector
{
    /// <summary>The smallest allocation budget between collections.</summary>
    public const ulong MinimumBudgetBytes = 1UL << 20;

    private const int MarkStackEntries = 8192;
    private const int SpilledRegisterCount = 8;
    private const ulong BitmapCoverStep = 1UL << 20;
    // R15 .. Rax: the general registers at the start of an InterruptFrame.
    private const int InterruptFrameRegisters = 15;

    private static GcMode s_mode;
    private static MarkSweep s_core;
    private static ulong s_bitmapMappedBytes;
    private static ulong s_stressEvery;
    private static long s_allocationsSinceStress;
    private static long s_bytesSinceCollection;
    private static ulong s_budget = MinimumBudgetBytes;
    private static bool s_collecting;
    private static int s_noCollection;
    private static ulong s_tscHz;
    private static RootCallback s_reportRoot;
    private static StackRangeCallback s_scanRange;
#if KERNEL_TESTS
    private static DetailedRootCallback s_checkRoot;
    private static ulong s_badSlot;
    private static ulong s_badValue;
    private static ulong s_badFrameSp;
    private static bool s_badInterior;
    private static bool s_badIsRegister;
    private static ulong s_badRoots;
#endif

    /// <summary>The mode the collector runs in.</summary>
    public static GcMode Mode => s_mode;

    /// <summary>Whether collections happen.</summary>
    public static bool Enabled => s_mode != GcMode.Off;

    /// <summary>gcstress=N, or 0.</summary>
    public static ulong StressEvery => s_stressEvery;

    /// <summary>Collections so far.</summary>
    public static ulong Collections { get; private set; }

    /// <summary>TSC cycles the last collection took.</summary>
    public static ulong LastPauseCycles { get; private set; }

    /// <summary>TSC cycles of the longest collection.</summary>
    public static ulong MaxPauseCycles { get; private set; }

    /// <summary>What the last sweep found.</summary>
    public static SweepResult LastSweep { get; private set; }

    /// <summary>Objects marked by the last collection.</summary>
    public static ulong LastMarkedObjects { get; private set; }

    /// <summary>Bytes reclaimed by all collections.</summary>
    public static ulong TotalFreedBytes { get; private set; }

    /// <summary>Objects reclaimed by all collections.</summary>
    public static ulong TotalFreedObjects { get; private set; }

    /// <summary>Collections in gc=precise that scanned at least one stack frame conservatively (a frame the walk could not prove).</summary>
    public static ulong PreciseFallbacks { get; private set; }

    /// <summary>Stack frames whose roots came from GC info, over all collections in gc=precise.</summary>
    public static ulong PreciseFrames { get; private set; }

    /// <summary>Stack frames scanned conservatively in gc=precise, over all collections (each one a frame the walk could not prove).</summary>
    public static ulong ConservativeFrames { get; private set; }

    /// <summary>Collections in gc=precise where the walk stopped short and the rest of the stack was scanned conservatively.</summary>
    public static ulong ConservativeRestScans { get; private set; }

    /// <summary>Collections whose precise stack roots were cross-checked against the conservative scan (Test build only; else 0).</summary>
    public static ulong CrossChecks { get; private set; }

    /// <summary>Precise stack roots the cross-checks found among the conservative roots (Test build only; else 0).</summary>
    public static ulong CrossCheckedRoots { get; private set; }

    /// <summary>Set to stop the Test build's cross-check of each precise collection's stack roots (benchmarks set it).</summary>
    public static bool SkipRootCrossCheck { get; set; }

    /// <summary>Other CPUs' stacks scanned (conservatively) while they were stopped for a collection.</summary>
    public static ulong StoppedCpuScans { get; private set; }

    /// <summary>Times the mark stack filled (each cost a rescan of the marked objects).</summary>
    public static ulong MarkStackOverflows => s_core == null ? 0 : s_core.MarkStackOverflows;

    /// <summary>Objects the collector tracks now (live at the last collection plus allocated since).</summary>
    public static ulong TrackedObjects => s_core == null ? 0 : s_core.TrackedObjects;

    /// <summary>Bytes of bitmap mapped (both bitmaps).</summary>
    public static ulong BitmapBytes => 2 * s_bitmapMappedBytes;

    /// <summary>Bytes allocated since the last collection, and the budget that triggers the next one.</summary>
    public static ulong BytesSinceCollection => (ulong)s_bytesSinceCollection;

    /// <summary>The allocation budget: max(1 MiB, live bytes after the last collection).</summary>
    public static ulong BudgetBytes => s_budget;

    /// <summary>The TSC rate, to turn pause cycles into time (set once calibrated).</summary>
    public static void SetTscFrequency(ulong hz) => s_tscHz = hz;

    /// <summary>Microseconds for a number of TSC cycles (0 before SetTscFrequency).</summary>
    public static ulong CyclesToMicroseconds(ulong cycles) => s_tscHz == 0 ? 0 : cycles * 1_000_000 / s_tscHz;

    /// <summary>
    /// Starts the collector in mode, collecting every stressEvery allocations when nonzero. With mode off it
    /// routes `new` to the heap as before and does nothing else.
    /// </summary>
    /// <remarks>
    /// Safety: call once, right after KernelHeap.Initialize(..., routeRuntime: false) and before any object is
    /// allocated on the kernel heap (every heap object must have its start bit), on the kernel stack.
    /// </remarks>
    public static void Initialize(GcMode mode, ulong stressEvery)
    {
        if (mode == GcMode.Off)
        {
            KernelHeap.RouteRuntimeAllocations();
            return;
        }
        s_mode = mode;
        s_stressEvery = stressEvery;
        // Made while `new` still uses the early region: the collector's own objects are permanent roots.
        s_reportRoot = ReportRoot;
        s_scanRange = ScanRange;
#if KERNEL_TESTS
        s_checkRoot = CheckRoot;
#endif
        ulong* stack = (ulong*)KernelHeap.Allocate((ulong)MarkStackEntries * sizeof(ulong));
        MapBitmaps(BitmapCoverStep);
        s_core = new MarkSweep(AddressSpaceLayout.KernelHeapStart, (ulong*)AddressSpaceLayout.GcStartBitmap,
            (ulong*)AddressSpaceLayout.GcMarkBitmap, BitmapCoverStep, stack, MarkStackEntries);
        KernelHeap.SetObjectFreedHook(&ForgetObject);
        ObjectAllocator.Install(&Allocate);
    }

    /// <summary>
    /// No collection starts until the returned scope is disposed (scopes nest): for code that measures the heap's
    /// bytes in use, which a collection in between would change. Allocation failure then fails without collecting.
    /// </summary>
    public static NoCollectionScope NoCollection()
    {
        s_noCollection++;
        return new NoCollectionScope(true);
    }

    internal static void EndNoCollection() => s_noCollection--;

    /// <summary>Collects now if collection is possible here (interrupts on, not already collecting); returns whether it ran.</summary>
    public static bool Collect(GcReason reason = GcReason.Explicit)
    {
        if (!CanCollectHere())
            return false;
        CollectNow(reason);
        return true;
    }

    /// <summary>From the executor's idle loop: collects when at least half the budget was allocated since the last time.</summary>
    public static void CollectIfWorthwhile()
    {
        if (s_core != null && (ulong)s_bytesSinceCollection >= s_budget / 2)
            Collect(GcReason.Idle);
    }

    // The runtime's allocation entry point (ObjectAllocator): zeroed memory for an object, or null.
    // Any CPU may allocate: the heap lock covers allocating the block, recording its start bit (other CPUs set bits
    // in the same words) and zeroing it, so a collection - which holds that lock - never sees a half-made object. One
    // whose type is not written yet (MethodTable word 0: the runtime writes it after this returns) is kept alive.
    private static void* Allocate(nuint size)
    {
        bool stress = s_stressEvery != 0 && Atomic.Increment(ref s_allocationsSinceStress) % (long)s_stressEvery == 0;
        if (stress)
            Collect(GcReason.Stress);
        else if (Atomic.FetchAdd(ref s_bytesSinceCollection, (long)size) + (long)size > (long)s_budget)
            Collect(GcReason.Budget);
        void* memory = TryAllocateRecorded(size);
        if (memory == null && Collect(GcReason.AllocationFailure))
            memory = TryAllocateRecorded(size);
        return memory;
    }

    private static void* TryAllocateRecorded(nuint size)
    {
        using (KernelHeap.Lock())
        {
            void* memory = KernelHeap.TryAllocateLocked(size, KernelHeap.DefaultAlignment);
            if (memory == null)
                return null;
            ulong obj = (ulong)memory + GcDesc.ObjectHeaderBytes;
            ulong reach = (ulong)memory + size - AddressSpaceLayout.KernelHeapStart;
            if (reach > s_core.CoveredBytes)
            {
                ulong cover = (reach + BitmapCoverStep - 1) & ~(BitmapCoverStep - 1);
                MapBitmaps(cover);
                s_core.Cover(cover);
            }
            System.Buffer.ZeroMemory((byte*)memory, size);
            s_core.RecordAllocation(obj);
            return memory;
        }
    }

    // Interrupts on means: not in an interrupt handler (they run with IF clear) and no InterruptSafeLock held (the
    // heap's included). And the stack must be this CPU's kernel stack, the one the scan covers.
    private static bool CanCollectHere()
    {
        if (s_core == null || s_collecting || s_noCollection != 0 || !Cpu.InterruptsEnabled)
            return false;
        ulong marker = 0;
        ulong here = (ulong)&marker;
        ulong top = Processors.CurrentStackTop;
        return here < top && here >= top - AddressSpaceLayout.KernelStackBytes;
    }

    // Stop-the-world: the heap lock (no CPU is allocating or inside the heap), then every other CPU stopped by an NMI
    // wherever it was (Processors.StopOthers); their stacks and registers are scanned conservatively, this CPU's as
    // the mode says. Two CPUs deciding to collect at once: the second waits for the heap lock and then collects again
    // only when it was asked for explicitly.
    private static void CollectNow(GcReason reason)
    {
        ulong started = Cpu.ReadTimeStampCounter();
        ulong seen = Collections;
        using (KernelHeap.Lock())
        {
            // Another CPU collected while this one waited for the lock: that was the collection it wanted.
            if (Collections != seen && reason != GcReason.Explicit)
                return;
            s_collecting = true;
            if (!Processors.StopOthers())
                Panic.Halt("gc: another CPU did not stop for the collection within " + Processors.AnswerTimeoutMs.ToString() + " ms");
            // The stack first: the Test build's cross-check uses the mark bitmap before any marking.
            MarkStack();
            MarkStoppedCpus();
            MarkStaticRoots();
            s_core.Drain();
            LastMarkedObjects = s_core.MarkedObjects;
            SweepResult result = s_core.Sweep(KernelHeap.Allocator);
            if (result.RejectedFrees != 0)
                Panic.Halt("gc: the heap rejected " + result.RejectedFrees.ToString() + " frees of dead objects", KernelHeap.StatisticsLine());
            LastSweep = result;
            TotalFreedBytes += result.FreedBytes;
            TotalFreedObjects += result.FreedObjects;
            s_budget = result.LiveBytes > MinimumBudgetBytes ? result.LiveBytes : MinimumBudgetBytes;
            s_bytesSinceCollection = 0;
            Collections++;
            Processors.ResumeOthers();
            s_collecting = false;
        }
        LastPauseCycles = Cpu.ReadTimeStampCounter() - started;
        if (LastPauseCycles > MaxPauseCycles)
            MaxPauseCycles = LastPauseCycles;
    }

    // Every other CPU, stopped in its NMI handler: each register of the interrupted frame and every word of its kernel
    // stack from the interrupted stack pointer up (the whole stack when that pointer is elsewhere, an IST stack).
    private static void MarkStoppedCpus()
    {
        for (int i = 0; i < Processors.Count; i++)
        {
            if (!Processors.TryGetStoppedFrame(i, out InterruptFrame frame))
                continue;
            ulong* registers = (ulong*)&frame;
            ScanRange(registers, registers + InterruptFrameRegisters);
            ulong top = Processors.StackTopOf(i);
            ulong bottom = top - AddressSpaceLayout.KernelStackBytes;
            ulong from = frame.Rsp >= bottom && frame.Rsp < top ? frame.Rsp & ~7UL : bottom;
            ScanRange((ulong*)from, (ulong*)top);
            StoppedCpuScans++;
        }
    }

    private static void MarkStaticRoots()
    {
        byte* start, end;
        // GC static blocks: relative pointers to 8-byte blocks, each holding its statics object (in an early region).
        if (StartupCodeHelpers.TryGetModuleSection(StartupCodeHelpers.GCStaticRegionSection, out start, out end))
        {
            for (byte* entry = start; entry < end; entry += sizeof(int))
                s_core.MarkReference(*(ulong*)(entry + *(int*)entry));
        }
        if (StartupCodeHelpers.TryGetModuleSection(StartupCodeHelpers.FrozenObjectRegionSection, out start, out end))
            MarkWords((ulong*)start, (ulong*)end);
        for (int i = 0; i < ObjectAllocator.EarlyRegionCount; i++)
        {
            ObjectAllocator.GetEarlyRegion(i, out start, out end);
            MarkWords((ulong*)start, (ulong*)end);
        }
    }

    // Early and frozen objects store exact references in their fields; every word that is an object start counts.
    private static void MarkWords(ulong* start, ulong* end)
    {
        for (ulong* word = start; word < end; word++)
            s_core.MarkReference(*word);
    }

    private static void MarkStack()
    {
        ulong* saved = stackalloc ulong[SpilledRegisterCount];
        ulong rsp = Native.SpillRegisters(saved);
#if KERNEL_TESTS
        if (s_mode == GcMode.Precise && !SkipRootCrossCheck)
            CrossCheckStackRoots(saved, rsp);
#endif
        if (s_mode == GcMode.Precise)
        {
            MarkStackPrecisely(saved, rsp);
            return;
        }
        ScanRange(saved, saved + SpilledRegisterCount);
        ScanRange((ulong*)rsp, (ulong*)Processors.CurrentStackTop);
    }

    // The start context is MarkStack's own frame: its return address sits just below the rsp the spill returned.
    // Frames the walk cannot prove are scanned conservatively, each on its own (StackRoots.EnumerateStackRoots).
    private static void MarkStackPrecisely(ulong* saved, ulong rsp)
    {
        RegisterContext context = StartContext(saved, rsp);
        StackRootsWalk walk = StackRoots.EnumerateStackRoots(in context, Processors.CurrentStackTop, s_reportRoot, s_scanRange);
        PreciseFrames += (ulong)walk.PreciseFrames;
        ConservativeFrames += (ulong)walk.ConservativeFrames;
        if (walk.ConservativeFrames != 0)
            PreciseFallbacks++;
        if (walk.RestScanned)
            ConservativeRestScans++;
    }

    // Conservative: every word in [from, to) that points at or into an object marks it.
    private static void ScanRange(ulong* from, ulong* to)
    {
        for (ulong* word = from; word < to; word++)
            s_core.MarkInterior(*word);
    }

    // Called from MarkStack: the return address below rsp is that of the call in progress, in MarkStack.
    private static RegisterContext StartContext(ulong* saved, ulong rsp)
    {
        RegisterContext context = default;
        context.R3 = saved[0];
        context.R5 = saved[1];
        context.R6 = saved[2];
        context.R7 = saved[3];
        context.R12 = saved[4];
        context.R13 = saved[5];
        context.R14 = saved[6];
        context.R15 = saved[7];
        context.Rsp = rsp;
        context.Rip = *(ulong*)(rsp - sizeof(ulong));
        return context;
    }

#if KERNEL_TESTS
    // The Test build's check that precise ⊆ conservative: before any marking (every mark bit is clear between
    // collections), the conservative stack roots (every aligned word of [rsp, KernelStackTop) and the spilled
    // callee-saved registers, each mapped to the object it falls in) are set in the mark bitmap itself, so the set
    // needs no buffer and cannot overflow. Each precise root whose value is a tracked object start (or, for an
    // interior root, falls in an object) must find its object's bit set; then the whole mark bitmap is cleared (not
    // by rescanning the words: a callee may have written its home area since, and a stale bit would stop tracing).
    // Any miss panics naming the frame (symbolized) and the slot. Nothing here allocates until the panic.
    private static void CrossCheckStackRoots(ulong* saved, ulong rsp)
    {
        FlagConservativeRoots(saved, rsp);
        s_badRoots = 0;
        RegisterContext context = StartContext(saved, rsp);
        ulong checkedBefore = CrossCheckedRoots;
        StackRoots.TryEnumeratePreciseStackRoots(in context, Processors.CurrentStackTop, s_checkRoot);
        s_core.ClearMarks();
        CrossChecks++;
        if (s_badRoots == 0)
            return;
        ulong frameRip = FrameRipAt(context, s_badFrameSp);
        string slot = s_badIsRegister
            ? "a register slot (its value at 0x" + s_badSlot.ToString("x") + ")"
            : "the stack slot 0x" + s_badSlot.ToString("x") + " (sp+0x" + (s_badSlot - s_badFrameSp).ToString("x") + ")";
        Panic.Halt("gc: a precise stack root is not among the conservative roots: " + slot + " of the frame "
            + Symbols.Describe(frameRip) + " (sp 0x" + s_badFrameSp.ToString("x") + ") holds "
            + (s_badInterior ? "the interior reference 0x" : "the reference 0x") + s_badValue.ToString("x"),
            s_badRoots.ToString() + " such roots in this collection; " + (CrossCheckedRoots - checkedBefore).ToString() + " checked fine");
    }

    private static void FlagConservativeRoots(ulong* saved, ulong rsp)
    {
        for (int i = 0; i < SpilledRegisterCount; i++)
            s_core.FlagInterior(saved[i], true);
        for (ulong* word = (ulong*)rsp; word < (ulong*)Processors.CurrentStackTop; word++)
            s_core.FlagInterior(*word, true);
    }

    // Roots into the heap only: other values (null, frozen and early objects, a non-reference in an untracked slot
    // that is dead) say nothing about the scan. A non-interior value in the heap but at no object start is left to
    // the marking, which ignores it too.
    private static void CheckRoot(ulong* slot, bool interior, bool isRegister, ulong frameSp)
    {
        ulong value = *slot;
        ulong obj = interior ? s_core.FindObject(value) : (s_core.IsObjectStart(value) ? value : 0);
        if (obj == 0)
            return;
        if (s_core.IsMarked(obj))
        {
            CrossCheckedRoots++;
            return;
        }
        if (s_badRoots++ != 0)
            return;
        s_badSlot = (ulong)slot;
        s_badValue = value;
        s_badFrameSp = frameSp;
        s_badInterior = interior;
        s_badIsRegister = isRegister;
    }

    // The return address of the frame whose stack pointer is sp, walking from start as StackRoots does; 0 if none.
    private static ulong FrameRipAt(RegisterContext context, ulong sp)
    {
        for (int frame = 0; frame < 4096; frame++)
        {
            if (context.Rsp == sp)
                return context.Rip;
            if (StackWalker.Step(ref context, false) != UnwindStatus.Ok || context.Rip == 0)
                return 0;
        }
        return 0;
    }
#endif

    private static void ReportRoot(ulong* slot, bool interior)
    {
        if (interior)
            s_core.MarkInterior(*slot);
        else
            s_core.MarkReference(*slot);
    }

    // KernelHeap.Free(object): the sweep must not free the block again.
    private static void ForgetObject(ulong obj) => s_core.RecordFree(obj);

    // Maps both bitmaps far enough to cover coveredBytes of heap, zeroed; pages come from the frame allocator and
    // stay mapped (the heap never shrinks).
    private static void MapBitmaps(ulong coveredBytes)
    {
        ulong needed = (coveredBytes / MarkSweep.BytesPerBitmapByte + FrameAllocator.FrameSize - 1) & ~(FrameAllocator.FrameSize - 1);
        for (ulong offset = s_bitmapMappedBytes; offset < needed; offset += FrameAllocator.FrameSize)
        {
            MapZeroedPage(AddressSpaceLayout.GcStartBitmap + offset);
            MapZeroedPage(AddressSpaceLayout.GcMarkBitmap + offset);
        }
        if (needed > s_bitmapMappedBytes)
            s_bitmapMappedBytes = needed;
    }

    private static void MapZeroedPage(ulong page)
    {
        if (KernelAddressSpace.Frames.TryAllocate(out ulong frame) != FrameError.None)
            Panic.Halt("gc: no frame for the bitmaps at 0x" + page.ToString("x"), FrameAllocator.Describe(FrameError.OutOfMemory));
        MapResult result = KernelAddressSpace.Mapper.Map(page, frame, PageFlags.Writable | KernelAddressSpace.NoExecute);
        if (result != MapResult.Ok)
            Panic.Halt("gc: cannot map the bitmaps at 0x" + page.ToString("x"), PageTableMapper.Describe(result));
        System.Buffer.ZeroMemory((byte*)page, (nuint)FrameAllocator.FrameSize);
    }
}

/// <summary>A span of code in which no collection starts (see <see cref="GarbageCollector.NoCollection"/>).</summary>
public struct NoCollectionScope : IDisposable
{
    private bool _active;

    internal NoCollectionScope(bool active) => _active = active;

    /// <summary>Ends the scope (once).</summary>
    public void Dispose()
    {
        if (_active)
        {
            _active = false;
            GarbageCollector.EndNoCollection();
        }
    }
}
