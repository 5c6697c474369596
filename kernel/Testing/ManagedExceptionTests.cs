#if KERNEL_TESTS
// In-kernel tests of C# exceptions (kernel/Platform/Exceptions, the unwinder in kernel/Platform/Diagnostics): each
// test records what ran in a trace log and compares the whole log, so a handler that runs out of order, twice or
// not at all fails, not only a crash. This file: dispatch (catch, finally, filters, rethrow, nesting) and the
// helpers; ManagedExceptionTests.Faults.cs: the runtime's helpers, faults as exceptions, stack traces.
using System;
using System.Runtime.CompilerServices;

namespace Kernel.Testing;

public static partial class ManagedExceptionTests
{
    private static string s_log;

    public static void CatchesByExactType()
    {
        Begin();
        try
        {
            Note("try");
            ThrowInvalidOperation("exact");
            Note("after-throw");
        }
        catch (InvalidOperationException e)
        {
            Note("catch:" + e.Message);
        }
        Note("after");
        Expect.Equal("try catch:exact after", s_log, "handlers in order");
    }

    public static void CatchesByBaseType()
    {
        Begin();
        try
        {
            throw new ArgumentNullException("name");
        }
        catch (FormatException)
        {
            Note("format");
        }
        catch (ArgumentException e)
        {
            Note(e is ArgumentNullException ? "argument-null" : "argument");
        }
        catch (Exception)
        {
            Note("exception");
        }
        try
        {
            ThrowInvalidOperation("x");
        }
        catch (SystemException)
        {
            Note("system");
        }
        try
        {
            ThrowInvalidOperation("y");
        }
        catch
        {
            Note("any");
        }
        Expect.Equal("argument-null system any", s_log, "first matching clause, base types match");
    }

    public static void UnmatchedGoesToOuterHandler()
    {
        Begin();
        try
        {
            InnerWithFormatHandler();
            Note("not-here");
        }
        catch (InvalidOperationException e)
        {
            Note("outer:" + e.Message);
        }
        Expect.Equal("inner-try inner-finally outer:unmatched", s_log, "the inner handler does not match");
    }

    public static void FinallyRunsOnEveryExit()
    {
        Begin();
        FinallyOnNormalExit();
        Expect.Equal(3, FinallyOnReturn(), "the returned value");
        FinallyOnBreak();
        try
        {
            FinallyOnThrow();
        }
        catch (InvalidOperationException)
        {
            Note("caught");
        }
        Expect.Equal("normal finally1 return finally2 loop0 loop1 finally3 after-loop throw finally4 caught", s_log, "finally order");
    }

    public static void NestedTryBlocks()
    {
        Begin();
        try
        {
            try
            {
                try
                {
                    ThrowInvalidOperation("deep");
                }
                finally
                {
                    Note("f1");
                }
            }
            catch (FormatException)
            {
                Note("wrong");
            }
            finally
            {
                Note("f2");
            }
        }
        catch (InvalidOperationException e)
        {
            Note("c3:" + e.Message);
        }
        finally
        {
            Note("f3");
        }
        Expect.Equal("f1 f2 c3:deep f3", s_log, "innermost first, catch before its own finally");
    }

    public static void ThrowInCatchGoesOutward()
    {
        Begin();
        try
        {
            try
            {
                ThrowInvalidOperation("first");
            }
            catch (InvalidOperationException e)
            {
                Note("c1:" + e.Message);
                throw new FormatException("second");
            }
            finally
            {
                Note("f1");
            }
        }
        catch (FormatException e)
        {
            Note("c2:" + e.Message);
        }
        catch (InvalidOperationException)
        {
            Note("wrong");
        }
        Expect.Equal("c1:first f1 c2:second", s_log, "the new exception leaves the catch and runs the finally");
    }

    public static void ThrowInFinallyReplacesTheException()
    {
        Begin();
        try
        {
            try
            {
                ThrowInvalidOperation("original");
            }
            finally
            {
                Note("f1");
                throw new FormatException("replacement");
            }
        }
        catch (InvalidOperationException)
        {
            Note("wrong");
        }
        catch (FormatException e)
        {
            Note("c:" + e.Message);
        }
        Expect.Equal("f1 c:replacement", s_log, "the finally's exception replaces the original");
    }

    public static void FiltersDecideInTheFirstPass()
    {
        Begin();
        try
        {
            try
            {
                try
                {
                    ThrowInvalidOperation("filtered");
                }
                finally
                {
                    Note("f-inner");
                }
            }
            catch (InvalidOperationException e) when (Filter("no", false, e))
            {
                Note("wrong-no");
            }
            catch (InvalidOperationException e) when (ThrowingFilter(e))
            {
                Note("wrong-throwing");
            }
            catch (InvalidOperationException e) when (Filter("yes", true, e))
            {
                Note("c:" + e.Message);
            }
        }
        catch (Exception)
        {
            Note("wrong-outer");
        }
        // The filters run before any finally (first pass), the finally before the catch (second pass).
        Expect.Equal("filter-no filter-throws filter-yes f-inner c:filtered", s_log, "filters, then unwind, then catch");
    }

