// The two cascaded 8259A programmable interrupt controllers (Intel 8259A datasheet; OSDev "8259 PIC").
// Used as the interrupt controller when there is no APIC, and otherwise remapped and fully masked so that it can
// never deliver into the exception vectors.
using Kernel.Arch;

namespace Kernel.Interrupts
{
    /// <summary>The legacy PIC pair.</summary>
    internal static class Pic8259
    {
        private const ushort MasterCommand = 0x20;
        private const ushort MasterData = 0x21;
        private const ushort SlaveCommand = 0xA0;
        private const ushort SlaveData = 0xA1;

        // Initialization command words.
        private const byte Icw1Init = 0x10;
        private const byte Icw1NeedsIcw4 = 0x01;
        private const byte Icw3SlaveOnIrq2 = 1 << 2;    // master: a slave hangs off IRQ 2
        private const byte Icw3SlaveIdentity = 2;       // slave: its cascade identity
        private const byte Icw4Mode8086 = 0x01;

        // Operation command words.
        private const byte Ocw2EndOfInterrupt = 0x20;
        private const byte Ocw3ReadInServiceRegister = 0x0B;

        private const int CascadeIrq = 2;
        private const int IrqsPerChip = 8;

        private static ushort s_mask = 0xFFFF;

        /// <summary>Spurious IRQ 7 / 15 deliveries seen (counted, never acknowledged as real).</summary>
        public static ulong SpuriousCount { get; private set; }

        /// <summary>Remaps IRQ 0-15 to vectors 32-47, all masked.</summary>
        public static void Remap()
        {
            Native.PortWrite8(MasterCommand, Icw1Init | Icw1NeedsIcw4);
            Wait();
            Native.PortWrite8(SlaveCommand, Icw1Init | Icw1NeedsIcw4);
            Wait();
            Native.PortWrite8(MasterData, Vectors.IsaBase);
            Wait();
            Native.PortWrite8(SlaveData, Vectors.IsaBase + IrqsPerChip);
            Wait();
            Native.PortWrite8(MasterData, Icw3SlaveOnIrq2);
            Wait();
            Native.PortWrite8(SlaveData, Icw3SlaveIdentity);
            Wait();
            Native.PortWrite8(MasterData, Icw4Mode8086);
            Wait();
            Native.PortWrite8(SlaveData, Icw4Mode8086);
            Wait();
            s_mask = 0xFFFF;
            WriteMask();
        }

        /// <summary>Lets IRQ irq through (and the cascade, for IRQs on the slave).</summary>
        public static void Unmask(int irq)
        {
            s_mask &= (ushort)~(1 << irq);
            if (irq >= IrqsPerChip)
                s_mask &= unchecked((ushort)~(1 << CascadeIrq));
            WriteMask();
        }

        /// <summary>
        /// Whether a delivery of IRQ 7 or 15 is spurious: the chip raised it but its in-service bit is clear. A
        /// spurious IRQ 15 still needs an EOI to the master, which did see a real cascade request.
        /// </summary>
        public static bool IsSpurious(int irq)
        {
            if (irq != 7 && irq != 15)
                return false;
            ushort command = irq == 7 ? MasterCommand : SlaveCommand;
            Native.PortWrite8(command, Ocw3ReadInServiceRegister);
            bool inService = (Native.PortRead8(command) & (1 << (irq & 7))) != 0;
            if (inService)
                return false;
            SpuriousCount++;
            if (irq == 15)
                Native.PortWrite8(MasterCommand, Ocw2EndOfInterrupt);
            return true;
        }

        /// <summary>Acknowledges IRQ irq (slave first, then master, for IRQs on the slave).</summary>
        public static void EndOfInterrupt(int irq)
        {
            if (irq >= IrqsPerChip)
                Native.PortWrite8(SlaveCommand, Ocw2EndOfInterrupt);
            Native.PortWrite8(MasterCommand, Ocw2EndOfInterrupt);
        }

        private static void WriteMask()
        {
            Native.PortWrite8(MasterData, (byte)s_mask);
            Native.PortWrite8(SlaveData, (byte)(s_mask >> 8));
        }

        // Old 8259s need a moment between initialization words; a write to the unused port 0x80 takes ~1 us.
        private static void Wait() => Native.PortWrite8(0x80, 0);
    }
}
