#if KERNEL_TESTS
// In-kernel tests of async/await on the kernel's executor, and its benchmarks (await round trip, wake latency).
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Diagnostics;
using Kernel.Gc;
using Kernel.Heap;
using Kernel.Interrupts;
using Kernel.Tasks;
namespace Kernel.Testing;

public static class TaskTests
{
    private const int Rounds = 10_000;

    private static int s_steps;
    private static ulong s_pingPongs;

    public static void YieldingTaskRunsToCompletion()
    {
        s_steps = 0;
        // Pinned to this CPU (busy running this test) and held at a gate until then: with several CPUs an unpinned
        // yielder, queued by its first Yield, could be taken and finished by another CPU before the first check.
        KernelTask task = Executor.Spawn("yielder", YieldThreeTimesAfterAWake(), pinned: true);
        Expect.True(!task.IsCompleted, "suspended at its first await");
        task.Wake();
        Executor.RunUntilIdle();
        Expect.True(task.IsCompleted, "completed after the executor ran it");
        Expect.Equal(4, s_steps, "ran every step");
        Expect.Equal(4UL, task.PollCount, "polled once for the wake and once per yield");
    }

    public static void ResultsPropagateToTheAwaiter()
    {
        KernelTask<int> outer = Sum();
        Executor.RunUntilIdle();
        Expect.True(outer.IsCompleted, "outer task completed");
        Expect.Equal(42, outer.GetResult(), "result of awaited tasks");
    }

    public static void TaskWokenTwiceRunsOnce()
    {
        s_steps = 0;
        // Pinned to this CPU, which is busy running this test: with several CPUs an unpinned task could be taken and
        // run by another one between the two wakes, and a wake during a run rightly runs it again.
        KernelTask task = Executor.Spawn("woken twice", WaitForever(), pinned: true);
        ulong polls = task.PollCount;
        task.Wake();
        task.Wake();
        Executor.RunUntilIdle();
        Expect.Equal(polls + 1, task.PollCount, "two wakes, one run");
    }

    public static void DelayWaitsForTicks()
    {
        ulong start = SystemTimer.Ticks;
        KernelTask task = DelayFifty();
        while (!task.IsCompleted)
        {
            Executor.RunUntilIdle();
            if (!task.IsCompleted)
                Cpu.Halt();
        }
        ulong ticks = SystemTimer.Ticks - start;
        Expect.True(ticks >= 50 * SystemTimer.RateHz / 1000, "at least 50 ms of ticks passed: " + ticks.ToString());
        Expect.Equal(0, Timers.SleeperCount, "no sleeper left behind");
    }

    public static void AwaitsDoNotAllocate()
    {
        // Bytes in use are compared: no collection may free something else in between (gcstress).
        using NoCollectionScope noCollection = GarbageCollector.NoCollection();
        KernelTask task = PingPong(10);
        Executor.RunUntilIdle();
        ulong inUse = KernelHeap.Statistics.BytesInUse;
        ulong allocations = KernelHeap.Statistics.AllocationCount;
        task = PingPong(Rounds);
        Executor.RunUntilIdle();
        HeapStatistics after = KernelHeap.Statistics;
        // One task object per PingPong call and nothing per await.
        Expect.True(after.AllocationCount - allocations <= 2, "allocations for 10 000 awaits: " + (after.AllocationCount - allocations).ToString());
        Expect.True(task.IsCompleted, "ping-pong finished");
        Expect.True(after.BytesInUse - inUse < 256, "heap use stays flat");
    }

    // The uptime clock (what runs while the shell is idle) draws once a second without allocating.
    public static void IdleClockKeepsHeapFlat()
    {
        using NoCollectionScope noCollection = GarbageCollector.NoCollection();
        KernelTask clock = Executor.Spawn("clock-test", Shell.UptimeClock.RunAsync());
        ulong updatesBefore = Shell.UptimeClock.Updates;
        ulong inUse = KernelHeap.Statistics.BytesInUse;
        ulong deadline = SystemTimer.Ticks + 3 * SystemTimer.RateHz + SystemTimer.RateHz / 2;
        while (SystemTimer.Ticks < deadline)
        {
            Executor.RunUntilIdle();
            Cpu.Halt();
        }
        Expect.True(Shell.UptimeClock.Updates >= updatesBefore + 3, "the clock ran about once a second");
        Expect.Equal(inUse, KernelHeap.Statistics.BytesInUse, "bytes in use after 3 s of clock updates");
        Expect.True(!clock.IsCompleted, "the clock runs forever");
    }

