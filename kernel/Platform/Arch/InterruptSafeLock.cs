// A spin lock that keeps interrupts off while held (the seed's without_interrupts): an interrupt handler that
// needs the same lock can then never spin forever on a lock the code it interrupted holds.
namespace Kernel.Arch;

/// <summary>A lock for data shared with interrupt handlers. Use: <c>using (s_lock.Acquire()) { ... }</c>.</summary>
public sealed class InterruptSafeLock
{
    private bool _held;

    /// <summary>How many times Acquire found the lock taken and had to spin (with one CPU: a bug).</summary>
    public ulong Contended { get; private set; }

    /// <summary>Disables interrupts, takes the lock, and returns a guard that restores both.</summary>
    public Guard Acquire()
    {
        InterruptsOff interruptsOff = InterruptsOff.Enter();
        // One CPU for now, so with interrupts off nothing else can hold the lock; spinning would mean
        // re-entry from the same thread. When other CPUs run, this becomes an atomic exchange.
        while (_held)
        {
            Contended++;
            Cpu.Pause();
        }
        _held = true;
        return new Guard(this, interruptsOff);
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
            if (_lock != null)
                _lock._held = false;
            _lock = null;
            _interruptsOff.Dispose();
        }
    }
}
