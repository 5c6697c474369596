// The faults in managed code the kernel turns into exceptions, and which exception each one becomes (as .NET does).
using System;

namespace Internal.Runtime;

/// <summary>A CPU fault raised by managed code that C# sees as an exception.</summary>
public enum HardwareFault
{
    /// <summary>A page fault in the unmapped range below 32 KiB: a field or element of a null reference.</summary>
    NullReference = 1,

    /// <summary>#DE with a zero divisor.</summary>
    DivideByZero = 2,

    /// <summary>#DE from int.MinValue / -1 (or the long equivalent): the quotient does not fit.</summary>
    Overflow = 3,
}

/// <summary>Exceptions for hardware faults.</summary>
public static class HardwareFaults
{
    /// <summary>A new exception for fault.</summary>
    public static Exception ExceptionFor(HardwareFault fault) => fault switch
    {
        HardwareFault.DivideByZero => new DivideByZeroException(),
        HardwareFault.Overflow => new OverflowException(),
        _ => new NullReferenceException(),
    };
}
