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

    /// <summary>
    /// The first vector handed to devices (MSI and MSI-X): above the ISA range and the APIC timer, and in priority
    /// classes 5 to 13, below the wake IPI and the APIC's own vectors.
    /// </summary>
    public const int DeviceFirst = 0x50;

    /// <summary>The last device vector.</summary>
    public const int DeviceLast = 0xDF;

    /// <summary>How many device vectors there are.</summary>
    public const int DeviceCount = DeviceLast - DeviceFirst + 1;

    /// <summary>An IPI that wakes a halted CPU to look at its work (it does nothing else).</summary>
    public const int CpuWake = 0xF0;

    /// <summary>Local APIC error interrupt.</summary>
    public const int ApicError = 0xFE;

    /// <summary>Local APIC spurious interrupt (its low four bits must be 1s on old APICs).</summary>
    public const int ApicSpurious = 0xFF;

    /// <summary>Whether vector is one of the device vectors.</summary>
    public static bool IsDevice(int vector) => vector >= DeviceFirst && vector <= DeviceLast;

    /// <summary>The vector for ISA IRQ irq.</summary>
    public static int ForIsaIrq(int irq) => IsaBase + irq;
}
