// Every CPU the kernel runs on: a CpuBlock each (GS base points at it), their stacks, and the C# entry an application
// processor reaches from the start-up code. Starting one (INIT-SIPI-SIPI, timeouts) is the SMP chapter's job
// (kernel/Smp); this file owns the memory and the landing: own GDT and TSS, the shared IDT, GS base, and then the
// CPU sleeps until work is posted to it (Post: one action at a time, woken by an IPI). Running tasks comes later.
using System;
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Cpus;

/// <summary>The CPUs, their per-CPU blocks and the application processors' entry.</summary>
public static unsafe class Processors
{
    private const uint Ia32GsBase = 0xC0000101;
    private const int KernelStack = 0;
    private const int DoubleFaultStack = 1;
    private const int NmiStack = 2;
    private const int MachineCheckStack = 3;

    private static ulong[] s_blocks;
    private static int s_count;
    private static Action<int> s_onOnline;
    private static Action<int> s_wake;
    private static Action s_idleTurn;
    // Per CPU: the work posted to it (managed, so the delegates are reachable for the collector) and how much it did.
    private static Action[] s_work;
    private static long[] s_workDone;
    private static Action s_signalStop;
    private static volatile int s_stopRequested;
    private static int s_stopped;
    private static volatile int s_stopOwner = -1;
    private static int s_shootdownBusy;
    private static int s_shootdownPending;
    private static volatile int s_shootdownOwner = -1;
    private static ulong s_shootdownAddress;
    private static ulong s_answerTimeoutCycles = ulong.MaxValue / 2;

    /// <summary>CPUs known (the boot CPU and every one added, started or not).</summary>
    public static int Count => s_count;

    /// <summary>The running CPU's index (0 before the boot CPU's block exists).</summary>
    public static int CurrentIndex => Cpu.CurrentIndex;

    /// <summary>
    /// Creates the boot CPU's block (index 0, its existing GDT, TSS and stacks) and points GS at it. maxCpus bounds
    /// how many Add may create.
    /// </summary>
    /// <remarks>Safety: once, on the boot CPU, after paging and the frame allocator are up.</remarks>
    public static void InitializeBootCpu(uint apicId, int maxCpus)
    {
        if (maxCpus < 1 || maxCpus > AddressSpaceLayout.MaxCpus)
            maxCpus = AddressSpaceLayout.MaxCpus;
        s_blocks = new ulong[maxCpus];
        s_work = new Action[maxCpus];
        s_workDone = new long[maxCpus];
        CpuBlock* block = NewBlock(0, apicId);
        block->StackTop = KernelAddressSpace.KernelStackTop;
        block->State = (int)CpuState.Online;
        block->ReportedApicId = CpuFeatures.InitialApicId();
        Native.WriteMsr(Ia32GsBase, (ulong)block);
        s_count = 1;
        Cpu.UsePerCpuBlocks();
    }

    /// <summary>Runs on each application processor once it has its tables, before it reports online (e.g. to enable its local APIC).</summary>
    /// <remarks>The action must not allocate: the CPU is not online yet, so a collection would not stop it.</remarks>
    public static void SetOnlineAction(Action<int> onOnline) => s_onOnline = onOnline;

    /// <summary>Adds a CPU to start later: its block and four stacks (kernel, double fault, NMI, machine check, each above a guard page). Returns its index, or -1 when the table is full.</summary>
    /// <remarks>Safety: on the boot CPU, after InitializeBootCpu.</remarks>
    public static int Add(uint apicId)
    {
        if (s_blocks == null || s_count >= s_blocks.Length)
            return -1;
        int index = s_count;
        CpuBlock* block = NewBlock(index, apicId);
        block->StackTop = KernelAddressSpace.MapStack(AddressSpaceLayout.StackSlot(index, KernelStack), AddressSpaceLayout.KernelStackBytes);
        block->DoubleFaultStackTop = KernelAddressSpace.MapStack(AddressSpaceLayout.StackSlot(index, DoubleFaultStack), AddressSpaceLayout.InterruptStackBytes);
        block->NmiStackTop = KernelAddressSpace.MapStack(AddressSpaceLayout.StackSlot(index, NmiStack), AddressSpaceLayout.InterruptStackBytes);
        block->MachineCheckStackTop = KernelAddressSpace.MapStack(AddressSpaceLayout.StackSlot(index, MachineCheckStack), AddressSpaceLayout.InterruptStackBytes);
        s_count++;
        return index;
    }

