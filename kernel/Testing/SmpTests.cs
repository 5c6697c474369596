#if KERNEL_TESTS
// In-kernel tests of starting the other CPUs (kernel/Smp, kernel/Platform/Cpus). The boot tests run smp.start.* with
// 1 to 8 CPUs and smp.work.* (posted work, the lock torture) with up to four; with one CPU they hold trivially.
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Cpus;
using Kernel.Diagnostics;
using Kernel.Gc;
using Kernel.Interrupts;
using Kernel.Memory;
using Kernel.Smp;
using Kernel.Tasks;

namespace Kernel.Testing;

public static class SmpTests
{
    /// <summary>The boot CPU reads its own block through GS: index 0, online, the APIC ID it was listed with.</summary>
    public static void BootCpuFindsItsBlockThroughGs()
    {
        Expect.True(Processors.Count >= 1, "the boot CPU is registered");
        Expect.Equal(0L, Processors.CurrentIndex, "the boot CPU's index read through GS");
        Expect.True(Processors.StateOf(0) == CpuState.Online, "the boot CPU is online");
        Expect.Equal((ulong)(Processors.ApicIdOf(0) & 0xFF), (ulong)Processors.ReportedApicIdOf(0), "CPUID's APIC ID matches the boot CPU's");
    }

    /// <summary>Every CPU the plan started is online, is the CPU it was meant to be, and took a measured time.</summary>
    public static void PlannedCpusAreOnlineAndAreWhoTheMadtSays()
    {
        CpuStartPlan plan = Multiprocessor.Plan;
        Expect.True(plan != null, "a plan was made at boot");
        Expect.Equal(plan.RunningCount, Processors.Count, "one block per CPU the plan runs");
        for (int i = 1; i < Processors.Count; i++)
        {
            Expect.True(Processors.StateOf(i) == CpuState.Online, "CPU " + i.ToString() + " online");
            Expect.Equal((ulong)(Processors.ApicIdOf(i) & 0xFF), (ulong)Processors.ReportedApicIdOf(i),
                "CPU " + i.ToString() + " reported the APIC ID it was started as");
            Expect.True(Processors.StartCyclesOf(i) > 0, "CPU " + i.ToString() + "'s start was timed");
            Terminal.WriteLine("  cpu " + i.ToString() + ": APIC ID " + Processors.ApicIdOf(i).ToString() + ", online after "
                + (Processors.StartCyclesOf(i) / 1000).ToString() + "k cycles");
        }
    }

    /// <summary>Every other CPU's local APIC timer ticks at the boot CPU's rate (APIC mode; in PIC mode they have none).</summary>
    public static void EveryCpuHasItsOwnTimer()
    {
        if (!InterruptControllers.UsingApic || Processors.Count < 2)
        {
            Terminal.WriteLine("  (no other CPU, or PIC mode: no local APIC timers to check)");
            return;
        }
        ulong[] before = new ulong[Processors.Count];
        for (int i = 1; i < Processors.Count; i++)
            before[i] = SystemTimer.TicksOn(i);
        ulong bootBefore = SystemTimer.Ticks;
        SystemTimer.WaitTicks(10);
        ulong bootTicks = SystemTimer.Ticks - bootBefore;
        for (int i = 1; i < Processors.Count; i++)
        {
            ulong ticks = SystemTimer.TicksOn(i) - before[i];
            Expect.True(ticks >= bootTicks / 2 && ticks <= bootTicks * 2 + 2,
                "CPU " + i.ToString() + " took " + ticks.ToString() + " ticks while the boot CPU took " + bootTicks.ToString());
        }
    }

    private const int TortureRounds = 10_000;
    // Upper bounds only (a hang fails instead of stalling the boot): a loaded host running 4 vCPUs on 2 cores is slow.
    private const ulong WaitMs = 60_000;

    private static readonly InterruptSafeLock s_tortureLock = new InterruptSafeLock("torture lock");
    private static long s_shared;
    private static int[] s_ranOn;

    /// <summary>Work posted to each other CPU runs there (it reads its own index through GS) and only there.</summary>
    public static void PostedWorkRunsOnItsCpu()
    {
        s_ranOn = new int[Processors.Count];
        Action record = RecordWhereItRan;
        for (int i = 1; i < Processors.Count; i++)
        {
            s_ranOn[i] = -1;
            long before = Processors.WorkDoneBy(i);
            Expect.True(Processors.Post(i, record), "work posted to CPU " + i.ToString());
            Expect.True(WaitUntilDone(i, before), "CPU " + i.ToString() + " finished its work");
            Expect.Equal(i, s_ranOn[i], "the work ran on CPU " + i.ToString());
        }
        Expect.True(!Processors.Post(0, record), "nothing is posted to the boot CPU");
    }

