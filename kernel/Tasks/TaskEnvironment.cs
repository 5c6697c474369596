// What the task machinery needs from the machine: stopping on a broken invariant (a kernel panic) and keeping
// interrupt handlers out while the ready queue changes. In the host tests, which compile these files against
// normal .NET, failures throw instead and there are no interrupts.
using System;
#if KERNEL
using Kernel.Arch;
using Kernel.Boot;
#endif

namespace Kernel.Tasks
{
    /// <summary>The kernel (or host) services the executor and task builders use.</summary>
    internal static class TaskEnvironment
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

        /// <summary>Disables interrupts and returns whether they were enabled.</summary>
        public static bool DisableInterrupts()
        {
#if KERNEL
            bool wereEnabled = Cpu.InterruptsEnabled;
            Cpu.DisableInterrupts();
            return wereEnabled;
#else
            return false;
#endif
        }

        /// <summary>Enables interrupts again if wereEnabled.</summary>
        public static void RestoreInterrupts(bool wereEnabled)
        {
#if KERNEL
            if (wereEnabled)
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
    }
}
