// What the task machinery needs from the machine besides the interrupts-off scope (Kernel.Arch.InterruptsOff):
// stopping on a broken invariant (a kernel panic), rethrowing a faulted task's exception in its awaiter, the
// interrupt flag for the run loop, the race-free idle, and a timestamp. In the host tests, which compile these
// files against normal .NET, failures throw instead, there are no interrupts, and the test project supplies its
// own InterruptsOff.
using System;
using System.Runtime.ExceptionServices;
#if KERNEL
using Kernel.Arch;
using Kernel.Diagnostics;
#endif

namespace Kernel.Tasks;

/// <summary>The kernel (or host) services the executor, the timers and the task builders use.</summary>
public static class TaskEnvironment
{
    /// <summary>Stops on a broken task invariant: a panic in the kernel, an exception on the host.</summary>
    public static void Fail(string message, string detail = null)
    {
#if KERNEL
        Panic.Halt(message, detail);
#else
        throw new InvalidOperationException(detail == null ? message : message + ": " + detail);
#endif
    }

    /// <summary>
    /// Throws exception again, the same object, in the awaiting method, keeping its original stack trace
    /// (ExceptionDispatchInfo, as .NET's await does; the kernel's corelib has the same static Throw).
    /// </summary>
    public static void Rethrow(Exception exception) => ExceptionDispatchInfo.Throw(exception);

    /// <summary>Clears the interrupt flag (the run loop takes a task with interrupts off).</summary>
    public static void DisableInterrupts()
    {
#if KERNEL
        Cpu.DisableInterrupts();
#endif
    }

    /// <summary>Sets the interrupt flag (the run loop runs tasks with interrupts on).</summary>
    public static void EnableInterrupts()
    {
#if KERNEL
        Cpu.EnableInterrupts();
#endif
    }

    /// <summary>Sleeps until the next interrupt, enabling interrupts in the same step (race-free idle).</summary>
    public static void EnableInterruptsAndHalt()
    {
#if KERNEL
        Cpu.EnableInterruptsAndHalt();
#endif
    }

    /// <summary>A spin-wait hint while another CPU finishes (nothing on the host).</summary>
    public static void Pause()
    {
#if KERNEL
        Cpu.Pause();
#endif
    }

    /// <summary>The running CPU's index (0 on the host, and before other CPUs exist).</summary>
    public static int CurrentCpu
    {
        get
        {
#if KERNEL
            return Cpu.CurrentIndex;
#else
            return 0;
#endif
        }
    }

    /// <summary>A cycle count for latency figures: the time stamp counter, or the host's stopwatch.</summary>
    public static ulong Timestamp()
    {
#if KERNEL
        return Cpu.ReadTimeStampCounter();
#else
        return (ulong)System.Diagnostics.Stopwatch.GetTimestamp();
#endif
    }
}
