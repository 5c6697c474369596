// Where every vector enters C#: shim/interrupt_stubs.asm saves the registers and calls KernelInterruptDispatch with
// a pointer to the saved frame. The low layer turns that pointer into a ref and hands it to the one handler the
// kernel installed (the Interrupts chapter's dispatcher), so no code above this file sees a raw frame pointer.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

/// <summary>Handles one interrupt or exception; may change the frame to resume elsewhere.</summary>
public delegate void InterruptHandler(ref InterruptFrame frame);

/// <summary>The C# side of the interrupt stubs.</summary>
public static class InterruptEntry
{
    // The most CPUs with their own count (AddressSpaceLayout.MaxCpus; Arch cannot name Memory).
    private const int MaxCpus = 256;

    private static InterruptHandler s_handler;
    // Per CPU: a handler on one CPU says nothing about another's. Made with the image (no allocation in interrupts).
    private static readonly int[] s_depth = new int[MaxCpus];

    /// <summary>How many interrupt or exception handlers are running on this CPU (nested ones count too): 1 inside
    /// a handler that interrupted ordinary code.</summary>
    public static int Depth => s_depth[Cpu.CurrentIndex];

    /// <summary>Installs the handler for every vector; call before the IDT can deliver anything.</summary>
    public static void SetHandler(InterruptHandler handler) => s_handler = handler;

    [UnmanagedCallersOnly(EntryPoint = "KernelInterruptDispatch")]
    private static unsafe void Dispatch(InterruptFrame* frame)
    {
        // Safe: the stub passes its own stack frame, valid until this returns; nothing keeps the ref.
        InterruptHandler handler = s_handler;
        if (handler == null)
        {
            // A vector before the kernel installed its handler: there is no way to report it yet.
            Cpu.HaltForever();
        }
        int cpu = Cpu.CurrentIndex;
        s_depth[cpu]++;
        handler(ref *frame);
        s_depth[cpu]--;
    }
}
