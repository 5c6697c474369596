// What the C# compiler needs to compile async methods (ECMA-334 §15.15 and the task-type pattern): the state
// machine interface, the awaiter interfaces and the attribute that names a task type's builder. The kernel
// provides the task type and builder itself (kernel/Tasks).
namespace System.Runtime.CompilerServices;

/// <summary>The state machine the compiler generates for an async method.</summary>
public interface IAsyncStateMachine
{
    /// <summary>Runs the method until its next await or its end.</summary>
    void MoveNext();

    /// <summary>Associates a heap copy of the state machine (unused by the kernel's builder).</summary>
    void SetStateMachine(IAsyncStateMachine stateMachine);
}

/// <summary>An awaiter that can schedule a continuation.</summary>
public interface INotifyCompletion
{
    /// <summary>Runs continuation when the awaited operation completes.</summary>
    void OnCompleted(Action continuation);
}

/// <summary>An awaiter whose continuation needs no execution-context capture.</summary>
public interface ICriticalNotifyCompletion : INotifyCompletion
{
    /// <summary>Runs continuation when the awaited operation completes.</summary>
    void UnsafeOnCompleted(Action continuation);
}

/// <summary>Names the builder type of a task-like type.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Delegate | AttributeTargets.Enum | AttributeTargets.Method, Inherited = false)]
public sealed class AsyncMethodBuilderAttribute : Attribute
{
    /// <summary>Names the builder.</summary>
    public AsyncMethodBuilderAttribute(Type builderType) => BuilderType = builderType;

    /// <summary>The builder.</summary>
    public Type BuilderType { get; }
}

/// <summary>Marks an async method with its state machine type.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AsyncStateMachineAttribute : Attribute
{
    /// <summary>Names the state machine.</summary>
    public AsyncStateMachineAttribute(Type stateMachineType) { }
}
