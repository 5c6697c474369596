// Exceptions: the base type and the common types the runtime and the kernel throw. Throwing and catching them is
// the kernel's work (kernel/Platform/Exceptions, installed through RuntimeHooks); this file holds what an exception
// carries: its message, its cause, and the code addresses its dispatch passed, from which StackTrace is built.
using Internal.Runtime;

namespace System;

/// <summary>Base of all exceptions.</summary>
public class Exception
{
    private readonly string _message;

    // Return addresses (the throw site first) recorded by the dispatcher; see Internal.Runtime.ExceptionFrames.
    internal ulong[] _frames;
    internal int _frameCount;
    internal bool _keepFramesOnThrow;

    /// <summary>An exception without a message.</summary>
    public Exception() { }

    /// <summary>An exception with a message.</summary>
    public Exception(string message) => _message = message;

    /// <summary>An exception with a message and a cause.</summary>
    public Exception(string message, Exception innerException)
    {
        _message = message;
        InnerException = innerException;
    }

    /// <summary>What went wrong.</summary>
    public virtual string Message => _message ?? "(no message)";

    /// <summary>The cause, if any.</summary>
    public Exception InnerException { get; }

    /// <summary>
    /// The frames the exception passed from where it was thrown to where it was caught, one "   at Method+0xOFFSET"
    /// line each, built on demand; null for an exception never thrown.
    /// </summary>
    public virtual string StackTrace => _frameCount == 0 ? null : RuntimeHooks.FormatStackTrace(_frames, _frameCount);
}

/// <summary>Base of runtime-raised exceptions.</summary>
public class SystemException : Exception
{
    /// <summary>Creates it.</summary>
    public SystemException(string message) : base(message) { }
}

/// <summary>An operation is not valid in the current state.</summary>
public class InvalidOperationException : SystemException
{
    /// <summary>Creates it.</summary>
    public InvalidOperationException(string message) : base(message) { }
}

/// <summary>An argument is invalid.</summary>
public class ArgumentException : SystemException
{
    /// <summary>Creates it.</summary>
    public ArgumentException(string message) : base(message) { }
}

/// <summary>An argument is null.</summary>
public class ArgumentNullException : ArgumentException
{
    /// <summary>Creates it.</summary>
    public ArgumentNullException(string paramName) : base(paramName) { }
}

/// <summary>An argument is out of range.</summary>
public class ArgumentOutOfRangeException : ArgumentException
{
    /// <summary>Creates it.</summary>
    public ArgumentOutOfRangeException(string paramName) : base(paramName) { }
}

/// <summary>An index is outside an array or span.</summary>
public sealed class IndexOutOfRangeException : SystemException
{
    /// <summary>Creates it.</summary>
    public IndexOutOfRangeException() : base("Index was outside the bounds of the array.") { }
}

/// <summary>A null reference was used.</summary>
public sealed class NullReferenceException : SystemException
{
    /// <summary>Creates it.</summary>
    public NullReferenceException() : base("Object reference not set to an instance of an object.") { }
}

/// <summary>An invalid cast.</summary>
public sealed class InvalidCastException : SystemException
{
    /// <summary>Creates it.</summary>
    public InvalidCastException() : base("Specified cast is not valid.") { }
}

/// <summary>Base of arithmetic errors.</summary>
public class ArithmeticException : SystemException
{
    /// <summary>Creates it.</summary>
    public ArithmeticException(string message) : base(message) { }
}

/// <summary>Arithmetic overflow.</summary>
public sealed class OverflowException : ArithmeticException
{
    /// <summary>Creates it.</summary>
    public OverflowException() : base("Arithmetic operation resulted in an overflow.") { }
}

/// <summary>Division by zero.</summary>
public sealed class DivideByZeroException : ArithmeticException
{
    /// <summary>Creates it.</summary>
    public DivideByZeroException() : base("Attempted to divide by zero.") { }
}

/// <summary>Storing the wrong type into an array.</summary>
public sealed class ArrayTypeMismatchException : SystemException
{
    /// <summary>Creates it.</summary>
    public ArrayTypeMismatchException() : base("Attempted to access an element as a type incompatible with the array.") { }
}

/// <summary>A feature the kernel's runtime does not have.</summary>
public sealed class NotSupportedException : SystemException
{
    /// <summary>Creates it.</summary>
    public NotSupportedException(string message) : base(message) { }
}

/// <summary>Code that is not written yet.</summary>
public sealed class NotImplementedException : SystemException
{
    /// <summary>Creates it.</summary>
    public NotImplementedException() : base("The method or operation is not implemented.") { }
}

/// <summary>Out of memory.</summary>
public sealed class OutOfMemoryException : SystemException
{
    /// <summary>Creates it.</summary>
    public OutOfMemoryException() : base("Out of memory.") { }
}

/// <summary>A format is wrong.</summary>
public class FormatException : SystemException
{
    /// <summary>Creates it.</summary>
    public FormatException(string message) : base(message) { }
}
