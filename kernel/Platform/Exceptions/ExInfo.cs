// One exception in flight, kept in the dispatcher's own stack frame and linked newest first: what a throw from
// inside a catch, finally or filter funclet (a collided unwind) and a rethrow need to know about the exceptions
// whose handlers are running.
using Kernel.Diagnostics;

namespace Kernel.Exceptions;

/// <summary>What an exception's dispatch is doing.</summary>
internal enum ExInfoState
{
    /// <summary>Searching for a handler or unwinding between funclets.</summary>
    Dispatching,

    /// <summary>A finally or fault funclet of Frame runs.</summary>
    InFinally,

    /// <summary>The catch funclet of Frame runs: `throw;` rethrows this exception.</summary>
    InCatch,
}

/// <summary>An exception being dispatched.</summary>
internal unsafe struct ExInfo
{
    /// <summary>The exception dispatched before this one whose handlers still run, or null.</summary>
    public ExInfo* Previous;

    /// <summary>The exception object's address (objects never move).</summary>
    public ulong ExceptionAddress;

    /// <summary>What the dispatch is doing.</summary>
    public ExInfoState State;

    /// <summary>The clause of Frame whose funclet runs.</summary>
    public uint ClauseIndex;

    /// <summary>The method frame whose funclet runs: where a walk leaving that funclet continues.</summary>
    public RegisterContext Frame;
}