    public static void RethrowKeepsTheExceptionAndTrace()
    {
        Begin();
        Exception first = null;
        try
        {
            try
            {
                DeepThrower(3);
            }
            catch (InvalidOperationException e)
            {
                first = e;
                Note("c1");
                throw;
            }
        }
        catch (InvalidOperationException e)
        {
            Note(ReferenceEquals(first, e) ? "same" : "different");
            string trace = e.StackTrace;
            Expect.True(trace != null && TextIndex(trace, "DeepThrower") >= 0, "the rethrown trace names the original thrower: " + trace);
            int thrower = TextIndex(trace, "ManagedExceptionTests::ThrowInvalidOperation");
            int self = TextIndex(trace, "ManagedExceptionTests::RethrowKeepsTheExceptionAndTrace");
            Expect.True(thrower >= 0 && self > thrower, "the trace runs from the throw site outward: " + trace);
        }
        Expect.Equal("c1 same", s_log, "rethrow");
    }

    public static void UnwindReleasesEveryScope()
    {
        Begin();
        try
        {
            Recurse(24);
        }
        catch (InvalidOperationException e)
        {
            Note("caught:" + e.Message);
        }
        Expect.Equal("open1 open2 open3 dispose3 dispose2 dispose1 caught:bottom", s_log, "all three using scopes released, innermost first");
    }

    public static void NestedExceptionsInsideHandlers()
    {
        Begin();
        try
        {
            ThrowInvalidOperation("outer");
        }
        catch (InvalidOperationException)
        {
            try
            {
                ThrowFormat("in-catch");
            }
            catch (FormatException e)
            {
                Note("c-in-catch:" + e.Message);
            }
            Note("catch-done");
        }
        try
        {
            try
            {
                ThrowInvalidOperation("unwinding");
            }
            finally
            {
                try
                {
                    ThrowFormat("in-finally");
                }
                catch (FormatException e)
                {
                    Note("c-in-finally:" + e.Message);
                }
            }
        }
        catch (InvalidOperationException e)
        {
            Note("c:" + e.Message);
        }
        Expect.Equal("c-in-catch:in-catch catch-done c-in-finally:in-finally c:unwinding", s_log, "exceptions handled inside handlers");
    }

    private static void Begin() => s_log = null;

    private static void Note(string what) => s_log = s_log == null ? what : s_log + " " + what;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFormat(string message) => throw new FormatException(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int DeepThrower(int depth)
    {
        if (depth == 0)
            ThrowInvalidOperation("deep");
        return DeepThrower(depth - 1) + 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void InnerWithFormatHandler()
    {
        try
        {
            Note("inner-try");
            ThrowInvalidOperation("unmatched");
        }
        catch (FormatException)
        {
            Note("wrong");
        }
        finally
        {
            Note("inner-finally");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinallyOnNormalExit()
    {
        try
        {
            Note("normal");
        }
        finally
        {
            Note("finally1");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FinallyOnReturn()
    {
        try
        {
            Note("return");
            return 3;
        }
        finally
        {
            Note("finally2");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinallyOnBreak()
    {
        for (int i = 0; i < 10; i++)
        {
            try
            {
                Note("loop" + i.ToString());
                if (i == 1)
                    break;
            }
            finally
            {
                if (i == 1)
                    Note("finally3");
            }
        }
        Note("after-loop");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinallyOnThrow()
    {
        try
        {
            Note("throw");
            ThrowInvalidOperation("finally4");
        }
        finally
        {
            Note("finally4");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Filter(string name, bool result, Exception e)
    {
        Note("filter-" + name);
        return result && e.Message == "filtered";
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool ThrowingFilter(Exception e)
    {
        Note("filter-throws");
        ThrowFormat("from a filter");
        return true;
    }

    // Three using scopes spread over more than twenty frames: the exception from the bottom passes them all.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int depth)
    {
        if (depth == 0)
            ThrowInvalidOperation("bottom");
        if (depth == 20 || depth == 12 || depth == 4)
        {
            using var scope = new Scope(depth == 20 ? 1 : depth == 12 ? 2 : 3);
            return Recurse(depth - 1) + 1;
        }
        return Recurse(depth - 1) + 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Index(int value) => value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Long(long value) => value;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object Pass(object value) => value;

    private static int TextIndex(string text, string part)
    {
        if (text == null)
            return -1;
        for (int i = 0; i + part.Length <= text.Length; i++)
        {
            int j = 0;
            while (j < part.Length && text[i + j] == part[j])
                j++;
            if (j == part.Length)
                return i;
        }
        return -1;
    }

    private sealed class Scope : IDisposable
    {
        private readonly int _number;

        public Scope(int number)
        {
            _number = number;
            Note("open" + number.ToString());
        }

        public void Dispose() => Note("dispose" + _number.ToString());
    }

    private sealed class Holder
    {
        public long Value;

        [MethodImpl(MethodImplOptions.NoInlining)]
        public string Describe() => Value.ToString();
    }

    private sealed class Version
    {
        public int Number;
    }

    // A 12 KiB object: Tail sits between 4 KiB and 32 KiB from the start.
    private sealed class Big
    {
        public Padding Pad;
        public long Tail;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 12 * 1024)]
    private struct Padding
    {
        public byte First;
    }
}
#endif
