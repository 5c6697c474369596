// Turns a CPU exception into a panic a person can act on: the exception's name, its decoded error code, where it
// happened (symbolized), what it most likely means (null reference, stack overflow), the registers and the
// faulting code's stack trace.
using System.Diagnostics.CodeAnalysis;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Interrupts;

/// <summary>The panic for an exception the kernel does not handle.</summary>
public static class ExceptionReport
{
    /// <summary>Panics with the exception's name, error code, place and registers.</summary>
    [DoesNotReturn]
    public static void Panic(ref InterruptFrame frame)
    {
        int vector = (int)frame.Vector;
        string text = "CPU exception " + ExceptionVectors.Name(vector) + ", vector " + vector.ToString();
        if (vector == ExceptionVectors.PageFault && Cpu.PageFaultAddress < AddressSpaceLayout.NullGuardBytes)
            text = "null reference (" + text + ")";
        // A fault with the stack pointer in a guard page could not even push its own frame: a stack overflow. So is
        // one with the stack pointer exactly at the guard page's top: the push that faulted wrote below it.
        int guardSlot = AddressSpaceLayout.GuardPageSlot(frame.Rsp);
        if (guardSlot < 0)
            guardSlot = AddressSpaceLayout.GuardPageSlot(frame.Rsp - 1);
        if (guardSlot >= 0)
            text = "kernel stack overflow (" + text + "): the stack pointer hit the guard page of stack slot " + guardSlot.ToString();
        string detail = "at " + Symbols.Describe(frame.Rip);
        if (ExceptionVectors.HasErrorCode(vector))
        {
            detail = detail + "\n  error code 0x" + frame.ErrorCode.ToString("x");
            if (vector == ExceptionVectors.PageFault)
                detail = detail + ": " + ExceptionVectors.DescribePageFault(frame.ErrorCode);
            else if (vector >= ExceptionVectors.InvalidTss && vector <= ExceptionVectors.GeneralProtection)
                detail = detail + ", selector " + ExceptionVectors.DescribeSelectorError(frame.ErrorCode);
        }
        if (vector == ExceptionVectors.PageFault)
            detail = detail + "\n  address (CR2) " + Hex(Cpu.PageFaultAddress);
        detail = detail + "\n  " + Registers(ref frame);
        Diagnostics.Panic.Halt(text, detail, StackTraceText.From(FaultingContext(ref frame)));
    }

    // The interrupted code's registers, where its stack trace starts.
    private static RegisterContext FaultingContext(ref InterruptFrame f)
    {
        var context = new RegisterContext { Rip = f.Rip };
        context.Rsp = f.Rsp;
        context.Set(RegisterContext.Rbx, f.Rbx);
        context.Set(RegisterContext.Rbp, f.Rbp);
        context.Set(RegisterContext.Rsi, f.Rsi);
        context.Set(RegisterContext.Rdi, f.Rdi);
        context.R12 = f.R12;
        context.R13 = f.R13;
        context.R14 = f.R14;
        context.R15 = f.R15;
        return context;
    }

    private static string Registers(ref InterruptFrame f) =>
        "rip " + Hex(f.Rip) + " rsp " + Hex(f.Rsp) + " rflags " + Hex(f.Rflags) + " cs " + Hex(f.Cs) + "\n"
        + "  rax " + Hex(f.Rax) + " rbx " + Hex(f.Rbx) + " rcx " + Hex(f.Rcx) + " rdx " + Hex(f.Rdx) + "\n"
        + "  rsi " + Hex(f.Rsi) + " rdi " + Hex(f.Rdi) + " rbp " + Hex(f.Rbp) + " r8  " + Hex(f.R8) + "\n"
        + "  r9  " + Hex(f.R9) + " r10 " + Hex(f.R10) + " r11 " + Hex(f.R11) + " r12 " + Hex(f.R12) + "\n"
        + "  r13 " + Hex(f.R13) + " r14 " + Hex(f.R14) + " r15 " + Hex(f.R15);

    private static string Hex(ulong value) => "0x" + value.ToString("x16");
}
