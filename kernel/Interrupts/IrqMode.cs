// Interrupt controller choice, selected by the irq= boot option.
namespace Kernel.Interrupts;

/// <summary>Which interrupt controller the kernel programs.</summary>
public enum IrqMode
{
    /// <summary>Use the local/IO APIC when the ACPI MADT describes one, else the legacy 8259 PIC.</summary>
    Auto = 0,

    /// <summary>Force the legacy 8259 PIC.</summary>
    Pic = 1,

    /// <summary>Force the local/IO APIC.</summary>
    Apic = 2,
}