    // Issue 13: a spawned task whose method throws ends faulted; the executor reports it once by name, through the
    // reporter Boot installed (a console line and a kernel log line), and the other tasks and the kernel go on.
    // Needs exception dispatch.
    public static void FaultedTaskIsReportedByName()
    {
        ulong reported = Executor.FaultsReported;
        s_steps = 0;
        KernelTask thrower = Executor.Spawn("thrower", ThrowAfterYield(new InvalidOperationException("thrown by a test task")));
        KernelTask other = YieldThreeTimes();
        Executor.RunUntilIdle();
        Expect.True(thrower.IsFaulted, "the throwing task is faulted");
        Expect.Equal("InvalidOperationException: thrown by a test task", ExceptionSummary.OneLine(thrower.Exception), "its exception");
        Expect.Equal(reported + 1, Executor.FaultsReported, "reported once");
        string last = KernelLog.Format(KernelLog.Ring.NextLine - 1);
        Expect.True(last != null && last.EndsWith("] task 'thrower' faulted: InvalidOperationException: thrown by a test task"),
            "the kernel log's last line names the task: " + last);
        Expect.True(other.IsCompleted && !other.IsFaulted, "a task running alongside completed");
        Expect.Equal(4, s_steps, "and ran every step");
    }

    // Issue 13: awaiting a faulted task throws the same exception object in the awaiter, through two levels of
    // await, and a try/catch around the await handles it there. Needs exception dispatch.
    public static void AwaitRethrowsTheSameException()
    {
        var thrown = new FormatException("from the innermost task");
        KernelTask<int> outer = CatchAcrossTwoLevels(thrown);
        Executor.RunUntilIdle();
        Expect.True(outer.IsCompleted && !outer.IsFaulted, "the catching task completed normally");
        Expect.Equal(1, outer.GetResult(), "it caught the same exception object");
        // As .NET's await: the trace still starts where the innermost task threw, then goes on through the awaits.
        string trace = thrown.StackTrace ?? "";
        int origin = trace.IndexOf("ThrowAfterYieldWithResult");
        Expect.True(origin >= 0, "the trace keeps the original throw site:\n" + trace);
        Expect.True(trace.IndexOf("CatchAcrossTwoLevels") > origin, "and then names the catching method:\n" + trace);
    }

    // Cycles per await round trip: a yield that goes through the ready queue and back.
    public static void MeasureAwaitRoundTrip()
    {
        var samples = new ulong[Rounds];
        KernelTask task = TimedYields(samples);
        Executor.RunUntilIdle();
        Terminal.WriteLine("bench: await round trip cycles " + BenchmarkRunner.MedianAndP99(samples));
    }

    // Cycles from the timer interrupt waking a sleeper to that task running again.
    public static void MeasureInterruptWake()
    {
        var samples = new ulong[WakeSamples];
        KernelTask task = TimedWakes(samples);
        while (!task.IsCompleted)
        {
            Executor.RunUntilIdle();
            if (!task.IsCompleted)
                Cpu.Halt();
        }
        Terminal.WriteLine("bench: interrupt wake cycles " + BenchmarkRunner.MedianAndP99(samples));
    }

    private const int WakeSamples = 50;

    private static async KernelTask TimedWakes(ulong[] samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            await Timers.Delay(10);
            samples[i] = Cpu.ReadTimeStampCounter() - Timers.LastWakeTsc;
        }
    }

    private static async KernelTask ThrowAfterYield(Exception exception)
    {
        await Executor.Yield();
        throw exception;
    }

    private static async KernelTask<int> ThrowAfterYieldWithResult(Exception exception)
    {
        await Executor.Yield();
        throw exception;
    }

    private static async KernelTask<int> AddOne(KernelTask<int> task) => await task + 1;

    private static async KernelTask<int> CatchAcrossTwoLevels(Exception thrown)
    {
        try
        {
            return await AddOne(AddOne(ThrowAfterYieldWithResult(thrown)));
        }
        catch (FormatException caught)
        {
            return ReferenceEquals(caught, thrown) ? 1 : 2;
        }
    }

    private static async KernelTask YieldThreeTimes()
    {
        s_steps++;
        for (int i = 0; i < 3; i++)
        {
            await Executor.Yield();
            s_steps++;
        }
    }

    private static async KernelTask YieldThreeTimesAfterAWake()
    {
        await s_closedGate;
        s_steps++;
        for (int i = 0; i < 3; i++)
        {
            await Executor.Yield();
            s_steps++;
        }
    }

    private static async KernelTask<int> Sum()
    {
        int a = await Half(20);
        int b = await Half(22);
        return a + b;
    }

    private static async KernelTask<int> Half(int value)
    {
        await Executor.Yield();
        return value;
    }

    // Waits on a gate nobody opens: only explicit wakes run it.
    private static async KernelTask WaitForever()
    {
        while (true)
            await s_closedGate;
    }

    private static readonly ClosedGate s_closedGate = new ClosedGate();

    private sealed class ClosedGate : KernelAwaiter
    {
        public override bool IsCompleted => false;

        // Explicit wakes are the point of the test that uses this gate.
        public override bool ResumesOnlyWhenCompleted => false;

        public override void Register(KernelTask waiter)
        {
        }

        public void GetResult()
        {
        }

        public ClosedGate GetAwaiter() => this;
    }

    private static async KernelTask DelayFifty() => await Timers.Delay(50);

    private static async KernelTask PingPong(int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            await Executor.Yield();
            s_pingPongs++;
        }
    }

    private static async KernelTask TimedYields(ulong[] samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            ulong start = Cpu.ReadTimeStampCounter();
            await Executor.Yield();
            samples[i] = Cpu.ReadTimeStampCounter() - start;
        }
    }
}
#endif
