// The host's stand-in for Kernel.Arch.InterruptSafeLock (kernel/Platform/Arch/InterruptSafeLock.cs): one thread, no
// interrupts, so the lock only records that it is held (and that nobody takes it twice) through the host's
// InterruptsOff scope, which the tests check is closed again.
namespace Kernel.Arch;

/// <summary>A lock that checks it is not taken while held, for the task code compiled on the host.</summary>
public sealed class InterruptSafeLock
{
    private bool _held;

    /// <summary>A lock; the name is the kernel's deadlock report's.</summary>
    public InterruptSafeLock(string name = "lock")
    {
    }

    /// <summary>Takes the lock; taking it while held is a bug on one thread.</summary>
    public Guard Acquire()
    {
        if (_held)
            throw new System.InvalidOperationException("lock taken while held");
        _held = true;
        return new Guard(this, InterruptsOff.Enter());
    }

    /// <summary>Releases the lock when disposed.</summary>
    public ref struct Guard
    {
        private InterruptSafeLock _lock;
        private InterruptsOff _interruptsOff;

        internal Guard(InterruptSafeLock owner, InterruptsOff interruptsOff)
        {
            _lock = owner;
            _interruptsOff = interruptsOff;
        }

        /// <summary>Releases the lock (once).</summary>
        public void Dispose()
        {
            if (_lock != null)
                _lock._held = false;
            _lock = null;
            _interruptsOff.Dispose();
        }
    }
}
