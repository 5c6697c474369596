// The cooperative executor (the seed's "Executor with Waker Support"): a fixed-capacity ready queue that
// interrupt handlers may push to without allocating, tasks that run until they await, and a race-free sleep:
// the queue is checked with interrupts off, then `sti; hlt` enables them and halts as one step, so a wake-up
// that arrives in between is never lost. A spawned task whose method throws is faulted, not fatal: the executor
// hands it to the fault reporter Boot installs (the console and the kernel log), once, and runs the others on.

using System;
using Kernel.Arch;

namespace Kernel.Tasks;

/// <summary>Runs kernel tasks.</summary>
public static class Executor
{
    /// <summary>Most tasks that can be ready at once (and most spawned tasks listed).</summary>
    public const int Capacity = 64;

    private static readonly KernelTask[] s_ready = new KernelTask[Capacity];
    private static readonly KernelTask[] s_spawned = new KernelTask[Capacity];
    private static int s_head;
    private static int s_count;
    private static int s_spawnedCount;
    private static Action<KernelTask> s_faultReporter;
    private static Action s_idleWork;

    /// <summary>Wakes that found the task's awaited operation still pending (ignored).</summary>
    public static ulong SpuriousWakes { get; private set; }

    /// <summary>Times the CPU halted because nothing was ready.</summary>
    public static ulong IdleHalts { get; private set; }

    /// <summary>Faults of spawned tasks reported so far.</summary>
    public static ulong FaultsReported { get; private set; }

    /// <summary>
    /// Sets what is told about a spawned task that faulted (its <see cref="KernelTask.DescribeFault"/> says how);
    /// called once per such task, by the run loop after the step that faulted it (or by Spawn). Without a reporter
    /// faults are only counted and kept on the task (the shell's <c>tasks</c> shows them).
    /// </summary>
    public static void SetFaultReporter(Action<KernelTask> reporter) => s_faultReporter = reporter;

    /// <summary>Work done when no task is ready, before halting (the garbage collector's idle collection).</summary>
    public static void SetIdleWork(Action work) => s_idleWork = work;

    /// <summary>Number of tasks spawned.</summary>
    public static int SpawnedCount => s_spawnedCount;

    /// <summary>The spawned task at index.</summary>
    public static KernelTask Spawned(int index) => s_spawned[index];

    /// <summary>
    /// Names a task started by calling its async method and lists it; it already ran up to its first await (or
    /// threw before it: then its fault is reported now).
    /// </summary>
    public static KernelTask Spawn(string name, KernelTask task)
    {
        task.Name = name;
        if (s_spawnedCount == Capacity)
            TaskEnvironment.Fail("executor: more than " + Capacity.ToString() + " tasks spawned");
        s_spawned[s_spawnedCount++] = task;
        task.IsSpawned = true;
        ReportIfFaulted(task);
        return task;
    }

    /// <summary>Queues task unless it is queued already or finished. Safe from interrupt handlers.</summary>
    public static void Schedule(KernelTask task)
    {
        using (InterruptsOff.Enter())
        {
            if (task.IsQueued || task.IsCompleted)
                return;
            if (s_count == Capacity)
                TaskEnvironment.Fail("executor: the ready queue is full (" + Capacity.ToString() + " tasks)");
            s_ready[(s_head + s_count) % Capacity] = task;
            s_count++;
            task.IsQueued = true;
        }
    }

    /// <summary>Gives other ready tasks a turn: the caller is queued again at the back.</summary>
    public static YieldAwaiter Yield() => YieldAwaiter.Instance;

    /// <summary>Runs ready tasks forever, halting when there are none.</summary>
    public static void Run()
    {
        while (true)
            RunOnce(haltWhenIdle: true);
    }

    /// <summary>Runs every task ready now (and those they wake); returns when the queue is empty.</summary>
    public static void RunUntilIdle()
    {
        while (RunOnce(haltWhenIdle: false))
        {
        }
    }

    private static bool RunOnce(bool haltWhenIdle)
    {
        TaskEnvironment.DisableInterrupts();
        if (s_count == 0)
        {
            if (haltWhenIdle && s_idleWork != null)
            {
                // Interrupts on for the work (it may allocate, and the collector needs them on to run); the queue
                // is checked again on the next turn.
                TaskEnvironment.EnableInterrupts();
                s_idleWork();
                TaskEnvironment.DisableInterrupts();
                if (s_count != 0)
                {
                    TaskEnvironment.EnableInterrupts();
                    return true;
                }
            }
            if (haltWhenIdle)
            {
                IdleHalts++;
                TaskEnvironment.EnableInterruptsAndHalt();
            }
            else
            {
                TaskEnvironment.EnableInterrupts();
            }
            return false;
        }
        KernelTask task = s_ready[s_head];
        s_ready[s_head] = null;
        s_head = (s_head + 1) % Capacity;
        s_count--;
        task.IsQueued = false;
        TaskEnvironment.EnableInterrupts();
        // A wake for something else (or one that raced with completion) must not resume the method: the
        // compiler's code would take a result that is not there. The task stays registered where it waits.
        KernelAwaiter awaited = task.AwaitedOn;
        if (awaited != null && awaited.ResumesOnlyWhenCompleted && !awaited.IsCompleted)
        {
            SpuriousWakes++;
            return true;
        }
        task.AwaitedOn = null;
        task.PollCount++;
        task.Step();
        // A task faults only in its own step (or before it was spawned): report it here, out of the catch block the
        // fault was recorded in.
        ReportIfFaulted(task);
        return true;
    }

    // Tells the fault reporter about a spawned task that faulted, once per task. Awaited tasks are not spawned: their
    // fault goes to the method awaiting them.
    private static void ReportIfFaulted(KernelTask task)
    {
        if (!task.IsFaulted || !task.IsSpawned || task.FaultReported)
            return;
        task.FaultReported = true;
        FaultsReported++;
        s_faultReporter?.Invoke(task);
    }
}

/// <summary>What Executor.Yield returns: never complete at once, so the task goes to the back of the queue.</summary>
public sealed class YieldAwaiter : KernelAwaiter
{
    internal static readonly YieldAwaiter Instance = new YieldAwaiter();

    public override bool IsCompleted => false;

    public override void Register(KernelTask waiter) => Executor.Schedule(waiter);

    public override bool ResumesOnlyWhenCompleted => false;

    /// <summary>Yielding returns nothing.</summary>
    public void GetResult()
    {
    }

    /// <summary>Itself.</summary>
    public YieldAwaiter GetAwaiter() => this;
}
