// The kernel's task type for async methods (the seed's Future, in C#'s terms): `async KernelTask Run()` and
// `await`. A task is created once per async method call (its state machine lives in it), is queued on the
// executor when woken, and resumes its method where it awaited. A method that throws leaves its task faulted:
// the exception is kept on the task, awaiting the task throws it again in the awaiter (as .NET's Task does), and a
// spawned task's fault is reported by the executor instead of stopping the kernel.
using System;
using System.Runtime.CompilerServices;
using Kernel.Arch;

namespace Kernel.Tasks;

/// <summary>Where a task is in its life.</summary>
public enum KernelTaskState
{
    /// <summary>Running or waiting for something.</summary>
    Pending,

    /// <summary>Finished.</summary>
    Completed,

    /// <summary>Finished by an exception its method did not catch (see <see cref="KernelTask.Exception"/>).</summary>
    Faulted,
}

/// <summary>An asynchronous operation without a result; await it, or spawn it on the executor.</summary>
[AsyncMethodBuilder(typeof(KernelTaskBuilder))]
public class KernelTask : KernelAwaiter
{
    private static readonly InterruptSafeLock s_continuationLock = new InterruptSafeLock("task continuation lock");

    private KernelTask _continuation;

    /// <summary>The name given at spawn (or the awaiting method's default).</summary>
    public string Name { get; internal set; } = "task";

    /// <summary>Pending, completed or faulted.</summary>
    public KernelTaskState State { get; private set; }

    /// <summary>The exception that ended the task's method, or null unless the task is faulted.</summary>
    public Exception Exception { get; private set; }

    /// <summary>Whether the method ended by throwing.</summary>
    public bool IsFaulted => State == KernelTaskState.Faulted;

    /// <summary>How many times the executor ran this task.</summary>
    public ulong PollCount { get; internal set; }

    /// <summary>Whether the task sits in the executor's ready queue (a second wake then does nothing).</summary>
    internal bool IsQueued;

    /// <summary>A step of it runs now on some CPU (set and cleared under its home queue's lock).</summary>
    internal bool IsRunning;

    /// <summary>Woken while a step ran: queued again when the step ends.</summary>
    internal bool WakePending;

    /// <summary>Only its home CPU runs it (no stealing).</summary>
    internal bool IsPinned;

    /// <summary>The CPU that created it: its ready queue is where wakes put it.</summary>
    public int HomeCpu { get; } = TaskEnvironment.CurrentCpu;

    /// <summary>The CPU that ran its last step (-1 before the executor ran one).</summary>
    public int LastCpu { get; internal set; } = -1;

    /// <summary>Whether the executor lists the task (Executor.Spawn): its fault is then reported, since no method awaits it.</summary>
    internal bool IsSpawned;

    /// <summary>Whether the executor has reported this task's fault (it does so once).</summary>
    internal bool FaultReported;

    /// <summary>What the task is suspended on; the executor runs it only once that is complete.</summary>
    internal KernelAwaiter AwaitedOn;

    /// <summary>Whether the task has finished, normally or faulted (as .NET's Task.IsCompleted).</summary>
    public override bool IsCompleted => State != KernelTaskState.Pending;

    /// <summary>The task itself is its awaiter.</summary>
    public KernelTask GetAwaiter() => this;

    /// <summary>Awaiting a task returns nothing, or throws the exception that faulted it (the same object).</summary>
    public void GetResult() => ThrowIfFaulted();

    /// <summary>"task 'name' faulted: Type: message", the line the executor's report carries; null unless faulted.</summary>
    public string DescribeFault() =>
        IsFaulted ? "task '" + Name + "' faulted: " + ExceptionSummary.OneLine(Exception) : null;

    /// <summary>Queues this task on the executor (from anywhere, interrupt handlers included).</summary>
    public void Wake() => Executor.Schedule(this);

    /// <summary>A completed task, for async methods that finish without awaiting.</summary>
    public static KernelTask CompletedTask { get; } = CreateCompleted();

    // Register and Finish may run on two CPUs at once (await a task another CPU completes): under one lock, either
    // the continuation is stored before the state changes, or the waiter is woken here.
    public override void Register(KernelTask waiter)
    {
        bool wakeNow;
        using (s_continuationLock.Acquire())
        {
            if (_continuation != null)
                TaskEnvironment.Fail("task '" + Name + "' is awaited twice", "a kernel task supports one awaiter");
            wakeNow = State != KernelTaskState.Pending;
            if (!wakeNow)
                _continuation = waiter;
        }
        if (wakeNow)
            waiter.Wake();
    }

    /// <summary>Runs the task's method until its next await (overridden by the state machine box).</summary>
    internal virtual void Step()
    {
    }

    internal void Complete() => Finish(KernelTaskState.Completed);

    /// <summary>
    /// Ends the task with the exception its method threw and wakes its awaiter. (Called from the compiler's catch
    /// block; the executor reports a spawned task's fault once the step is over, outside it.)
    /// </summary>
    internal void Fault(Exception exception)
    {
        Exception = exception;
        Finish(KernelTaskState.Faulted);
    }

    /// <summary>Rethrows the fault in the caller (the awaiting method), keeping the exception object.</summary>
    internal void ThrowIfFaulted()
    {
        if (State == KernelTaskState.Faulted)
            TaskEnvironment.Rethrow(Exception);
    }

    private void Finish(KernelTaskState state)
    {
        KernelTask continuation;
        using (s_continuationLock.Acquire())
        {
            if (State != KernelTaskState.Pending)
                TaskEnvironment.Fail("task '" + Name + "' finished twice");
            State = state;
            continuation = _continuation;
            _continuation = null;
        }
        continuation?.Wake();
    }

    private static KernelTask CreateCompleted()
    {
        var task = new KernelTask { Name = "completed" };
        task.State = KernelTaskState.Completed;
        return task;
    }
}

/// <summary>An asynchronous operation with a result.</summary>
[AsyncMethodBuilder(typeof(KernelTaskBuilder<>))]
public class KernelTask<TResult> : KernelTask
{
    internal TResult ResultValue;

    /// <summary>The task itself is its awaiter.</summary>
    public new KernelTask<TResult> GetAwaiter() => this;

    /// <summary>The result (valid once completed), or the exception that faulted the task, thrown again.</summary>
    public new TResult GetResult()
    {
        ThrowIfFaulted();
        return ResultValue;
    }
}