    /// <summary>Points the start-up code at CPU index's block and marks it Starting, with the TSC of this moment.</summary>
    /// <remarks>Safety: ApTrampoline installed; no other CPU between its STARTUP IPI and its entry.</remarks>
    public static void PrepareStart(int index)
    {
        CpuBlock* block = Block(index);
        block->StartSentTsc = Native.ReadTimeStampCounter();
        block->State = (int)CpuState.Starting;
        ApTrampoline.SetEntry(block->ApicId, block->StackTop, &Enter, (ulong)block);
    }

    /// <summary>Records that CPU index did not come up in time (if it still has not).</summary>
    public static void MarkNoAnswer(int index)
    {
        CpuBlock* block = Block(index);
        if (block->State == (int)CpuState.Starting)
            block->State = (int)CpuState.NoAnswer;
    }

    /// <summary>CPU index's state.</summary>
    public static CpuState StateOf(int index) => (CpuState)Block(index)->State;

    /// <summary>The APIC ID CPU index was listed with.</summary>
    public static uint ApicIdOf(int index) => Block(index)->ApicId;

    /// <summary>The initial APIC ID CPU index reported from CPUID once it ran (0 before).</summary>
    public static uint ReportedApicIdOf(int index) => Block(index)->ReportedApicId;

    /// <summary>TSC cycles from sending INIT to CPU index until it reached the kernel (0 if it has not).</summary>
    public static ulong StartCyclesOf(int index)
    {
        CpuBlock* block = Block(index);
        return block->OnlineTsc == 0 || index == 0 ? 0 : block->OnlineTsc - block->StartSentTsc;
    }

    private static CpuBlock* Block(int index)
    {
        if ((uint)index >= (uint)s_count)
            Panic.Halt("cpus: no CPU " + index.ToString() + " (" + s_count.ToString() + " known)");
        return (CpuBlock*)s_blocks[index];
    }

    private static CpuBlock* NewBlock(int index, uint apicId)
    {
        if (KernelAddressSpace.Frames.TryAllocate(out ulong frame) != FrameError.None)
            Panic.Halt("cpus: no memory for CPU " + index.ToString() + "'s block");
        var block = (CpuBlock*)AddressSpaceLayout.PhysicalToVirtual(frame);
        System.Buffer.ZeroMemory((byte*)block, (nuint)sizeof(CpuBlock));
        block->Self = (ulong)block;
        block->Index = index;
        block->ApicId = apicId;
        s_blocks[index] = (ulong)block;
        return block;
    }

    // Where the start-up code lands, on the CPU's own kernel stack, interrupts off, GS base already at its block (the
    // start-up code wrote it). The IDT first, so an exception from here on is reported instead of resetting the CPU.
    [UnmanagedCallersOnly]
    private static void Enter(ulong blockAddress)
    {
        var block = (CpuBlock*)blockAddress;
        Idt.LoadOnThisCpu();
        Gdt.InstallAt(block->Gdt);
        // Reloading the segment registers cleared GS's base.
        Native.WriteMsr(Ia32GsBase, blockAddress);
        Tss.InstallAt((ulong)block->Tss, block->Gdt, block->DoubleFaultStackTop, block->NmiStackTop, block->MachineCheckStackTop);
        block->ReportedApicId = CpuFeatures.InitialApicId();
        s_onOnline?.Invoke(block->Index);
        block->OnlineTsc = Native.ReadTimeStampCounter();
        block->State = (int)CpuState.Online;
        RunWork(block->Index);
    }

