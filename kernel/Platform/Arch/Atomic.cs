// Atomic read-modify-write on shared integers (shim/atomic.asm), for data several CPUs change: lock tickets,
// counters, flags. Each operation is a full memory barrier. The collector never moves objects, so a field's address
// taken here stays valid.
namespace Kernel.Arch;

/// <summary>Interlocked operations on int and long fields.</summary>
public static unsafe class Atomic
{
    /// <summary>Stores value and returns what was there.</summary>
    public static int Exchange(ref int location, int value)
    {
        fixed (int* address = &location)
            return Native.AtomicExchange32(address, value);
    }

    /// <summary>Stores value if location holds comparand; returns what was there (comparand when it stored).</summary>
    public static int CompareExchange(ref int location, int value, int comparand)
    {
        fixed (int* address = &location)
            return Native.AtomicCompareExchange32(address, value, comparand);
    }

    /// <summary>Stores value if location holds comparand; returns what was there (comparand when it stored).</summary>
    public static long CompareExchange(ref long location, long value, long comparand)
    {
        fixed (long* address = &location)
            return Native.AtomicCompareExchange64(address, value, comparand);
    }

    /// <summary>Adds value and returns the old value.</summary>
    public static int FetchAdd(ref int location, int value)
    {
        fixed (int* address = &location)
            return Native.AtomicFetchAdd32(address, value);
    }

    /// <summary>Adds value and returns the old value.</summary>
    public static long FetchAdd(ref long location, long value)
    {
        fixed (long* address = &location)
            return Native.AtomicFetchAdd64(address, value);
    }

    /// <summary>Adds one and returns the new value.</summary>
    public static long Increment(ref long location) => FetchAdd(ref location, 1) + 1;

    /// <summary>Reads location with a full barrier (a locked add of zero).</summary>
    public static int Read(ref int location) => FetchAdd(ref location, 0);
}
