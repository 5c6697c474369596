// Which IDT vector each interrupt source uses (Intel SDM Vol. 3A §6.2: 0-31 are exceptions). ISA IRQ n arrives
// on vector 32 + n through either controller, so drivers need not care which one is in use.
namespace Kernel.Interrupts;

/// <summary>The kernel's interrupt vector assignments.</summary>
public static class Vectors
{
    /// <summary>ISA IRQ 0 (the PIT, or through an override GSI 2).</summary>
    public const int IsaBase = 32;

    /// <summary>PIT channel 0, the timer in PIC mode.</summary>
    public const int PitTimer = IsaBase + IsaIrq.Timer;

    /// <summary>The local APIC timer.</summary>
    public const int ApicTimer = 48;

    /// <summary>An IPI that wakes a halted CPU to look at its work (it does nothing else).</summary>
    public const int CpuWake = 0xF0;

    /// <summary>Local APIC error interrupt.</summary>
    public const int ApicError = 0xFE;

    /// <summary>Local APIC spurious interrupt (its low four bits must be 1s on old APICs).</summary>
    public const int ApicSpurious = 0xFF;

    /// <summary>The vector for ISA IRQ irq.</summary>
    public static int ForIsaIrq(int irq) => IsaBase + irq;
}
