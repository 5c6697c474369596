// The kernel's task type for async methods (the seed's Future, in C#'s terms): `async KernelTask Run()` and
// `await`. A task is created once per async method call (its state machine lives in it), is queued on the
// executor when woken, and resumes its method where it awaited.
using System.Runtime.CompilerServices;

namespace Kernel.Tasks;

/// <summary>Where a task is in its life.</summary>
public enum KernelTaskState
{
    /// <summary>Running or waiting for something.</summary>
    Pending,

    /// <summary>Finished.</summary>
    Completed,
}

/// <summary>An asynchronous operation without a result; await it, or spawn it on the executor.</summary>
[AsyncMethodBuilder(typeof(KernelTaskBuilder))]
public class KernelTask : KernelAwaiter
{
    private KernelTask _continuation;

    /// <summary>The name given at spawn (or the awaiting method's default).</summary>
    public string Name { get; internal set; } = "task";

    /// <summary>Pending or completed.</summary>
    public KernelTaskState State { get; private set; }

    /// <summary>How many times the executor ran this task.</summary>
    public ulong PollCount { get; internal set; }

    /// <summary>Whether the task sits in the executor's ready queue (a second wake then does nothing).</summary>
    internal bool IsQueued;

    /// <summary>What the task is suspended on; the executor runs it only once that is complete.</summary>
    internal KernelAwaiter AwaitedOn;

    /// <summary>Whether the task has finished.</summary>
    public override bool IsCompleted => State == KernelTaskState.Completed;

    /// <summary>The task itself is its awaiter.</summary>
    public KernelTask GetAwaiter() => this;

    /// <summary>Awaiting a task returns nothing.</summary>
    public void GetResult()
    {
    }

    /// <summary>Queues this task on the executor (from anywhere, interrupt handlers included).</summary>
    public void Wake() => Executor.Schedule(this);

    /// <summary>A completed task, for async methods that finish without awaiting.</summary>
    public static KernelTask CompletedTask { get; } = CreateCompleted();

    public override void Register(KernelTask waiter)
    {
        if (_continuation != null)
            TaskEnvironment.Fail("task '" + Name + "' is awaited twice", "a kernel task supports one awaiter");
        _continuation = waiter;
    }

    /// <summary>Runs the task's method until its next await (overridden by the state machine box).</summary>
    internal virtual void Step()
    {
    }

    internal void Complete()
    {
        State = KernelTaskState.Completed;
        KernelTask continuation = _continuation;
        _continuation = null;
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

    /// <summary>The result (valid once completed).</summary>
    public new TResult GetResult() => ResultValue;
}
