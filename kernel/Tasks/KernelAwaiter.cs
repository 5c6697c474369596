// The base of every awaitable thing in the kernel. Awaiters are reference types owned by what they wait for
// (a task, the keyboard, a task's own delay node), so awaiting never allocates: the task builder hands the
// waiting task straight to Register instead of building a continuation delegate.
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Tasks;

/// <summary>Something a kernel task can await.</summary>
public abstract class KernelAwaiter : ICriticalNotifyCompletion
{
    /// <summary>Whether the result is there already (then the task goes on without suspending).</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>Arranges for waiter to be woken (queued on the executor) once the result is there.</summary>
    public abstract void Register(KernelTask waiter);

    /// <summary>
    /// Whether a wake while IsCompleted is still false is spurious (the executor then leaves the task waiting).
    /// False for awaiters that complete by being woken, such as Yield.
    /// </summary>
    public virtual bool ResumesOnlyWhenCompleted => true;

    // Only reached when a foreign awaiter pattern is used; kernel code always goes through Register.
    void INotifyCompletion.OnCompleted(Action continuation) => TaskEnvironment.Fail("a kernel awaiter was awaited without a kernel task builder");

    void ICriticalNotifyCompletion.UnsafeOnCompleted(Action continuation) => TaskEnvironment.Fail("a kernel awaiter was awaited without a kernel task builder");
}