    /// <summary>Every CPU adds one TortureRounds times under one lock with a plain read-modify-write: the total is exact.</summary>
    public static void LockKeepsCountsExactUnderContention()
    {
        s_shared = 0;
        ulong contendedBefore = s_tortureLock.Contended;
        RunOnEveryCpu(Hammer);
        Expect.Equal((long)TortureRounds * Processors.Count, s_shared, "the counter after every CPU's rounds");
        Terminal.WriteLine("  " + Processors.Count.ToString() + " CPUs x " + TortureRounds.ToString() + " rounds: "
            + s_shared.ToString() + ", the lock was contended " + (s_tortureLock.Contended - contendedBefore).ToString() + " times");
    }

    private const int ChurnRounds = 60;
    private const int ChurnNodes = 40;
    private static int s_churnBroken;

    /// <summary>
    /// Every CPU builds and checks linked lists of arrays while collections run - started by the boot CPU, by the
    /// budget on any CPU - and stop the others with an NMI: every list stays intact, and other CPUs' stacks were
    /// scanned while they were stopped.
    /// </summary>
    public static void AllocationOnEveryCpuSurvivesCollections()
    {
        if (!GarbageCollector.Enabled)
        {
            Terminal.WriteLine("  (gc=off: nothing to check)");
            return;
        }
        s_churnBroken = 0;
        ulong collections = GarbageCollector.Collections;
        ulong scans = GarbageCollector.StoppedCpuScans;
        RunOnEveryCpu(Churn);
        Expect.Equal(0L, s_churnBroken, "lists found broken");
        Expect.True(GarbageCollector.Collections > collections, "collections ran");
        if (Processors.Count > 1)
            Expect.True(GarbageCollector.StoppedCpuScans > scans, "other CPUs were stopped and scanned");
        Terminal.WriteLine("  " + Processors.Count.ToString() + " CPUs churned, " + (GarbageCollector.Collections - collections).ToString()
            + " collections, " + (GarbageCollector.StoppedCpuScans - scans).ToString() + " stopped-CPU stack scans");
    }

    private static void Churn()
    {
        int cpu = Cpu.CurrentIndex;
        for (int round = 0; round < ChurnRounds; round++)
        {
            ChurnNode head = null;
            for (int i = 0; i < ChurnNodes; i++)
                head = new ChurnNode { Next = head, Payload = new int[] { cpu, round, i } };
            if (cpu == 0 && round % 10 == 0)
                GarbageCollector.Collect();
            int expected = ChurnNodes - 1;
            for (ChurnNode node = head; node != null; node = node.Next, expected--)
            {
                if (node.Payload.Length != 3 || node.Payload[0] != cpu || node.Payload[1] != round || node.Payload[2] != expected)
                {
                    Atomic.FetchAdd(ref s_churnBroken, 1);
                    break;
                }
            }
            if (expected != -1)
                Atomic.FetchAdd(ref s_churnBroken, 1);
        }
    }

    private sealed class ChurnNode
    {
        public ChurnNode Next;
        public int[] Payload;
    }

    private const int StealTasks = 64;
    private const int StealSteps = 6;
    private static int[] s_stepRunning;
    private static int[] s_stepsOnCpu;
    private static int s_concurrentSteps;

