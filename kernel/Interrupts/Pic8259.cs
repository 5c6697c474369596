// The two cascaded 8259A programmable interrupt controllers (Intel 8259A datasheet; OSDev "8259 PIC").
// Used as the interrupt controller when there is no APIC, and otherwise remapped and fully masked so that it can
// never deliver into the exception vectors.
using Kernel.Arch;

namespace Kernel.Interrupts;

/// <summary>The legacy PIC pair.</summary>
public static class Pic8259
{
    private static readonly IoPort8 MasterCommand = new IoPort8(0x20);
    private static readonly IoPort8 MasterData = new IoPort8(0x21);
    private static readonly IoPort8 SlaveCommand = new IoPort8(0xA0);
    private static readonly IoPort8 SlaveData = new IoPort8(0xA1);
    // The POST diagnostic port: unused, so writing it is a harmless ~1 us delay.
    private static readonly IoPort8 DelayPort = new IoPort8(0x80);

    // Initialization command words.
    private const byte Icw1Init = 0x10;
    private const byte Icw1NeedsIcw4 = 0x01;
    private const byte Icw3SlaveOnIrq2 = 1 << 2;    // master: a slave hangs off IRQ 2
    private const byte Icw3SlaveIdentity = 2;       // slave: its cascade identity
    private const byte Icw4Mode8086 = 0x01;

    // Operation command words.
    private const byte Ocw2EndOfInterrupt = 0x20;
    private const byte Ocw3ReadInServiceRegister = 0x0B;

    private const int IrqsPerChip = 8;

    private static ushort s_mask = 0xFFFF;

    /// <summary>Spurious IRQ 7 / 15 deliveries seen (counted, never acknowledged as real).</summary>
    public static ulong SpuriousCount { get; private set; }

    /// <summary>Remaps IRQ 0-15 to vectors 32-47, all masked.</summary>
    public static void Remap()
    {
        MasterCommand.Write(Icw1Init | Icw1NeedsIcw4);
        Wait();
        SlaveCommand.Write(Icw1Init | Icw1NeedsIcw4);
        Wait();
        MasterData.Write(Vectors.IsaBase);
        Wait();
        SlaveData.Write(Vectors.IsaBase + IrqsPerChip);
        Wait();
        MasterData.Write(Icw3SlaveOnIrq2);
        Wait();
        SlaveData.Write(Icw3SlaveIdentity);
        Wait();
        MasterData.Write(Icw4Mode8086);
        Wait();
        SlaveData.Write(Icw4Mode8086);
        Wait();
        s_mask = 0xFFFF;
        WriteMask();
    }

    /// <summary>Lets IRQ irq through (and the cascade, for IRQs on the slave).</summary>
    public static void Unmask(int irq)
    {
        s_mask &= (ushort)~(1 << irq);
        if (irq >= IrqsPerChip)
            s_mask &= unchecked((ushort)~(1 << IsaIrq.Cascade));
        WriteMask();
    }

    /// <summary>
    /// Whether a delivery of IRQ 7 or 15 is spurious: the chip raised it but its in-service bit is clear. A
    /// spurious IRQ 15 still needs an EOI to the master, which did see a real cascade request.
    /// </summary>
    public static bool IsSpurious(int irq)
    {
        if (irq != IsaIrq.SpuriousMaster && irq != IsaIrq.SpuriousSlave)
            return false;
        IoPort8 command = irq == IsaIrq.SpuriousMaster ? MasterCommand : SlaveCommand;
        command.Write(Ocw3ReadInServiceRegister);
        bool inService = (command.Read() & (1 << (irq % IrqsPerChip))) != 0;
        if (inService)
            return false;
        SpuriousCount++;
        if (irq == IsaIrq.SpuriousSlave)
            MasterCommand.Write(Ocw2EndOfInterrupt);
        return true;
    }

    /// <summary>Acknowledges IRQ irq (slave first, then master, for IRQs on the slave).</summary>
    public static void EndOfInterrupt(int irq)
    {
        if (irq >= IrqsPerChip)
            SlaveCommand.Write(Ocw2EndOfInterrupt);
        MasterCommand.Write(Ocw2EndOfInterrupt);
    }

    private static void WriteMask()
    {
        MasterData.Write((byte)s_mask);
        SlaveData.Write((byte)(s_mask >> 8));
    }

    // Old 8259s need a moment between initialization words.
    private static void Wait() => DelayPort.Write(0);
}
