// The cooperative executor (the seed's "Executor with Waker Support"), one per CPU: each CPU has a fixed-capacity
// ready queue that interrupt handlers may push to without allocating, runs tasks until they await, and sleeps
// race-free: the queues are checked with interrupts off, then `sti; hlt` enables them and halts as one step, so a
// wake-up that arrives in between is never lost. A task belongs to the CPU that created it (its home queue); a wake
// on any CPU queues it there and, when that CPU sleeps, wakes it with an IPI (or wakes another idle CPU to steal it).
// An idle CPU steals a task from another CPU's queue before it halts, unless the task is pinned to its home (the
// shell and the clock: they use state only the boot CPU's interrupts touch). A task never runs on two CPUs at once:
// a wake while it runs marks it to be queued again when its step ends. A spawned task whose method throws is
// faulted, not fatal: the executor hands it to the fault reporter Boot installs (the console and the kernel log),
// once, and runs the others on.

using System;
using Kernel.Arch;

namespace Kernel.Tasks;

/// <summary>Runs kernel tasks, one executor per CPU.</summary>
public static class Executor
{
    /// <summary>Most tasks that can be ready at once on one CPU.</summary>
    public const int Capacity = 128;

    /// <summary>Most spawned (named, listed) tasks.</summary>
    public const int SpawnCapacity = 64;

    private static readonly KernelTask[] s_spawned = new KernelTask[SpawnCapacity];
    private static readonly InterruptSafeLock s_spawnLock = new InterruptSafeLock("spawn list lock");
    private static ReadyQueue[] s_queues = new[] { new ReadyQueue() };
    private static int s_spawnedCount;
    private static Action<KernelTask> s_faultReporter;
    private static Action s_idleWork;
    private static Action<int> s_wakeCpu;
    // Tasks queued or in a step, on all CPUs: one counter, changed only when a task goes from waiting to queued
    // (Schedule) and from its step back to waiting (EndStep without a re-queue), so one read sees a consistent state.
    private static int s_active;
    // Only for the full barrier of a locked add.
    private static int s_fence;

    /// <summary>Wakes that found the task's awaited operation still pending (ignored).</summary>
    public static ulong SpuriousWakes { get; private set; }

    /// <summary>Times a CPU halted because nothing was ready (all CPUs).</summary>
    public static ulong IdleHalts
    {
        get
        {
            ulong halts = 0;
            for (int i = 0; i < s_queues.Length; i++)
                halts += s_queues[i].IdleHalts;
            return halts;
        }
    }

    /// <summary>Faults of spawned tasks reported so far.</summary>
    public static ulong FaultsReported => (ulong)s_faultsReported;

    private static long s_faultsReported;

    /// <summary>CPUs with an executor.</summary>
    public static int CpuCount => s_queues.Length;

    /// <summary>
    /// Gives each of cpuCount CPUs its executor (CPU 0's queue is kept), and how to wake a halted CPU (an IPI).
    /// Call on the boot CPU before other CPUs run tasks.
    /// </summary>
    public static void Initialize(int cpuCount, Action<int> wakeCpu)
    {
        var queues = new ReadyQueue[cpuCount < 1 ? 1 : cpuCount];
        queues[0] = s_queues[0];
        for (int i = 1; i < queues.Length; i++)
            queues[i] = new ReadyQueue();
        s_wakeCpu = wakeCpu;
        s_queues = queues;
    }

    /// <summary>
    /// Sets what is told about a spawned task that faulted (its <see cref="KernelTask.DescribeFault"/> says how);
    /// called once per such task, by the run loop after the step that faulted it (or by Spawn). Without a reporter
    /// faults are only counted and kept on the task (the shell's <c>tasks</c> shows them).
    /// </summary>
    public static void SetFaultReporter(Action<KernelTask> reporter) => s_faultReporter = reporter;

    /// <summary>Work done when no task is ready, before halting (the garbage collector's idle collection; boot CPU only).</summary>
    public static void SetIdleWork(Action work) => s_idleWork = work;

    /// <summary>Number of tasks spawned.</summary>
    public static int SpawnedCount => s_spawnedCount;

    /// <summary>The spawned task at index.</summary>
    public static KernelTask Spawned(int index) => s_spawned[index];

    /// <summary>Tasks CPU cpu has run steps of (its own and stolen ones).</summary>
    public static ulong StepsRunOn(int cpu) => s_queues[cpu].StepsRun;

    /// <summary>Tasks CPU cpu took from another CPU's queue.</summary>
    public static ulong StolenBy(int cpu) => s_queues[cpu].Stolen;

    /// <summary>Times CPU cpu halted with nothing to run.</summary>
    public static ulong IdleHaltsOf(int cpu) => s_queues[cpu].IdleHalts;