    /// <summary>
    /// 64 tasks made on the boot CPU, each yielding between short bursts of work: they all finish, other CPUs steal
    /// and run some of them, and no task ever runs two steps at once (a per-task flag set for each step).
    /// </summary>
    public static void TasksMadeOnOneCpuAreStolenByTheOthers()
    {
        s_stepRunning = new int[StealTasks];
        s_stepsOnCpu = new int[Processors.Count];
        s_concurrentSteps = 0;
        ulong[] stolenBefore = new ulong[Processors.Count];
        for (int cpu = 0; cpu < Processors.Count; cpu++)
            stolenBefore[cpu] = Executor.StolenBy(cpu);
        var tasks = new KernelTask[StealTasks];
        for (int i = 0; i < StealTasks; i++)
            tasks[i] = BurstsAsync(i);
        ulong end = Cpu.ReadTimeStampCounter() + WaitMs * SystemTimer.TscHz / 1000;
        while (!AllCompleted(tasks) && Cpu.ReadTimeStampCounter() < end)
        {
            if (!Executor.RunOnce(haltWhenIdle: false))
                Cpu.Pause();
        }
        Expect.True(AllCompleted(tasks), "every task finished");
        Expect.Equal(0L, s_concurrentSteps, "steps that found their task already running");
        string counts = "";
        for (int cpu = 0; cpu < Processors.Count; cpu++)
        {
            counts += (cpu == 0 ? "" : ", ") + "cpu " + cpu.ToString() + ": " + s_stepsOnCpu[cpu].ToString()
                + " steps (" + (Executor.StolenBy(cpu) - stolenBefore[cpu]).ToString() + " stolen)";
            Expect.True(s_stepsOnCpu[cpu] > 0, "CPU " + cpu.ToString() + " ran some of the steps");
        }
        Terminal.WriteLine("  " + counts);
    }

    private static async KernelTask BurstsAsync(int index)
    {
        for (int step = 0; step < StealSteps; step++)
        {
            if (Atomic.Exchange(ref s_stepRunning[index], 1) != 0)
                Atomic.FetchAdd(ref s_concurrentSteps, 1);
            Atomic.FetchAdd(ref s_stepsOnCpu[Cpu.CurrentIndex], 1);
            ulong spin = Cpu.ReadTimeStampCounter() + SystemTimer.TscHz / 2000;
            while (Cpu.ReadTimeStampCounter() < spin)
                Cpu.Pause();
            Atomic.Exchange(ref s_stepRunning[index], 0);
            await Executor.Yield();
        }
    }

    private static bool AllCompleted(KernelTask[] tasks)
    {
        for (int i = 0; i < tasks.Length; i++)
        {
            if (!tasks[i].IsCompleted)
                return false;
        }
        return true;
    }

    private static KernelTask s_remote;
    private static int s_remoteRanOn = -1;

    /// <summary>
    /// A task made on the last CPU (posted work), pinned there, sleeps on a timer: the boot CPU's timer interrupt wakes
    /// it, the wake goes to its home queue with an IPI, and it finishes there.
    /// </summary>
    public static void ATaskWokenByAnotherCpusInterruptRunsAtHome()
    {
        int last = Processors.Count - 1;
        if (last == 0)
        {
            Terminal.WriteLine("  (one CPU: nothing to wake across)");
            return;
        }
        s_remote = null;
        s_remoteRanOn = -1;
        long before = Processors.WorkDoneBy(last);
        Expect.True(Processors.Post(last, SpawnRemote), "work posted to CPU " + last.ToString());
        Expect.True(WaitUntilDone(last, before), "CPU " + last.ToString() + " made the task");
        ulong end = Cpu.ReadTimeStampCounter() + WaitMs * SystemTimer.TscHz / 1000;
        while (!s_remote.IsCompleted && Cpu.ReadTimeStampCounter() < end)
            Cpu.Pause();
        Expect.True(s_remote.IsCompleted, "the task finished");
        Expect.Equal(last, s_remote.HomeCpu, "its home is the CPU that made it");
        Expect.Equal(last, s_remoteRanOn, "it ran there after the boot CPU's timer woke it");
    }

    // Pinned, as the test says: an unpinned task woken on its home queue may be taken by any idle CPU first.
    private static void SpawnRemote() => s_remote = Executor.Spawn("remote", RemoteAsync(), pinned: true);

    private static async KernelTask RemoteAsync()
    {
        await Timers.Delay(30);
        s_remoteRanOn = Cpu.CurrentIndex;
    }

    // Not the memory group's scratch page: its own, so the two tests never meet.
    private const ulong ShootDownPage = AddressSpaceLayout.TestScratchPage + 0x20_0000;
    private const ulong FirstTag = 0x5107_0000_0000_00A1;
    private const ulong SecondTag = 0x5107_0000_0000_00B2;
    private static ulong[] s_seen;

