#if KERNEL_TESTS
// In-kernel tests of the early exception handling: int3 resumes; real faults end in a readable panic
// (those tests panic, so each runs in its own boot: the host harness checks what the panic says).
using System;
using Kernel.Arch;
using Kernel.Boot;
using Kernel.Testing;

namespace Kernel.Interrupts
{
    internal static unsafe class ExceptionTests
    {
        public static void BreakpointResumes()
        {
            ulong before = InterruptDispatcher.BreakpointCount;
            Cpu.Breakpoint();
            Cpu.Breakpoint();
            Expect.Equal(before + 2, InterruptDispatcher.BreakpointCount, "breakpoints handled");
        }

        public static void DivideByZeroPanics()
        {
            int zero = (int)(Cpu.ReadTimeStampCounter() & 0);
            Expect.True(100 / zero == -1, "unreachable");
        }

        public static void InvalidOpcodePanics() => Cpu.InvalidOpcode();

        public static void NonCanonicalAddressPanics()
        {
            ulong* nonCanonical = (ulong*)0x8000_0000_0000_0000;
            Expect.True(*nonCanonical == 1, "unreachable");
        }

        public static void ExplicitPanic() => Panic.Halt("test panic", "from ExceptionTests.ExplicitPanic");

        public static void UnhandledExceptionPanics() => throw new InvalidOperationException("boom from a test");
    }
}
#endif
