// The stack frame an interrupt leaves for the C# dispatcher: the registers shim/interrupt_stubs.asm saves
// (lowest address first), then the stub's vector and error code, then what the CPU pushed (Intel SDM Vol. 3A
// §6.14.1, Figure 6-9). Keep in step with interrupt_common in shim/interrupt_stubs.asm.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

/// <summary>Saved state of the interrupted code; a handler may change it to resume elsewhere.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct InterruptFrame
{
    public ulong R15, R14, R13, R12, R11, R10, R9, R8;
    public ulong Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;

    /// <summary>The IDT vector that fired.</summary>
    public ulong Vector;

    /// <summary>The CPU's error code, or zero for vectors without one.</summary>
    public ulong ErrorCode;

    /// <summary>Where execution resumes (for faults: the faulting instruction).</summary>
    public ulong Rip;

    public ulong Cs;
    public ulong Rflags;
    public ulong Rsp;
    public ulong Ss;
}
