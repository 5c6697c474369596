// The one way the kernel stops on an error: a red panic screen plus the same text on serial, then a halt
// (or, when running tests under QEMU, a failing exit status so the harness sees it).
using System.Diagnostics.CodeAnalysis;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Interrupts;
using Kernel.Memory;

namespace Kernel.Boot
{
    /// <summary>Kernel panics.</summary>
    internal static unsafe class Panic
    {
        private static bool s_panicking;
        private static bool s_exitQemuOnPanic;
        private static bool s_expectPanic;

        /// <summary>Whether a panic ends a QEMU test run (with failure, or success when the test expects it).</summary>
        public static void ConfigureForTests(bool exitQemu) => s_exitQemuOnPanic = exitQemu;

        /// <summary>Marks the next panic as the expected outcome of a should-panic test: QEMU then exits with success.</summary>
        public static void ExpectPanic() => s_expectPanic = true;

        /// <summary>Stops the kernel with a message.</summary>
        [DoesNotReturn]
        public static void Halt(string message) => Halt(message, null);

        /// <summary>Stops the kernel with a message and a detail line.</summary>
        [DoesNotReturn]
        public static void Halt(string message, string detail)
        {
            Cpu.DisableInterrupts();
            if (s_panicking)
            {
                // A panic while printing a panic: keep to the simplest output path.
                Serial16550.Write("\npanic while panicking: ");
                Serial16550.Write(message);
                Serial16550.Write("\n");
                Finish();
            }
            s_panicking = true;
            string text = "\nKERNEL PANIC: " + message + "\n";
            if (detail != null)
                text = text + "  " + detail + "\n";
            Terminal.ShowPanic(text + "  The kernel has stopped.\n");
            Finish();
        }

        /// <summary>Panics for a CPU exception, with the exception's name, error code, where it happened and the registers.</summary>
        [DoesNotReturn]
        public static void FromException(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            string text = "CPU exception " + ExceptionVectors.Name(vector) + ", vector " + vector.ToString();
            if (vector == ExceptionVectors.PageFault && Cpu.PageFaultAddress < AddressSpaceLayout.NullGuardBytes)
                text = "null reference (" + text + ")";
            // A fault with the stack pointer in a guard page could not even push its own frame: a stack overflow.
            int guardSlot = AddressSpaceLayout.GuardPageSlot(frame->Rsp);
            if (guardSlot >= 0)
                text = "kernel stack overflow (" + text + "): the stack pointer hit the guard page of stack slot " + guardSlot.ToString();
            string detail = "at " + Symbols.Describe(frame->Rip);
            if (ExceptionVectors.HasErrorCode(vector))
            {
                detail = detail + "\n  error code 0x" + frame->ErrorCode.ToString("x");
                if (vector == ExceptionVectors.PageFault)
                    detail = detail + ": " + ExceptionVectors.DescribePageFault(frame->ErrorCode);
                else if (vector >= ExceptionVectors.InvalidTss && vector <= ExceptionVectors.GeneralProtection)
                    detail = detail + ", selector " + ExceptionVectors.DescribeSelectorError(frame->ErrorCode);
            }
            if (vector == ExceptionVectors.PageFault)
                detail = detail + "\n  address (CR2) " + Hex(Cpu.PageFaultAddress);
            detail = detail + "\n  " + Registers(frame);
            Halt(text, detail);
        }

        /// <summary>Panic entry for the runtime (unhandled exceptions, out of memory).</summary>
        internal static void FromRuntime(string message, string detail) => Halt(message, detail);

        private static string Registers(InterruptFrame* f) =>
            "rip " + Hex(f->Rip) + " rsp " + Hex(f->Rsp) + " rflags " + Hex(f->Rflags) + " cs " + Hex(f->Cs) + "\n"
            + "  rax " + Hex(f->Rax) + " rbx " + Hex(f->Rbx) + " rcx " + Hex(f->Rcx) + " rdx " + Hex(f->Rdx) + "\n"
            + "  rsi " + Hex(f->Rsi) + " rdi " + Hex(f->Rdi) + " rbp " + Hex(f->Rbp) + " r8  " + Hex(f->R8) + "\n"
            + "  r9  " + Hex(f->R9) + " r10 " + Hex(f->R10) + " r11 " + Hex(f->R11) + " r12 " + Hex(f->R12) + "\n"
            + "  r13 " + Hex(f->R13) + " r14 " + Hex(f->R14) + " r15 " + Hex(f->R15);

        private static string Hex(ulong value) => "0x" + value.ToString("x16");

        [DoesNotReturn]
        private static void Finish()
        {
            if (s_exitQemuOnPanic)
                QemuExit.Exit(success: s_expectPanic);
            Cpu.HaltForever();
            while (true)
            {
            }
        }
    }
}