    /// <summary>
    /// Has CPU index run work once, as soon as it is idle, and returns false if it already has work waiting (or is
    /// not online). work runs with interrupts on and may allocate (a collection stops this CPU like any other).
    /// </summary>
    public static bool Post(int index, Action work)
    {
        if (index <= 0 || index >= s_count || StateOf(index) != CpuState.Online || s_work[index] != null)
            return false;
        s_work[index] = work;
        s_wake?.Invoke(index);
        return true;
    }

    /// <summary>
    /// Stops every other online CPU where it is (stop-the-world, for the garbage collector): an NMI to each (it gets
    /// through where interrupts are off, e.g. a CPU spinning on a lock this one holds), whose handler saves the
    /// interrupted frame in its block and spins until ResumeOthers. Returns false, with the others resumed, when
    /// one did not stop within AnswerTimeoutMs. Nothing else may stop or resume meanwhile.
    /// </summary>
    /// <remarks>Safety: interrupts off on this CPU; never while holding a lock another CPU's NMI path takes (none does).</remarks>
    public static bool StopOthers()
    {
        int others = OnlineOthers();
        if (others == 0 || s_signalStop == null)
            return true;
        s_stopOwner = Cpu.CurrentIndex;
        s_stopped = 0;
        s_stopRequested = 1;
        s_signalStop();
        ulong deadline = Native.ReadTimeStampCounter() + s_answerTimeoutCycles;
        while (Atomic.Read(ref s_stopped) < others)
        {
            if (Native.ReadTimeStampCounter() > deadline)
            {
                ResumeOthers();
                return false;
            }
            Cpu.Pause();
        }
        return true;
    }

    /// <summary>Lets the CPUs StopOthers stopped go on, and waits until each has left its handler.</summary>
    public static void ResumeOthers()
    {
        s_stopRequested = 0;
        while (Atomic.Read(ref s_stopped) > 0)
            Cpu.Pause();
        s_stopOwner = -1;
    }

    /// <summary>
    /// From the NMI handler: when a stop is requested (and this is not the stopping CPU), records frame, counts this
    /// CPU stopped, spins until resumed and returns true; else false (a platform NMI, or a panic's).
    /// </summary>
    /// <remarks>Safety: frame is the live NMI frame; no lock, no allocation.</remarks>
    public static bool ParkIfStopping(ref InterruptFrame frame)
    {
        if (s_stopRequested == 0 || s_count == 0 || Cpu.CurrentIndex == s_stopOwner)
            return false;
        CpuBlock* block = Block(Cpu.CurrentIndex);
        fixed (InterruptFrame* saved = &frame)
            block->StoppedFrame = (ulong)saved;
        Atomic.FetchAdd(ref s_stopped, 1);
        while (s_stopRequested != 0)
            Cpu.Pause();
        block->StoppedFrame = 0;
        Atomic.FetchAdd(ref s_stopped, -1);
        return true;
    }

    /// <summary>
    /// Drops the page at virtualAddress from every other online CPU's TLB and waits until each has (a TLB shootdown).
    /// The request goes by NMI, so a CPU spinning with interrupts off - perhaps on a lock this one holds - still
    /// answers; shootdowns from several CPUs take turns. Panics when a CPU does not answer within StopTimeoutMs.
    /// </summary>
    /// <remarks>Safety: not from an NMI handler, and not while the world is stopped.</remarks>
    public static void ShootDown(ulong virtualAddress)
    {
        int others = OnlineOthers();
        if (others == 0 || s_signalStop == null)
            return;
        while (Atomic.CompareExchange(ref s_shootdownBusy, 1, 0) != 0)
            Cpu.Pause();
        s_shootdownAddress = virtualAddress;
        s_shootdownOwner = Cpu.CurrentIndex;
        s_shootdownPending = others;
        s_signalStop();
        ulong deadline = Native.ReadTimeStampCounter() + s_answerTimeoutCycles;
        while (Atomic.Read(ref s_shootdownPending) > 0)
        {
            if (Native.ReadTimeStampCounter() > deadline)
                Panic.Halt("cpus: " + s_shootdownPending.ToString() + " CPU(s) did not drop page 0x" + virtualAddress.ToString("x")
                    + " from their TLB within " + AnswerTimeoutMs.ToString() + " ms (shootdown unanswered)");
            Cpu.Pause();
        }
        ShootDowns++;
        s_shootdownOwner = -1;
        s_shootdownBusy = 0;
    }

