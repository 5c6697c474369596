// Async delays on the timer interrupt (seed chapter "Async/Await", applied to time): sleepers wait in a min-heap
// of deadlines that the tick handler looks at once per tick, so a thousand sleepers cost nothing until one is due.
// Delay nodes come from a fixed pool and go back when the await finishes: sleeping allocates nothing. The clock
// comes in through OnTick (Boot subscribes it to the system timer), so this file needs no timer hardware and the
// host tests can drive it.
using Kernel.Arch;

namespace Kernel.Tasks;

/// <summary>Timer-based waiting for tasks.</summary>
public static class Timers
{
    /// <summary>Most tasks that can sleep at once.</summary>
    public const int MaxSleepers = 64;

    // Created by Initialize at boot, never lazily: the first use may be the timer interrupt, which must not
    // allocate.
    // Tasks on any CPU sleep; the boot CPU's timer interrupt wakes them.
    private static readonly InterruptSafeLock s_lock = new InterruptSafeLock("timer lock");
    private static DelayAwaiter[] s_pool;
    private static DelayAwaiter[] s_heap;
    private static int s_free;
    private static int s_heapCount;
    private static ulong s_ticks;
    private static ulong s_ticksPerSecond = 1;

    /// <summary>Creates the delay pool for a clock of ticksPerSecond; call once before interrupts are enabled.</summary>
    public static void Initialize(ulong ticksPerSecond)
    {
        s_ticksPerSecond = ticksPerSecond == 0 ? 1 : ticksPerSecond;
        s_ticks = 0;
        s_heapCount = 0;
        s_pool = new DelayAwaiter[MaxSleepers];
        for (int i = 0; i < s_pool.Length; i++)
            s_pool[i] = new DelayAwaiter();
        s_heap = new DelayAwaiter[MaxSleepers];
        s_free = MaxSleepers;
    }

    /// <summary>Time stamp counter when the tick handler last woke a sleeper (for the wake-latency benchmark).</summary>
    public static ulong LastWakeTsc { get; private set; }

    /// <summary>Tasks sleeping now.</summary>
    public static int SleeperCount => s_heapCount;

    /// <summary>Completes after at least milliseconds (rounded up to whole timer ticks).</summary>
    public static DelayAwaiter Delay(ulong milliseconds)
    {
        ulong ticks = (milliseconds * s_ticksPerSecond + 999) / 1000;
        using (s_lock.Acquire())
        {
            if (s_free == 0)
                TaskEnvironment.Fail("timers: more than " + MaxSleepers.ToString() + " tasks sleep at once");
            DelayAwaiter node = s_pool[--s_free];
            node.Deadline = s_ticks + ticks;
            node.Fired = false;
            node.Waiter = null;
            return node;
        }
    }

    /// <summary>Ticks seen so far (the clock the deadlines use).</summary>
    public static ulong Ticks => s_ticks;

    /// <summary>Called from the timer interrupt with the tick count: wakes every sleeper whose deadline has come.</summary>
    public static void OnTick(ulong ticks)
    {
        using (s_lock.Acquire())
        {
            s_ticks = ticks;
            while (s_heapCount > 0 && s_heap[0].Deadline <= ticks)
            {
                DelayAwaiter due = PopEarliest();
                due.Fired = true;
                LastWakeTsc = TaskEnvironment.Timestamp();
                due.Waiter?.Wake();
            }
        }
    }

    internal static void Sleep(DelayAwaiter node, KernelTask waiter)
    {
        using (s_lock.Acquire())
        {
            node.Waiter = waiter;
            if (node.Deadline <= s_ticks)
            {
                node.Fired = true;
                waiter.Wake();
            }
            else
            {
                Push(node);
            }
        }
    }

    internal static void Release(DelayAwaiter node)
    {
        using (s_lock.Acquire())
        {
            node.Waiter = null;
            s_pool[s_free++] = node;
        }
    }

    private static void Push(DelayAwaiter node)
    {
        int i = s_heapCount++;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (s_heap[parent].Deadline <= node.Deadline)
                break;
            s_heap[i] = s_heap[parent];
            i = parent;
        }
        s_heap[i] = node;
    }

    private static DelayAwaiter PopEarliest()
    {
        DelayAwaiter earliest = s_heap[0];
        DelayAwaiter last = s_heap[--s_heapCount];
        s_heap[s_heapCount] = null;
        int i = 0;
        while (s_heapCount > 0)
        {
            int child = 2 * i + 1;
            if (child >= s_heapCount)
                break;
            if (child + 1 < s_heapCount && s_heap[child + 1].Deadline < s_heap[child].Deadline)
                child++;
            if (last.Deadline <= s_heap[child].Deadline)
                break;
            s_heap[i] = s_heap[child];
            i = child;
        }
        if (s_heapCount > 0)
            s_heap[i] = last;
        return earliest;
    }
}

/// <summary>One pending delay; returned to the pool when its await finishes.</summary>
public sealed class DelayAwaiter : KernelAwaiter
{
    internal ulong Deadline;
    internal bool Fired;
    internal KernelTask Waiter;

    public override bool IsCompleted => Fired || Deadline <= Timers.Ticks;

    public override void Register(KernelTask waiter) => Timers.Sleep(this, waiter);

    /// <summary>Finishes the delay and returns the node to the pool.</summary>
    public void GetResult() => Timers.Release(this);

    /// <summary>Itself.</summary>
    public DelayAwaiter GetAwaiter() => this;
}
