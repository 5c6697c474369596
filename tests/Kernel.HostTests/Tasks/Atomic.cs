// The host's stand-in for Kernel.Arch.Atomic (kernel/Platform/Arch/Atomic.cs, locked instructions in shim/atomic.asm):
// the same operations through .NET's Interlocked, for the task code compiled on the host.
using System.Threading;

namespace Kernel.Arch;

/// <summary>Interlocked operations on int and long fields.</summary>
public static class Atomic
{
    /// <summary>Stores value and returns what was there.</summary>
    public static int Exchange(ref int location, int value) => Interlocked.Exchange(ref location, value);

    /// <summary>Stores value if location holds comparand; returns what was there.</summary>
    public static int CompareExchange(ref int location, int value, int comparand) => Interlocked.CompareExchange(ref location, value, comparand);

    /// <summary>Adds value and returns the old value.</summary>
    public static int FetchAdd(ref int location, int value) => Interlocked.Add(ref location, value) - value;

    /// <summary>Adds value and returns the old value.</summary>
    public static long FetchAdd(ref long location, long value) => Interlocked.Add(ref location, value) - value;
}