    /// <summary>
    /// Names a task started by calling its async method and lists it; it already ran up to its first await (or
    /// threw before it: then its fault is reported now). A pinned task only ever runs on the CPU that created it.
    /// </summary>
    public static KernelTask Spawn(string name, KernelTask task, bool pinned = false)
    {
        task.Name = name;
        task.IsPinned = pinned;
        using (s_spawnLock.Acquire())
        {
            if (s_spawnedCount == SpawnCapacity)
                TaskEnvironment.Fail("executor: more than " + SpawnCapacity.ToString() + " tasks spawned");
            s_spawned[s_spawnedCount++] = task;
            task.IsSpawned = true;
        }
        ReportIfFaulted(task);
        return task;
    }

    /// <summary>Queues task on its home CPU unless it is queued already or finished. Safe from interrupt handlers and any CPU.</summary>
    public static void Schedule(KernelTask task)
    {
        ReadyQueue home = s_queues[HomeOf(task)];
        using (home.Lock.Acquire())
        {
            if (task.IsCompleted || task.IsQueued)
                return;
            if (task.IsRunning)
            {
                // Runs now (on some CPU): queued again when that step ends, never run twice at once.
                task.WakePending = true;
                return;
            }
            home.Push(task);
            Atomic.FetchAdd(ref s_active, 1);
        }
        WakeSomeone(task);
    }

    /// <summary>Gives other ready tasks a turn: the caller is queued again at the back.</summary>
    public static YieldAwaiter Yield() => YieldAwaiter.Instance;

    /// <summary>Runs ready tasks on this CPU forever (stealing when its own queue is empty), halting when there are none.</summary>
    public static void Run()
    {
        while (true)
            RunOnce(haltWhenIdle: true);
    }

    /// <summary>
    /// Runs every task ready now (and those they wake) on this CPU, stealing too; returns when no task is ready on any
    /// CPU and none is in a step on another CPU (what one CPU alone would have run is then done).
    /// </summary>
    public static void RunUntilIdle()
    {
        while (true)
        {
            if (RunOnce(haltWhenIdle: false))
                continue;
            if (Atomic.FetchAdd(ref s_active, 0) == 0)
                return;
            TaskEnvironment.Pause();
        }
    }

    /// <summary>Runs one step of a task ready for this CPU, or halts once (haltWhenIdle) when there is none; false when idle.</summary>
    public static bool RunOnce(bool haltWhenIdle)
    {
        int cpu = TaskEnvironment.CurrentCpu;
        if (cpu >= s_queues.Length)
        {
            // A CPU the executor was not initialized for: it runs nothing (and must not take CPU 0's pinned tasks).
            if (haltWhenIdle)
                TaskEnvironment.EnableInterruptsAndHalt();
            return false;
        }
        ReadyQueue own = s_queues[cpu];
        TaskEnvironment.DisableInterrupts();
        KernelTask task = TakeFrom(own, cpu, steal: false) ?? Steal(cpu);
        if (task == null)
        {
            Idle(own, cpu, haltWhenIdle);
            return false;
        }
        TaskEnvironment.EnableInterrupts();
        // A wake for something else (or one that raced with completion) must not resume the method: the
        // compiler's code would take a result that is not there. The task stays registered where it waits.
        KernelAwaiter awaited = task.AwaitedOn;
        if (awaited != null && awaited.ResumesOnlyWhenCompleted && !awaited.IsCompleted)
        {
            SpuriousWakes++;
            EndStep(task);
            return true;
        }
        task.AwaitedOn = null;
        task.PollCount++;
        task.LastCpu = cpu;
        own.StepsRun++;
        task.Step();
        // A task faults only in its own step (or before it was spawned): report it here, out of the catch block the
        // fault was recorded in, and before the step counts as over (RunUntilIdle then sees the report done).
        ReportIfFaulted(task);
        EndStep(task);
        return true;
    }

    private static void Idle(ReadyQueue own, int cpu, bool haltWhenIdle)
    {
        if (haltWhenIdle && cpu == 0 && s_idleWork != null)
        {
            // Interrupts on for the work (it may allocate, and the collector needs them on to run); then the queues
            // are checked again below, with interrupts off.
            TaskEnvironment.EnableInterrupts();
            s_idleWork();
            TaskEnvironment.DisableInterrupts();
        }
        if (!haltWhenIdle)
        {
            TaskEnvironment.EnableInterrupts();
            return;
        }
        // Announce the sleep, then look once more (a task queued before the flag was seen got no IPI), then halt
        // with interrupts coming on in the same step: an IPI sent after the flag was set wakes the halt. The flag is
        // set with a locked exchange (a full barrier: the look that follows cannot pass it; WakeSomeone fences the
        // same way between queuing and reading the flag).
        Atomic.Exchange(ref own.Sleeping, 1);
        if (own.Count != 0 || AnyStealable(cpu))
        {
            own.Sleeping = 0;
            TaskEnvironment.EnableInterrupts();
            return;
        }
        own.IdleHalts++;
        TaskEnvironment.EnableInterruptsAndHalt();
        own.Sleeping = 0;
    }

