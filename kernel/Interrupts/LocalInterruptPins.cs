// What the local APIC's two local interrupt pins, LINT0 and LINT1, are wired to (Intel SDM Vol. 3A §11.5.1, the
// LVT LINT0/LINT1 registers; ACPI 6.5 §5.2.12.7 and §5.2.12.13, the MADT's Local APIC NMI entries). On PCs LINT0
// carries the 8259's INTR (ExtINT: "virtual wire" mode) and LINT1 the platform's NMI: a watchdog, a front-panel
// button, SERR#/IOCHK, QEMU's monitor `nmi`. Pure logic: the values to write, host-tested; LocalApic writes them.
using Kernel.Acpi;

namespace Kernel.Interrupts;

/// <summary>The LVT values for LINT0 and LINT1, and a description for the boot log.</summary>
public readonly struct LocalInterruptPinSetting
{
    /// <summary>Creates a setting.</summary>
    public LocalInterruptPinSetting(uint lint0, uint lint1, string description)
    {
        Lint0 = lint0;
        Lint1 = lint1;
        Description = description;
    }

    /// <summary>Value for the LVT LINT0 register.</summary>
    public uint Lint0 { get; }

    /// <summary>Value for the LVT LINT1 register.</summary>
    public uint Lint1 { get; }

    /// <summary>E.g. "LINT0 ExtINT, LINT1 NMI (MADT, all processors)".</summary>
    public string Description { get; }
}

/// <summary>Chooses LINT0/LINT1 from the MADT's NMI entries and whether the 8259 PIC delivers interrupts.</summary>
public static class LocalInterruptPins
{
    /// <summary>Delivery mode NMI (bits 8-10 = 100b).</summary>
    public const uint DeliverNmi = 0b100u << 8;

    /// <summary>Delivery mode ExtINT (bits 8-10 = 111b): the 8259 supplies the vector.</summary>
    public const uint DeliverExtInt = 0b111u << 8;

    /// <summary>Input pin polarity, bit 13: active low.</summary>
    public const uint ActiveLow = 1u << 13;

    /// <summary>Mask, bit 16.</summary>
    public const uint Masked = 1u << 16;

    /// <summary>
    /// The setting for the processor with ACPI UID processorUid (hasUid false when the MADT did not list it):
    /// an MADT NMI entry for all processors or for this UID makes its pin an NMI input with the entry's polarity
    /// (an NMI is always edge-triggered, §11.5.1, so the entry's trigger mode does not apply); without any entry
    /// LINT1 is the NMI input, as on every PC since the MP specification's virtual wire. LINT0, unless an entry
    /// claims it, is ExtINT while the PIC delivers interrupts and masked otherwise.
    /// </summary>
    public static LocalInterruptPinSetting Choose(MadtLocalApicNmi[] entries, bool hasUid, uint processorUid, bool picInUse)
    {
        bool lint0Nmi = false;
        bool lint1Nmi = false;
        uint lint0 = 0;
        uint lint1 = 0;
        int applied = 0;
        if (entries != null)
        {
            for (int i = 0; i < entries.Length; i++)
            {
                MadtLocalApicNmi entry = entries[i];
                if (entry.Lint > 1 || !(entry.AppliesToAllProcessors || (hasUid && entry.ProcessorUid == processorUid)))
                    continue;
                uint value = DeliverNmi | (entry.Polarity == InterruptPolarity.ActiveLow ? ActiveLow : 0);
                if (entry.Lint == 0)
                {
                    lint0Nmi = true;
                    lint0 = value;
                }
                else
                {
                    lint1Nmi = true;
                    lint1 = value;
                }
                applied++;
            }
        }
        string source = applied > 0 ? "from the MADT" : "the PC default, the MADT has no NMI entry for this CPU";
        if (applied == 0)
        {
            lint1Nmi = true;
            lint1 = DeliverNmi;
        }
        if (!lint0Nmi)
            lint0 = picInUse ? DeliverExtInt : Masked;
        if (!lint1Nmi)
            lint1 = Masked;
        return new LocalInterruptPinSetting(lint0, lint1, "LINT0 " + Name(lint0) + ", LINT1 " + Name(lint1) + " (" + source + ")");
    }

    private static string Name(uint value)
    {
        if ((value & Masked) != 0)
            return "masked";
        string name = (value & DeliverExtInt) == DeliverExtInt ? "ExtINT" : (value & DeliverNmi) == DeliverNmi ? "NMI" : "fixed";
        return (value & ActiveLow) != 0 ? name + " active low" : name;
    }
}
