// Safe wrappers over single CPU instructions in shim/cpu.asm, for code outside kernel/Arch.
namespace Kernel.Arch
{
    /// <summary>Halting, the interrupt flag, control registers and the time stamp counter.</summary>
    internal static class Cpu
    {
        private const ulong InterruptFlag = 1UL << 9; // RFLAGS.IF, Intel SDM Vol. 1 §3.4.3

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
    }
}
