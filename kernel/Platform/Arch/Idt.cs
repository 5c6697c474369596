// The Interrupt Descriptor Table (Intel SDM Vol. 3A §6.10, §6.14.1): 256 16-byte gates pointing at the stubs
// in shim/interrupt_stubs.asm, all of which end in one C# dispatcher.
using System.Runtime.InteropServices;

namespace Kernel.Arch;

/// <summary>The kernel's IDT.</summary>
public static class Idt
{
    private const int VectorCount = 256;
    private const int ExceptionVectorCount = 32;

    // Gate type and attribute byte: present, DPL 0, 64-bit interrupt gate (interrupts off on entry).
    private const byte Present = 0x80;
    private const byte InterruptGate = 0x0E;

    [StructLayout(LayoutKind.Sequential)]
    private struct Gate
    {
        public ushort OffsetLow;
        public ushort Selector;
        public byte InterruptStackTable;
        public byte TypeAttributes;
        public ushort OffsetMiddle;
        public uint OffsetHigh;
        public uint Reserved;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    private struct DescriptorTablePointer
    {
        public ushort Limit;
        public ulong Base;
    }

    private unsafe struct GateTable
    {
        public fixed ulong Words[VectorCount * 2];
    }

    private static GateTable s_table;

    /// <summary>Makes vector switch to IST slot (1..7) of the TSS on entry; 0 keeps the current stack.</summary>
    /// <remarks>Safety: slot must be a TSS IST slot whose stack Tss.Install has set up; a gate pointing at an empty slot faults on the next delivery.</remarks>
    public static unsafe void SetInterruptStack(int vector, int slot)
    {
        fixed (ulong* words = s_table.Words)
            ((Gate*)words)[vector].InterruptStackTable = (byte)slot;
    }

    /// <summary>Virtual address of the kernel's gate table (what IDTR holds after Install).</summary>
    public static unsafe ulong TableAddress
    {
        get
        {
            fixed (ulong* words = s_table.Words)
                return (ulong)words;
        }
    }

    /// <summary>The IST slot vector uses (0 = none).</summary>
    /// <remarks>Safety: none for the caller; reads the kernel's own table.</remarks>
    public static unsafe int InterruptStackOf(int vector)
    {
        fixed (ulong* words = s_table.Words)
            return ((Gate*)words)[vector].InterruptStackTable;
    }

    /// <summary>
    /// Points the vectors at the kernel's stubs, using the current code segment, and loads the table. While boot
    /// services run, only the 32 exception vectors are taken over: the firmware's own interrupt gates (its timer)
    /// are copied from its IDT so it keeps working until ExitBootServices.
    /// </summary>
    /// <remarks>
    /// Safety: the code segment must stay valid (a later GDT switch reloads the table); with
    /// keepFirmwareInterrupts false, interrupts must be off until handlers for them exist.
    /// </remarks>
    public static unsafe void Install(bool keepFirmwareInterrupts)
    {
        ulong* stubs = Native.InterruptStubTable();
        ushort selector = Native.ReadCs();
        DescriptorTablePointer firmware;
        Native.StoreIdt(&firmware);
        int firmwareGates = (firmware.Limit + 1) / sizeof(Gate);
        fixed (ulong* words = s_table.Words)
        {
            Gate* gates = (Gate*)words;
            for (int vector = 0; vector < VectorCount; vector++)
            {
                if (keepFirmwareInterrupts && vector >= ExceptionVectorCount && vector < firmwareGates)
                {
                    gates[vector] = ((Gate*)firmware.Base)[vector];
                    continue;
                }
                ulong handler = stubs[vector];
                gates[vector] = new Gate
                {
                    OffsetLow = (ushort)handler,
                    Selector = selector,
                    InterruptStackTable = 0,
                    TypeAttributes = Present | InterruptGate,
                    OffsetMiddle = (ushort)(handler >> 16),
                    OffsetHigh = (uint)(handler >> 32),
                };
            }
            DescriptorTablePointer pointer;
            pointer.Limit = (ushort)(VectorCount * sizeof(Gate) - 1);
            pointer.Base = (ulong)gates;
            Native.LoadIdt(&pointer);
        }
    }

    /// <summary>Loads the kernel's IDT (built by Install on the boot CPU) on this CPU: all CPUs share one table.</summary>
    /// <remarks>Safety: Install(keepFirmwareInterrupts: false) has run; this CPU runs on the kernel's GDT.</remarks>
    public static unsafe void LoadOnThisCpu()
    {
        fixed (ulong* words = s_table.Words)
        {
            DescriptorTablePointer pointer;
            pointer.Limit = (ushort)(VectorCount * sizeof(Gate) - 1);
            pointer.Base = (ulong)words;
            Native.LoadIdt(&pointer);
        }
    }
}
