// The ISA interrupt lines of a PC (IBM PC/AT technical reference; OSDev "Interrupts"): fixed by history, the same
// on every machine, and renumbered by the ACPI MADT's source overrides only when an I/O APIC delivers them.
namespace Kernel.Interrupts;

/// <summary>ISA IRQ numbers the kernel uses.</summary>
public static class IsaIrq
{
    /// <summary>PIT channel 0.</summary>
    public const int Timer = 0;

    /// <summary>The i8042's keyboard port.</summary>
    public const int Keyboard = 1;

    /// <summary>The master 8259's input from the slave 8259.</summary>
    public const int Cascade = 2;

    /// <summary>The first serial port.</summary>
    public const int Com1 = 4;

    /// <summary>Where the master 8259 signals a spurious interrupt.</summary>
    public const int SpuriousMaster = 7;

    /// <summary>Where the slave 8259 signals a spurious interrupt.</summary>
    public const int SpuriousSlave = 15;

    /// <summary>Number of ISA IRQs (two chained 8259s).</summary>
    public const int Count = 16;
}
