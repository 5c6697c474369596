#if KERNEL_TESTS
// In-kernel tests of C# exceptions, second part: what the runtime's helpers throw, hardware faults in managed code
// turned into exceptions (null dereference, division), and stack traces. Dispatch tests and the shared helpers are
// in ManagedExceptionTests.cs.
using System;

namespace Kernel.Testing;

public static partial class ManagedExceptionTests
{
    public static void RuntimeHelpersThrowTheUsualTypes()
    {
        Begin();
        int[] numbers = new int[2];
        try
        {
            numbers[Index(5)] = 1;
        }
        catch (IndexOutOfRangeException)
        {
            Note("index");
        }
        object boxed = "text";
        try
        {
            Note(((Version)Pass(boxed)).ToString());
        }
        catch (InvalidCastException)
        {
            Note("cast");
        }
        Expect.Equal("index cast", s_log, "bounds and casts");
    }

    public static unsafe void NullDereferenceIsNullReferenceException()
    {
        Begin();
        Holder nothing = (Holder)Pass(null);
        try
        {
            Note(nothing.Value.ToString());
        }
        catch (NullReferenceException)
        {
            Note("field");
        }
        Big big = (Big)Pass(null);
        try
        {
            // The field lies past the first page (ILC relies on the fault for offsets below 32 KiB).
            Note(big.Tail.ToString());
        }
        catch (NullReferenceException)
        {
            Note("far-field");
        }
        try
        {
            Note(nothing.Describe());
        }
        catch (NullReferenceException)
        {
            Note("call");
        }
        Expect.Equal("field far-field call", s_log, "null dereferences become exceptions");
    }

    public static void DivisionFaultsBecomeExceptions()
    {
        Begin();
        try
        {
            Note((Index(7) / Index(0)).ToString());
        }
        catch (DivideByZeroException)
        {
            Note("int");
        }
        try
        {
            Note((Long(7) % Long(0)).ToString());
        }
        catch (DivideByZeroException)
        {
            Note("long");
        }
        try
        {
            Note((Index(int.MinValue) / Index(-1)).ToString());
        }
        catch (OverflowException)
        {
            Note("int-overflow");
        }
        try
        {
            Note((Long(long.MinValue) / Long(-1)).ToString());
        }
        catch (OverflowException)
        {
            Note("long-overflow");
        }
        Note((Index(int.MinValue + 1) / Index(-1)).ToString());
        Expect.Equal("int long int-overflow long-overflow 2147483647", s_log, "#DE becomes DivideByZero or Overflow");
    }

    public static void StackTraceNamesTheFrames()
    {
        try
        {
            DeepThrower(2);
        }
        catch (InvalidOperationException e)
        {
            string trace = e.StackTrace;
            int thrower = TextIndex(trace, "ManagedExceptionTests::ThrowInvalidOperation");
            int deep = TextIndex(trace, "ManagedExceptionTests::DeepThrower");
            int self = TextIndex(trace, "ManagedExceptionTests::StackTraceNamesTheFrames");
            Expect.True(thrower >= 0 && deep > thrower && self > deep, "frames from the throw site to the catch: " + trace);
            Expect.True(TextIndex(trace, "TestRunner") < 0, "the trace ends at the catching frame: " + trace);
        }
    }

    // Helpers. NoInlining keeps each a real frame so the unwinder has frames to cross.
}
#endif
