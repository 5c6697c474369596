// The wait for one event from the controller: a command's completion or a control transfer's last stage. The task
// that started the operation awaits it; the event pump (in the controller's interrupt handler or its polling task)
// completes it with the event TRB. Both sides run under the controller's lock, so a completion that comes before
// the task registers is seen at registration. An operation the controller never answers is ended by the
// controller's watchdog (<see cref="ExpireIfLate"/>) with a made-up event whose completion code is
// CompletionCode.NoAnswer, so no task waits forever on a controller that died.
using Kernel.Arch;
using Kernel.Tasks;

namespace Kernel.Usb;

/// <summary>An awaitable event TRB, reused for one operation after another.</summary>
public sealed class UsbCompletion : KernelAwaiter
{
    private readonly InterruptSafeLock _lock;
    private KernelTask _waiter;
    private bool _done;
    private Trb _event;
    private ulong _deadlineMs;

    /// <summary>A completion guarded by the controller's lock.</summary>
    public UsbCompletion(InterruptSafeLock controllerLock) => _lock = controllerLock;

    /// <summary>Whether an operation is outstanding (between Arm and the event).</summary>
    public bool IsArmed { get; private set; }

    /// <summary>Starts waiting for the next event, for at most timeoutMs from nowMs; call before the doorbell rings.</summary>
    public void Arm(ulong nowMs, ulong timeoutMs)
    {
        using (_lock.Acquire())
        {
            _deadlineMs = nowMs + timeoutMs;
            _done = false;
            _waiter = null;
            IsArmed = true;
        }
    }

    /// <inheritdoc/>
    public override bool IsCompleted => _done;

    /// <inheritdoc/>
    public override void Register(KernelTask waiter)
    {
        using (_lock.Acquire())
        {
            _waiter = waiter;
            if (_done)
                waiter.Wake();
        }
    }

    /// <summary>From the event pump, under the controller's lock: the event arrived.</summary>
    public void Complete(Trb eventTrb)
    {
        if (!IsArmed)
            return;
        _event = eventTrb;
        _done = true;
        IsArmed = false;
        _waiter?.Wake();
    }

    /// <summary>From the watchdog, under the controller's lock: ends the wait with NoAnswer once the deadline has passed.</summary>
    public void ExpireIfLate(ulong nowMs)
    {
        if (IsArmed && nowMs >= _deadlineMs)
            Complete(new Trb(0, (uint)CompletionCode.NoAnswer << 24, 0));
    }

    /// <summary>The event.</summary>
    public Trb GetResult()
    {
        _waiter = null;
        return _event;
    }

    /// <summary>Itself.</summary>
    public UsbCompletion GetAwaiter() => this;
}
