// Faults in managed code that C# sees as exceptions (.NET's behaviour): a page fault in the unmapped range below
// 32 KiB is a NullReferenceException (ILC emits no null check before a field access at an offset under 32 KiB on
// this target, relying on the fault), a divide error is a DivideByZeroException or, for MinValue / -1, an
// OverflowException. The interrupt handler asks TryRaise; when it says yes the frame now returns (iretq) into
// RhpThrowHwEx in shim/exceptions.asm, which throws from the faulting instruction as if it had called a throw.
// Everything else - faults in the shim or the firmware, in interrupt handlers, on a stack's guard page - still panics.
using System;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Memory;

namespace Kernel.Exceptions;

/// <summary>Turns CPU faults in managed code into exceptions.</summary>
public static unsafe class HardwareExceptions
{
    // Page fault error code bits (Intel SDM Vol. 3A §4.7): P (the page was present), I/D (instruction fetch).
    private const ulong PageFaultPresent = 1 << 0;
    private const ulong PageFaultInstructionFetch = 1 << 4;
    private const int PageFaultVector = 14;
    private const int DivideErrorVector = 0;

    // The longest x86 instruction (SDM Vol. 2A §2.3.11).
    private const int MaxInstructionBytes = 15;

    private static ulong s_throwEntry;

    internal static void SetThrowEntry(ulong address) => s_throwEntry = address;

    /// <summary>
    /// If the fault in frame happened in managed code outside any interrupt handler and is one C# has an exception
    /// for, points the frame at the throw stub and says true: returning from the interrupt then throws.
    /// </summary>
    /// <remarks>Safety: frame is the live frame of a #PF or #DE being handled, interruptDepth how many interrupt
    /// handlers run (1: only this one).</remarks>
    public static bool TryRaise(ref InterruptFrame frame, int interruptDepth)
    {
        if (s_throwEntry == 0 || interruptDepth != 1 || AddressSpaceLayout.GuardPageSlot(frame.Rsp) >= 0)
            return false;
        if (!StackWalker.TryLocate(frame.Rip, out CodeLocation location) || !location.IsManaged)
            return false;
        HardwareFault fault;
        if (frame.Vector == PageFaultVector)
        {
            if ((frame.ErrorCode & (PageFaultPresent | PageFaultInstructionFetch)) != 0 || Cpu.PageFaultAddress >= AddressSpaceLayout.NullGuardBytes)
                return false;
            fault = HardwareFault.NullReference;
        }
        else if (frame.Vector == DivideErrorVector)
        {
            if (!TryClassifyDivideError(ref frame, out fault))
                return false;
        }
        else
        {
            return false;
        }
        frame.Rdx = frame.Rip;
        frame.Rcx = (ulong)fault;
        frame.Rip = s_throwEntry;
        return true;
    }

    private static bool TryClassifyDivideError(ref InterruptFrame frame, out HardwareFault fault)
    {
        fault = HardwareFault.DivideByZero;
        // Safe: the instruction lies in the image's managed code (checked by the caller), which is mapped readable.
        var code = new ReadOnlySpan<byte>((void*)frame.Rip, MaxInstructionBytes);
        if (!DivideErrorDecoder.TryDecode(code, out DivisorOperand operand))
            return false;
        ulong divisor;
        if (operand.IsRegister)
        {
            divisor = Register(ref frame, operand.Register);
            // Without REX, byte registers 4-7 are ah, ch, dh, bh (the JIT never divides by those).
            if (operand.Bits == 8 && operand.Register >= 4 && operand.Register < 8)
                return false;
        }
        else
        {
            ulong baseValue = operand.BaseRegister >= 0 ? Register(ref frame, operand.BaseRegister) : 0;
            ulong indexValue = operand.IndexRegister >= 0 ? Register(ref frame, operand.IndexRegister) : 0;
            // Safe: the faulting instruction has just read this operand without faulting.
            ulong address = operand.Address(baseValue, indexValue, frame.Rip);
            divisor = operand.Bits switch
            {
                8 => *(byte*)address,
                16 => *(ushort*)address,
                32 => *(uint*)address,
                _ => *(ulong*)address,
            };
        }
        fault = DivideErrorDecoder.IsOverflow(operand, divisor) ? HardwareFault.Overflow : HardwareFault.DivideByZero;
        return true;
    }

    private static ulong Register(ref InterruptFrame frame, int number) => number switch
    {
        0 => frame.Rax, 1 => frame.Rcx, 2 => frame.Rdx, 3 => frame.Rbx, 4 => frame.Rsp, 5 => frame.Rbp, 6 => frame.Rsi, 7 => frame.Rdi,
        8 => frame.R8, 9 => frame.R9, 10 => frame.R10, 11 => frame.R11, 12 => frame.R12, 13 => frame.R13, 14 => frame.R14, _ => frame.R15,
    };
}
