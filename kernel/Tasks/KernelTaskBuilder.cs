// The async method builders the C# compiler drives for KernelTask and KernelTask<T> (the task-type pattern).
// The compiler's state machine is a struct; on the first await that suspends, the builder moves it into a heap
// box that is the task itself. That is the one allocation per call: awaits afterwards allocate nothing. An exception
// the method does not catch reaches SetException (the compiler's MoveNext catches it) and faults the task, whether
// the method had suspended or threw in its first step.
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Tasks;

/// <summary>The state machine's heap home, which is also the task the caller holds.</summary>
public sealed class StateMachineTask<TStateMachine> : KernelTask where TStateMachine : IAsyncStateMachine
{
    public TStateMachine Machine;

    internal override void Step() => Machine.MoveNext();
}

/// <summary>The same for methods with a result.</summary>
public sealed class StateMachineTask<TStateMachine, TResult> : KernelTask<TResult> where TStateMachine : IAsyncStateMachine
{
    public TStateMachine Machine;

    internal override void Step() => Machine.MoveNext();
}

/// <summary>Builder for async methods returning KernelTask.</summary>
public struct KernelTaskBuilder
{
    private KernelTask _task;

    public static KernelTaskBuilder Create() => default;

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    /// <summary>The task (a completed one when the method finished without suspending).</summary>
    public KernelTask Task => _task ??= new KernelTask();

    public void SetResult()
    {
        if (_task == null)
            _task = KernelTask.CompletedTask;
        else
            _task.Complete();
    }

    /// <summary>Faults the task (a new one when the method threw before its first suspension).</summary>
    public void SetException(Exception exception) => (_task ??= new KernelTask()).Fault(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        Suspend(awaiter as KernelAwaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        Suspend(awaiter as KernelAwaiter, ref stateMachine);

    private void Suspend<TStateMachine>(KernelAwaiter awaiter, ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        if (awaiter == null)
            TaskEnvironment.Fail("an async kernel method awaited something that is not a KernelAwaiter");
        if (_task == null)
        {
            // First suspension: box the state machine (it holds this builder, which must point at the box).
            var box = new StateMachineTask<TStateMachine>();
            _task = box;
            box.Machine = stateMachine;
        }
        _task.AwaitedOn = awaiter;
        awaiter.Register(_task);
    }
}

/// <summary>Builder for async methods returning KernelTask&lt;TResult&gt;.</summary>
public struct KernelTaskBuilder<TResult>
{
    private KernelTask<TResult> _task;
    private TResult _result;
    private bool _completedSynchronously;

    public static KernelTaskBuilder<TResult> Create() => default;

    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine => stateMachine.MoveNext();

    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public KernelTask<TResult> Task
    {
        get
        {
            if (_task == null)
            {
                // Finished without suspending: hand out a completed task carrying the result.
                _task = new KernelTask<TResult> { ResultValue = _result };
                if (_completedSynchronously)
                    _task.Complete();
            }
            return _task;
        }
    }

    public void SetResult(TResult result)
    {
        if (_task == null)
        {
            _result = result;
            _completedSynchronously = true;
            return;
        }
        _task.ResultValue = result;
        _task.Complete();
    }

    /// <summary>Faults the task (a new one when the method threw before its first suspension).</summary>
    public void SetException(Exception exception) => (_task ??= new KernelTask<TResult>()).Fault(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        Suspend(awaiter as KernelAwaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        Suspend(awaiter as KernelAwaiter, ref stateMachine);

    private void Suspend<TStateMachine>(KernelAwaiter awaiter, ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        if (awaiter == null)
            TaskEnvironment.Fail("an async kernel method awaited something that is not a KernelAwaiter");
        if (_task == null)
        {
            var box = new StateMachineTask<TStateMachine, TResult>();
            _task = box;
            box.Machine = stateMachine;
        }
        _task.AwaitedOn = awaiter;
        awaiter.Register(_task);
    }
}
