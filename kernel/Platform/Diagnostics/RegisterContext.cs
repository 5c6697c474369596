// The registers that survive a call on x64 (Microsoft x64 ABI: rbx, rbp, rsi, rdi, r12-r15, xmm6-xmm15), plus RIP,
// RSP and the volatile ones an unwind code may name: what one frame of a stack walk knows. The unwinder steps it
// from a frame to its caller; the exception stubs in shim/exceptions.asm fill it at a throw and load it to resume
// after a catch. Keep the layout in step with the CONTEXT_* offsets in shim/exceptions.asm.
using System.Runtime.InteropServices;

namespace Kernel.Diagnostics;

/// <summary>A frame's register state; general-purpose registers in the x64 encoding order (rax = 0 ... r15 = 15).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RegisterContext
{
    /// <summary>Register numbers as unwind codes and ModRM bytes encode them (Intel SDM Vol. 2A §2.1.5).</summary>
    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, RspNumber = 4, Rbp = 5, Rsi = 6, Rdi = 7;

    /// <summary>The first callee-saved XMM register (xmm0-xmm5 are volatile in the Microsoft x64 ABI).</summary>
    public const int FirstSavedXmm = 6;

    /// <summary>How many XMM registers the context keeps (xmm6-xmm15).</summary>
    public const int SavedXmmCount = 10;

    public ulong R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14, R15;

    /// <summary>The instruction pointer: a return address, or for the first frame the throw or fault site.</summary>
    public ulong Rip;

    private ulong _padding;

    // xmm6 to xmm15, low then high quadword each.
    public ulong X6Low, X6High, X7Low, X7High, X8Low, X8High, X9Low, X9High, X10Low, X10High;
    public ulong X11Low, X11High, X12Low, X12High, X13Low, X13High, X14Low, X14High, X15Low, X15High;

    /// <summary>The stack pointer (register 4).</summary>
    public ulong Rsp
    {
        readonly get => R4;
        set => R4 = value;
    }

    /// <summary>General-purpose register number (0-15).</summary>
    public readonly ulong Get(int register) => register switch
    {
        0 => R0, 1 => R1, 2 => R2, 3 => R3, 4 => R4, 5 => R5, 6 => R6, 7 => R7,
        8 => R8, 9 => R9, 10 => R10, 11 => R11, 12 => R12, 13 => R13, 14 => R14, _ => R15,
    };

    /// <summary>Sets general-purpose register number (0-15).</summary>
    public void Set(int register, ulong value)
    {
        switch (register)
        {
            case 0: R0 = value; break;
            case 1: R1 = value; break;
            case 2: R2 = value; break;
            case 3: R3 = value; break;
            case 4: R4 = value; break;
            case 5: R5 = value; break;
            case 6: R6 = value; break;
            case 7: R7 = value; break;
            case 8: R8 = value; break;
            case 9: R9 = value; break;
            case 10: R10 = value; break;
            case 11: R11 = value; break;
            case 12: R12 = value; break;
            case 13: R13 = value; break;
            case 14: R14 = value; break;
            default: R15 = value; break;
        }
    }

    /// <summary>The low quadword of xmm register (6-15).</summary>
    public readonly ulong XmmLow(int register) => register switch
    {
        6 => X6Low, 7 => X7Low, 8 => X8Low, 9 => X9Low, 10 => X10Low,
        11 => X11Low, 12 => X12Low, 13 => X13Low, 14 => X14Low, _ => X15Low,
    };

    /// <summary>The high quadword of xmm register (6-15).</summary>
    public readonly ulong XmmHigh(int register) => register switch
    {
        6 => X6High, 7 => X7High, 8 => X8High, 9 => X9High, 10 => X10High,
        11 => X11High, 12 => X12High, 13 => X13High, 14 => X14High, _ => X15High,
    };

    /// <summary>Sets xmm register (6-15); the unwinder only restores callee-saved ones.</summary>
    public void SetXmm(int register, ulong low, ulong high)
    {
        switch (register)
        {
            case 6: X6Low = low; X6High = high; break;
            case 7: X7Low = low; X7High = high; break;
            case 8: X8Low = low; X8High = high; break;
            case 9: X9Low = low; X9High = high; break;
            case 10: X10Low = low; X10High = high; break;
            case 11: X11Low = low; X11High = high; break;
            case 12: X12Low = low; X12High = high; break;
            case 13: X13Low = low; X13High = high; break;
            case 14: X14Low = low; X14High = high; break;
            default: X15Low = low; X15High = high; break;
        }
    }
}