    /// <summary>
    /// Every other CPU reads a page (so its TLB holds the translation); the boot CPU unmaps it and maps the same
    /// address to another frame: every CPU then reads the new frame, because the unmap dropped the page from every TLB.
    /// </summary>
    public static unsafe void UnmappedPageLeavesEveryTlb()
    {
        if (Processors.Count < 2)
        {
            Terminal.WriteLine("  (one CPU: no other TLB)");
            return;
        }
        Expect.True(KernelAddressSpace.Frames.TryAllocate(out ulong first) == FrameError.None, "a frame");
        Expect.True(KernelAddressSpace.Frames.TryAllocate(out ulong second) == FrameError.None, "another frame");
        *(ulong*)AddressSpaceLayout.PhysicalToVirtual(first) = FirstTag;
        *(ulong*)AddressSpaceLayout.PhysicalToVirtual(second) = SecondTag;
        s_seen = new ulong[Processors.Count];
        ulong shootDowns = Processors.ShootDowns;
        Expect.True(KernelAddressSpace.Mapper.Map(ShootDownPage, first, PageFlags.None | KernelAddressSpace.NoExecute) == MapResult.Ok, "mapped");
        ReadOnEveryOtherCpu();
        for (int i = 1; i < Processors.Count; i++)
            Expect.Equal(FirstTag, s_seen[i], "CPU " + i.ToString() + " read the first frame");
        Expect.True(KernelAddressSpace.Mapper.Unmap(ShootDownPage, out _, out _) == MapResult.Ok, "unmapped");
        Expect.True(KernelAddressSpace.Mapper.Map(ShootDownPage, second, PageFlags.None | KernelAddressSpace.NoExecute) == MapResult.Ok, "mapped again");
        ReadOnEveryOtherCpu();
        for (int i = 1; i < Processors.Count; i++)
            Expect.Equal(SecondTag, s_seen[i], "CPU " + i.ToString() + " read the second frame, not a stale translation");
        Expect.True(Processors.ShootDowns > shootDowns, "a shootdown was sent");
        KernelAddressSpace.Mapper.Unmap(ShootDownPage, out _, out _);
        KernelAddressSpace.Frames.Free(first);
        KernelAddressSpace.Frames.Free(second);
    }

    private static void ReadOnEveryOtherCpu()
    {
        Action read = ReadShootDownPage;
        for (int i = 1; i < Processors.Count; i++)
        {
            s_seen[i] = 0;
            long before = Processors.WorkDoneBy(i);
            Expect.True(Processors.Post(i, read), "work posted to CPU " + i.ToString());
            Expect.True(WaitUntilDone(i, before), "CPU " + i.ToString() + " read the page");
        }
    }

    private static unsafe void ReadShootDownPage() => s_seen[Cpu.CurrentIndex] = *(ulong*)ShootDownPage;

    /// <summary>Should panic: the panic happens on CPU 1 while the boot CPU waits (on the boot CPU when it is alone).</summary>
    public static void PanicOnAnotherCpu()
    {
        if (Processors.Count < 2)
            Panic.Halt("test panic on another CPU");
        Processors.Post(1, PanicHere);
        ulong end = Cpu.ReadTimeStampCounter() + WaitMs * SystemTimer.TscHz / 1000;
        while (Cpu.ReadTimeStampCounter() < end)
            Cpu.Pause();
        Panic.Halt("the boot CPU was not stopped by CPU 1's panic");
    }

    private static void PanicHere() => Panic.Halt("test panic on another CPU");

    private static void RecordWhereItRan() => s_ranOn[Cpu.CurrentIndex] = Cpu.CurrentIndex;

    private static void Hammer()
    {
        for (int round = 0; round < TortureRounds; round++)
        {
            using (s_tortureLock.Acquire())
                s_shared = s_shared + 1;
        }
    }

    /// <summary>
    /// Runs work on every CPU at once: posted to each other CPU, then run here, then waited for; a CPU that could
    /// not be posted to or did not finish within WaitMs fails the test by name.
    /// </summary>
    internal static void RunOnEveryCpu(Action work)
    {
        long[] before = new long[Processors.Count];
        for (int i = 1; i < Processors.Count; i++)
        {
            before[i] = Processors.WorkDoneBy(i);
            Expect.True(Processors.Post(i, work), "work posted to CPU " + i.ToString());
        }
        work();
        for (int i = 1; i < Processors.Count; i++)
            Expect.True(WaitUntilDone(i, before[i]), "CPU " + i.ToString() + " finished its rounds");
    }

    private static bool WaitUntilDone(int index, long before)
    {
        ulong end = Cpu.ReadTimeStampCounter() + WaitMs * SystemTimer.TscHz / 1000;
        while (Processors.WorkDoneBy(index) == before)
        {
            if (Cpu.ReadTimeStampCounter() > end)
                return false;
            Cpu.Pause();
        }
        return true;
    }
}
#endif
