#if KERNEL_TESTS
// In-kernel tests of the early exception handling: int3 resumes; real faults end in a readable panic with the
// faulting code's stack trace, and faults C# has an exception for end as unhandled exceptions (those tests panic, so each runs in its own boot: the host harness checks what the panic says).
using System;
using Kernel.Arch;
using Kernel.Diagnostics;
using Kernel.Interrupts;
namespace Kernel.Testing;

public static class ExceptionTests
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

    public static unsafe void NonCanonicalAddressPanics()
    {
        ulong* nonCanonical = (ulong*)0x8000_0000_0000_0000;
        Expect.True(*nonCanonical == 1, "unreachable");
    }

    public static void CriticalVectorsUseInterruptStacks()
    {
        Expect.Equal(Tss.DoubleFaultStack, Idt.InterruptStackOf(ExceptionVectors.DoubleFault), "#DF uses IST 1");
        Expect.Equal(Tss.NonMaskableInterruptStack, Idt.InterruptStackOf(ExceptionVectors.NonMaskableInterrupt), "NMI uses IST 2");
        Expect.Equal(Tss.MachineCheckStack, Idt.InterruptStackOf(ExceptionVectors.MachineCheck), "#MC uses IST 3");
        Expect.Equal(0, Idt.InterruptStackOf(ExceptionVectors.PageFault), "#PF stays on the current stack");
        ulong top = Tss.InterruptStackTop(Tss.DoubleFaultStack);
        Expect.True(Memory.KernelAddressSpace.Translate(top - 8, out _, out _), "the double-fault stack is mapped");
        Expect.True(!Memory.KernelAddressSpace.Translate(top - Memory.AddressSpaceLayout.InterruptStackBytes - 8, out _, out _),
            "with a guard page below it");
    }

    public static void StackOverflowPanics() => Expect.True(Recurse(0) == -1, "unreachable");

    // Not a tail call (the result is used), and each frame keeps a buffer, so this really eats the stack.
    private static int Recurse(int depth)
    {
        Span<byte> frame = stackalloc byte[128];
        frame[depth & 127] = (byte)depth;
        return Recurse(depth + 1) + frame[0];
    }

    public static void UnexpectedVectorPanics() => Cpu.RaiseUnexpectedVector();

    // Selector 0x28 is GDT entry 5, past the end of the kernel GDT (entries 0-4): mov ds faults with #GP(0x28).
    public static void BadSelectorPanics() => Cpu.LoadDataSegment(0x28);

    public static void ExplicitPanic() => Panic.Halt("test panic", "from ExceptionTests.ExplicitPanic");

    // Three frames deep, so the panic's trace must name them innermost first.
    public static void UnhandledExceptionPanics() => Expect.True(ThrowMiddle(1) == -1, "unreachable");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int ThrowMiddle(int depth) => ThrowDeepest(depth) + 1;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int ThrowDeepest(int depth) => depth > 0 ? throw new InvalidOperationException("boom from a test") : depth;
}
#endif
