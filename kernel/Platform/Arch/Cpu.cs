// Safe wrappers over single CPU instructions in shim/cpu.asm: how code above the low layer halts, masks
// interrupts, reads the clock and, in tests, raises exceptions on purpose.
namespace Kernel.Arch;

/// <summary>Halting, the interrupt flag, control registers and the time stamp counter.</summary>
public static class Cpu
{
    private const ulong InterruptFlag = 1UL << 9; // RFLAGS.IF, Intel SDM Vol. 1 §3.4.3

    // Where a CPU's index sits in its per-CPU block (Kernel.Cpus.CpuBlock.Index), read through GS.
    private const ulong CpuIndexOffset = 0x08;

    private static bool s_perCpuBlocks;

    /// <summary>The running CPU's index (0: the boot CPU), from its per-CPU block; 0 before the blocks exist.</summary>
    public static int CurrentIndex => s_perCpuBlocks ? (int)Native.ReadGs64(CpuIndexOffset) : 0;

    /// <summary>From now on every CPU's GS base points at its per-CPU block (Processors.InitializeBootCpu calls this).</summary>
    /// <remarks>Safety: the running CPU's GS base must already point at a block with its index at offset 8.</remarks>
    public static void UsePerCpuBlocks() => s_perCpuBlocks = true;

    /// <summary>Sleeps until the next interrupt.</summary>
    public static void Halt() => Native.Halt();

    /// <summary>Enables interrupts and halts in one step (sti takes effect after hlt starts): no wake-up is lost.</summary>
    public static void EnableInterruptsAndHalt() => Native.EnableInterruptsAndHalt();

    /// <summary>Disables interrupts and halts for good.</summary>
    public static void HaltForever() => Native.HaltForever();

    /// <summary>Clears RFLAGS.IF.</summary>
    public static void DisableInterrupts() => Native.DisableInterrupts();

    /// <summary>Sets RFLAGS.IF.</summary>
    public static void EnableInterrupts() => Native.EnableInterrupts();

    /// <summary>Whether maskable interrupts are enabled.</summary>
    public static bool InterruptsEnabled => (Native.ReadFlags() & InterruptFlag) != 0;

    /// <summary>The linear address of the last page fault (CR2).</summary>
    public static ulong PageFaultAddress => Native.ReadCr2();

    /// <summary>The physical address of the active top-level page table (CR3).</summary>
    public static ulong PageTableRoot => Native.ReadCr3();

    /// <summary>The current code segment selector.</summary>
    public static ushort CodeSegment => Native.ReadCs();

    /// <summary>The time stamp counter.</summary>
    public static ulong ReadTimeStampCounter() => Native.ReadTimeStampCounter();

    /// <summary>Executes int3.</summary>
    public static void Breakpoint() => Native.Breakpoint();

    /// <summary>Executes ud2.</summary>
    public static void InvalidOpcode() => Native.InvalidOpcode();

    /// <summary>Spin-wait hint.</summary>
    public static void Pause() => Native.Pause();

    /// <summary>Drops the TLB entry of the page holding virtualAddress (invlpg, Intel SDM Vol. 3A §4.10.4.1).</summary>
    public static void InvalidatePage(ulong virtualAddress) => Native.InvalidatePage(virtualAddress);

    /// <summary>Executes int 64, a vector nothing handles (for the should-panic test of unexpected vectors).</summary>
    public static void RaiseUnexpectedVector() => Native.RaiseVector64();

    /// <summary>Loads selector into DS; a selector the GDT does not hold raises #GP with it as the error code.</summary>
    public static void LoadDataSegment(ushort selector) => Native.LoadDataSegment(selector);
}