    // The task at the front of queue that this CPU may run (its own queue: any; another's: not pinned), marked
    // running, or null.
    private static KernelTask TakeFrom(ReadyQueue queue, int cpu, bool steal)
    {
        if (queue.Count == 0)
            return null;
        using (queue.Lock.Acquire())
        {
            KernelTask task = queue.Take(steal);
            if (task != null)
                task.IsRunning = true;
            return task;
        }
    }

    private static KernelTask Steal(int cpu)
    {
        for (int i = 1; i < s_queues.Length; i++)
        {
            int victim = (cpu + i) % s_queues.Length;
            KernelTask task = TakeFrom(s_queues[victim], cpu, steal: true);
            if (task != null)
            {
                s_queues[cpu].Stolen++;
                return task;
            }
        }
        return null;
    }

    private static bool AnyStealable(int cpu)
    {
        for (int i = 1; i < s_queues.Length; i++)
        {
            if (s_queues[(cpu + i) % s_queues.Length].StealableCount != 0)
                return true;
        }
        return false;
    }

    // The step is over: the task may run again, and a wake that came during the step queues it now.
    private static void EndStep(KernelTask task)
    {
        ReadyQueue home = s_queues[HomeOf(task)];
        bool queued = false;
        using (home.Lock.Acquire())
        {
            task.IsRunning = false;
            if (task.WakePending && !task.IsCompleted)
            {
                home.Push(task);
                queued = true;
            }
            task.WakePending = false;
        }
        if (queued)
            WakeSomeone(task);
        else
            Atomic.FetchAdd(ref s_active, -1);
    }

    // After a task was queued on its home: the home CPU if it sleeps; else, for a task others may run, one sleeping
    // CPU (it will steal it). Nothing when the home CPU is the one queuing (it is awake).
    private static void WakeSomeone(KernelTask task)
    {
        if (s_wakeCpu == null)
            return;
        Atomic.FetchAdd(ref s_fence, 0);
        int cpu = CurrentCpu();
        int home = HomeOf(task);
        if (home != cpu && s_queues[home].Sleeping != 0)
        {
            s_wakeCpu(home);
            return;
        }
        if (task.IsPinned)
            return;
        for (int i = 0; i < s_queues.Length; i++)
        {
            if (i != cpu && i != home && s_queues[i].Sleeping != 0)
            {
                s_wakeCpu(i);
                return;
            }
        }
    }

    // The queue a task's wakes go to: its home CPU's, or CPU 0's for a task made before its CPU had an executor.
    private static int HomeOf(KernelTask task) => task.HomeCpu < s_queues.Length ? task.HomeCpu : 0;

    private static int CurrentCpu()
    {
        int cpu = TaskEnvironment.CurrentCpu;
        return cpu < s_queues.Length ? cpu : 0;
    }

    // Tells the fault reporter about a spawned task that faulted, once per task. Awaited tasks are not spawned: their
    // fault goes to the method awaiting them.
    private static void ReportIfFaulted(KernelTask task)
    {
        if (!task.IsFaulted || !task.IsSpawned || task.FaultReported)
            return;
        task.FaultReported = true;
        Atomic.FetchAdd(ref s_faultsReported, 1);
        s_faultReporter?.Invoke(task);
    }

    // One CPU's ready tasks: a ring of Capacity under its own lock; the counters belong to the CPU.
    private sealed class ReadyQueue
    {
        public readonly InterruptSafeLock Lock = new InterruptSafeLock("ready queue lock");
        private readonly KernelTask[] _items = new KernelTask[Capacity];
        private int _head;
        private volatile int _count;
        private volatile int _stealable;
        public int Sleeping;
        public ulong StepsRun;
        public ulong Stolen;
        public ulong IdleHalts;

        public int Count => _count;

        public int StealableCount => _stealable;

        // Caller holds Lock.
        public void Push(KernelTask task)
        {
            if (_count == Capacity)
                TaskEnvironment.Fail("executor: a ready queue is full (" + Capacity.ToString() + " tasks)");
            _items[(_head + _count) % Capacity] = task;
            _count++;
            if (!task.IsPinned)
                _stealable++;
            task.IsQueued = true;
        }

        // Caller holds Lock. The first task (a thief: the first one not pinned), removed, or null.
        public KernelTask Take(bool steal)
        {
            for (int i = 0; i < _count; i++)
            {
                KernelTask task = _items[(_head + i) % Capacity];
                if (steal && task.IsPinned)
                    continue;
                for (int j = i; j > 0; j--)
                    _items[(_head + j) % Capacity] = _items[(_head + j - 1) % Capacity];
                _items[_head] = null;
                _head = (_head + 1) % Capacity;
                _count--;
                if (!task.IsPinned)
                    _stealable--;
                task.IsQueued = false;
                return task;
            }
            return null;
        }
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
