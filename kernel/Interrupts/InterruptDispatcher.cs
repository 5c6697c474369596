// The one C# entry for every vector: shim/interrupt_stubs.asm calls it with the saved frame.
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Boot;

namespace Kernel.Interrupts
{
    /// <summary>Routes each interrupt or exception to its handler.</summary>
    internal static unsafe class InterruptDispatcher
    {
        private static ulong s_breakpointCount;

        /// <summary>How many int3 breakpoints were handled (and resumed from).</summary>
        public static ulong BreakpointCount => s_breakpointCount;

        [UnmanagedCallersOnly(EntryPoint = "KernelInterruptDispatch")]
        private static void Dispatch(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            if (vector == ExceptionVectors.Breakpoint)
            {
                // A trap: RIP already points past int3, so returning resumes the code.
                s_breakpointCount++;
                return;
            }
            Panic.FromException(frame);
        }
    }
}