    /// <summary>TLB shootdowns this kernel has sent.</summary>
    public static ulong ShootDowns { get; private set; }

    /// <summary>How long another CPU may take to answer a stop or a shootdown (0 before SetAnswerTimeout: no limit).</summary>
    public static ulong AnswerTimeoutMs { get; private set; }

    /// <summary>Sets how long another CPU may take to answer a stop or a shootdown, with the TSC rate to measure it.</summary>
    public static void SetAnswerTimeout(ulong milliseconds, ulong tscHz)
    {
        AnswerTimeoutMs = milliseconds;
        s_answerTimeoutCycles = milliseconds * tscHz / 1000;
    }

    /// <summary>From the NMI handler: answers a pending shootdown (drops the page) and says whether there was one.</summary>
    /// <remarks>Safety: only from the NMI handler; no lock, no allocation.</remarks>
    public static bool AnswerShootDown()
    {
        if (s_shootdownPending == 0 || s_shootdownOwner == Cpu.CurrentIndex || s_shootdownOwner < 0)
            return false;
        Cpu.InvalidatePage(s_shootdownAddress);
        Atomic.FetchAdd(ref s_shootdownPending, -1);
        return true;
    }

    private static int OnlineOthers()
    {
        int others = 0;
        for (int i = 0; i < s_count; i++)
        {
            if (i != Cpu.CurrentIndex && StateOf(i) == CpuState.Online)
                others++;
        }
        return others;
    }

    /// <summary>Whether CPU index is stopped for the world now, with its interrupted registers and stack pointer.</summary>
    public static bool TryGetStoppedFrame(int index, out InterruptFrame frame)
    {
        frame = default;
        ulong saved = Block(index)->StoppedFrame;
        if (saved == 0)
            return false;
        frame = *(InterruptFrame*)saved;
        return true;
    }

    /// <summary>Top of CPU index's kernel stack.</summary>
    public static ulong StackTopOf(int index) => Block(index)->StackTop;

    /// <summary>Top of the running CPU's kernel stack (the boot CPU's before the blocks exist).</summary>
    public static ulong CurrentStackTop => s_count == 0 ? KernelAddressSpace.KernelStackTop : Block(Cpu.CurrentIndex)->StackTop;

    /// <summary>Sets how StopOthers reaches the other CPUs (an NMI to all but this one; the SMP chapter knows the local APIC).</summary>
    public static void SetStopSignal(Action signal) => s_signalStop = signal;

    /// <summary>How many posted work items CPU index has finished.</summary>
    public static long WorkDoneBy(int index) => s_workDone[index];

    /// <summary>What an application processor does when no work is posted: one turn of its executor (which halts when idle).</summary>
    public static void SetIdleLoop(Action turn)
    {
        s_idleTurn = turn;
        // CPUs that already sleep would only see it at their next wake-up.
        for (int i = 1; i < s_count; i++)
        {
            if (StateOf(i) == CpuState.Online)
                s_wake?.Invoke(i);
        }
    }

    /// <summary>Sets how to wake a halted CPU (an IPI to its APIC ID; the SMP chapter knows the local APIC).</summary>
    public static void SetWake(Action<int> wake) => s_wake = wake;

    // An application processor's life after start-up: run what was posted, else sleep with interrupts on until an
    // IPI (sti; hlt as one step, so a post between the check and the halt still wakes it).
    private static void RunWork(int index)
    {
        while (true)
        {
            Cpu.DisableInterrupts();
            Action work = s_work[index];
            if (work == null)
            {
                Action turn = s_idleTurn;
                if (turn == null)
                    Cpu.EnableInterruptsAndHalt();
                else
                    turn();
                continue;
            }
            Cpu.EnableInterrupts();
            work();
            s_work[index] = null;
            Atomic.FetchAdd(ref s_workDone[index], 1);
        }
    }
}
