// A spin lock that keeps interrupts off on the holding CPU (the seed's without_interrupts, made safe for several
// CPUs): an interrupt handler that needs the same lock can never spin forever on a lock the code it interrupted
// holds, and other CPUs wait their turn. It is a ticket lock: each Acquire takes the next ticket atomically and waits
// until that ticket is served, so CPUs get the lock in the order they asked (no starvation). In the Test build a
// wait longer than HeldTooLongMs panics naming the CPU that holds the lock. Never wait for another CPU to answer an
// IPI while holding one (that CPU may be spinning on it with interrupts off); NMI handlers never take one.
namespace Kernel.Arch;

/// <summary>A lock for data shared with interrupt handlers and other CPUs. Use: <c>using (s_lock.Acquire()) { ... }</c>.</summary>
public sealed class InterruptSafeLock
{
    /// <summary>In the Test build, how long a CPU may wait for the lock before the kernel panics (a deadlock).</summary>
    public const ulong HeldTooLongMs = 2000;

    private static ulong s_tscHz;
    private static System.Action s_deadlockBegin;
    private static System.Action<string, string> s_deadlockReport;

    private int _nextTicket;
    private volatile int _nowServing;
    private volatile int _holder = -1;
    private readonly string _name;

    /// <summary>A lock; name appears in deadlock reports.</summary>
    public InterruptSafeLock(string name = "lock") => _name = name;

    /// <summary>How many times Acquire found the lock taken and had to wait.</summary>
    public ulong Contended { get; private set; }

    /// <summary>The CPU holding the lock, or -1.</summary>
    public int Holder => _holder;

    /// <summary>
    /// Sets the TSC rate the Test build's deadlock check measures waits with and what it calls on a deadlock: begin
    /// (the panic's start, before the message is built: that may allocate on a CPU which otherwise may not), then
    /// report(message, detail).
    /// </summary>
    public static void ConfigureDeadlockCheck(ulong tscHz, System.Action begin, System.Action<string, string> report)
    {
        s_tscHz = tscHz;
        s_deadlockBegin = begin;
        s_deadlockReport = report;
    }

    /// <summary>Disables interrupts, waits for this CPU's turn, and returns a guard that releases and restores both.</summary>
    public Guard Acquire()
    {
        InterruptsOff interruptsOff = InterruptsOff.Enter();
        int ticket = Atomic.FetchAdd(ref _nextTicket, 1);
        if (_nowServing != ticket)
            Wait(ticket);
        _holder = Cpu.CurrentIndex;
        return new Guard(this, interruptsOff);
    }

    private void Wait(int ticket)
    {
        Contended++;
#if KERNEL_TESTS
        ulong start = Cpu.ReadTimeStampCounter();
        int holder = _holder;
#endif
        while (_nowServing != ticket)
        {
            Cpu.Pause();
#if KERNEL_TESTS
            if (s_tscHz != 0 && Cpu.ReadTimeStampCounter() - start > HeldTooLongMs * s_tscHz / 1000 && s_deadlockReport != null)
            {
                System.Action<string, string> report = s_deadlockReport;
                s_deadlockBegin?.Invoke();
                report("deadlock: CPU " + Cpu.CurrentIndex.ToString() + " waited over " + HeldTooLongMs.ToString() + " ms for the "
                    + _name + " held by CPU " + holder.ToString(), "ticket " + ticket.ToString() + ", now serving " + _nowServing.ToString());
            }
#endif
        }
    }

    private void Release()
    {
        _holder = -1;
        // Only the holder writes _nowServing; the volatile store is ordered after the protected writes (x86 TSO).
        _nowServing = _nowServing + 1;
    }

    /// <summary>Releases the lock and restores the interrupt flag when disposed.</summary>
    public ref struct Guard
    {
        private InterruptSafeLock _lock;
        private InterruptsOff _interruptsOff;

        internal Guard(InterruptSafeLock owner, InterruptsOff interruptsOff)
        {
            _lock = owner;
            _interruptsOff = interruptsOff;
        }

        /// <summary>Releases the lock (once), then restores the interrupt flag.</summary>
        public void Dispose()
        {
            _lock?.Release();
            _lock = null;
            _interruptsOff.Dispose();
        }
    }
}
