// Throwing an exception again somewhere else without losing where it came from, as `await` does with a faulted
// task's exception. The subset of .NET's ExceptionDispatchInfo the kernel needs: the static Throw.
using System.Diagnostics.CodeAnalysis;
using Internal.Runtime;

namespace System.Runtime.ExceptionServices;

/// <summary>Rethrows an exception object with its recorded stack trace kept.</summary>
public static class ExceptionDispatchInfo
{
    /// <summary>
    /// Throws source again from here: the same object, its trace so far kept and the frames of this new dispatch
    /// added after it (where .NET prints "End of stack trace from previous location").
    /// </summary>
    [DoesNotReturn]
    public static void Throw(Exception source)
    {
        ExceptionFrames.KeepOnNextThrow(source);
        throw source;
    }
}
