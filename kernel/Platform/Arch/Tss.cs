// The 64-bit task-state segment (Intel SDM Vol. 3A §8.7, Figure 8-11): in long mode it only holds stack
// pointers, among them the Interrupt Stack Table that gives double faults, NMIs and machine checks a known-good
// stack of their own.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

/// <summary>Task-state segments: the boot CPU's, and the layout of each other CPU's.</summary>
public static class Tss
{
    /// <summary>IST slots (1-based, as in the IDT gate's IST field).</summary>
    public const int DoubleFaultStack = 1;
    public const int NonMaskableInterruptStack = 2;
    public const int MachineCheckStack = 3;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private unsafe struct TaskState
    {
        public uint Reserved0;
        public ulong Rsp0;
        public ulong Rsp1;
        public ulong Rsp2;
        public ulong Reserved1;
        public fixed ulong InterruptStackTable[7];
        public ulong Reserved2;
        public ushort Reserved3;
        public ushort IoMapBase;
    }

    private static TaskState s_state;

    /// <summary>Bytes of a task-state segment.</summary>
    public static unsafe int StateBytes => sizeof(TaskState);

    /// <summary>Sets IST slot (1..7) to a stack top, loads the TSS, and returns.</summary>
    /// <remarks>Safety: each top must be the 16-byte aligned top of a mapped stack reserved for that use.</remarks>
    public static unsafe void Install(ulong doubleFaultTop, ulong nmiTop, ulong machineCheckTop)
    {
        fixed (TaskState* state = &s_state)
        {
            Fill(state, doubleFaultTop, nmiTop, machineCheckTop);
            Gdt.LoadTaskState((ulong)state, (uint)sizeof(TaskState));
        }
    }

    /// <summary>Another CPU's TSS: fills the StateBytes at tssAddress with its IST stacks and loads it through gdtEntries.</summary>
    /// <remarks>Safety: as Install, plus: tssAddress is StateBytes of memory this CPU owns for good, and gdtEntries
    /// is the GDT it runs on (Gdt.InstallAt).</remarks>
    public static unsafe void InstallAt(ulong tssAddress, ulong* gdtEntries, ulong doubleFaultTop, ulong nmiTop, ulong machineCheckTop)
    {
        var state = (TaskState*)tssAddress;
        *state = default;
        Fill(state, doubleFaultTop, nmiTop, machineCheckTop);
        Gdt.LoadTaskStateAt(gdtEntries, tssAddress, (uint)sizeof(TaskState));
    }

    private static unsafe void Fill(TaskState* state, ulong doubleFaultTop, ulong nmiTop, ulong machineCheckTop)
    {
        state->InterruptStackTable[DoubleFaultStack - 1] = doubleFaultTop;
        state->InterruptStackTable[NonMaskableInterruptStack - 1] = nmiTop;
        state->InterruptStackTable[MachineCheckStack - 1] = machineCheckTop;
        // No I/O permission bitmap: the base points past the segment's limit.
        state->IoMapBase = (ushort)sizeof(TaskState);
    }

    /// <summary>Virtual address of the task-state segment.</summary>
    public static unsafe ulong StateAddress
    {
        get
        {
            fixed (TaskState* state = &s_state)
                return (ulong)state;
        }
    }

    /// <summary>The stack top in IST slot (1..7).</summary>
    /// <remarks>Safety: none for the caller; reads the kernel's own TSS.</remarks>
    public static unsafe ulong InterruptStackTop(int slot)
    {
        fixed (TaskState* state = &s_state)
            return state->InterruptStackTable[slot - 1];
    }
}
