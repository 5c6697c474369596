// The MADT's interrupt controller structures (ACPI 6.5 §5.2.12.2-§5.2.12.13) and the MPS INTI flags they use
// (§5.2.12.5, Table 5.26).
namespace Kernel.Acpi;

/// <summary>Why a MADT was not (completely) parsed.</summary>
public enum MadtStatus
{
    /// <summary>Every entry was walked.</summary>
    Ok = 0,

    /// <summary>The signature is not "APIC".</summary>
    BadSignature,

    /// <summary>The table is shorter than its 44-byte fixed part, or than the length its header declares.</summary>
    TooShort,

    /// <summary>An entry's length is 0 or 1 (smaller than its own type and length bytes): the walk cannot go on.</summary>
    BadEntryLength,

    /// <summary>An entry's declared length runs past the end of the table.</summary>
    EntryOverrunsTable,

    /// <summary>A known entry type is shorter than that structure; the walk stops rather than guess.</summary>
    EntryTooShort,
}

/// <summary>Interrupt input polarity, MPS INTI flags bits 0-1 (Table 5.26).</summary>
public enum InterruptPolarity
{
    /// <summary>00: conforms to the bus's specification (ISA: active high).</summary>
    ConformsToBus = 0,

    /// <summary>01: active high.</summary>
    ActiveHigh = 1,

    /// <summary>10: reserved.</summary>
    Reserved = 2,

    /// <summary>11: active low.</summary>
    ActiveLow = 3,
}

/// <summary>Interrupt input trigger mode, MPS INTI flags bits 2-3 (Table 5.26).</summary>
public enum InterruptTriggerMode
{
    /// <summary>00: conforms to the bus's specification (ISA: edge).</summary>
    ConformsToBus = 0,

    /// <summary>01: edge-triggered.</summary>
    Edge = 1,

    /// <summary>10: reserved.</summary>
    Reserved = 2,

    /// <summary>11: level-triggered.</summary>
    Level = 3,
}

/// <summary>A processor: Processor Local APIC (type 0, §5.2.12.2) or Processor Local x2APIC (type 9, §5.2.12.12).</summary>
public readonly struct MadtProcessor
{
    /// <summary>Creates a processor entry.</summary>
    public MadtProcessor(uint processorUid, uint apicId, uint flags, bool isX2Apic, bool isOnlineCapable)
    {
        ProcessorUid = processorUid;
        ApicId = apicId;
        Flags = flags;
        IsX2Apic = isX2Apic;
        IsOnlineCapable = isOnlineCapable;
    }

    /// <summary>ACPI processor UID (8 bits in type 0, 32 bits in type 9), matching the namespace's processor objects.</summary>
    public uint ProcessorUid { get; }

    /// <summary>The processor's local APIC ID (8 bits) or x2APIC ID (32 bits).</summary>
    public uint ApicId { get; }

    /// <summary>Local APIC flags (Table 5.23): bit 0 Enabled, bit 1 Online Capable.</summary>
    public uint Flags { get; }

    /// <summary>Whether this came from a Processor Local x2APIC structure.</summary>
    public bool IsX2Apic { get; }

    /// <summary>Whether the processor is ready for use (flags bit 0).</summary>
    public bool IsEnabled => (Flags & Madt.LocalApicEnabled) != 0;

    /// <summary>
    /// Whether the processor is disabled now but can be enabled at runtime (flags bit 1, only meaningful when
    /// Enabled is clear and the MADT is revision 5 (ACPI 6.3) or later; before that the bit was reserved).
    /// </summary>
    public bool IsOnlineCapable { get; }

    /// <summary>Whether the OS may use this processor now or later; unusable entries are to be ignored (Table 5.23).</summary>
    public bool IsUsable => IsEnabled || IsOnlineCapable;
}

/// <summary>An I/O APIC (type 1, §5.2.12.3).</summary>
public readonly struct MadtIoApic
{
    /// <summary>Creates an I/O APIC entry.</summary>
    public MadtIoApic(byte id, uint address, uint gsiBase)
    {
        Id = id;
        Address = address;
        GsiBase = gsiBase;
    }

    /// <summary>The I/O APIC's ID.</summary>
    public byte Id { get; }

    /// <summary>Physical address of its registers.</summary>
    public uint Address { get; }

    /// <summary>The global system interrupt number of its first input.</summary>
    public uint GsiBase { get; }
}

/// <summary>An Interrupt Source Override (type 2, §5.2.12.5): an ISA IRQ wired to a different GSI or mode.</summary>
public readonly struct MadtInterruptOverride
{
    /// <summary>Creates an override entry.</summary>
    public MadtInterruptOverride(byte bus, byte sourceIrq, uint gsi, ushort flags)
    {
        Bus = bus;
        SourceIrq = sourceIrq;
        Gsi = gsi;
        Flags = flags;
    }

    /// <summary>Bus; 0 is ISA, the only value the spec defines.</summary>
    public byte Bus { get; }

    /// <summary>The bus-relative interrupt (the ISA IRQ).</summary>
    public byte SourceIrq { get; }

    /// <summary>The global system interrupt it signals.</summary>
    public uint Gsi { get; }

    /// <summary>MPS INTI flags (Table 5.26).</summary>
    public ushort Flags { get; }

    /// <summary>Polarity, flags bits 0-1.</summary>
    public InterruptPolarity Polarity => Madt.PolarityOf(Flags);

    /// <summary>Trigger mode, flags bits 2-3.</summary>
    public InterruptTriggerMode TriggerMode => Madt.TriggerModeOf(Flags);
}

/// <summary>A Non-Maskable Interrupt Source (type 3, §5.2.12.6): a GSI that is to be an NMI.</summary>
public readonly struct MadtNmiSource
{
    /// <summary>Creates an NMI source entry.</summary>
    public MadtNmiSource(ushort flags, uint gsi)
    {
        Flags = flags;
        Gsi = gsi;
    }

    /// <summary>MPS INTI flags (Table 5.26).</summary>
    public ushort Flags { get; }

    /// <summary>The global system interrupt that is an NMI.</summary>
    public uint Gsi { get; }
}

/// <summary>A Local APIC NMI (type 4, §5.2.12.7) or Local x2APIC NMI (type 0xA, §5.2.12.13): which LINT pin is NMI.</summary>
public readonly struct MadtLocalApicNmi
{
    /// <summary>Creates a local APIC NMI entry.</summary>
    public MadtLocalApicNmi(uint processorUid, ushort flags, byte lint, bool isX2Apic)
    {
        ProcessorUid = processorUid;
        Flags = flags;
        Lint = lint;
        IsX2Apic = isX2Apic;
    }

    /// <summary>ACPI processor UID; 0xFF (type 4) or 0xFFFFFFFF (type 0xA) means every processor.</summary>
    public uint ProcessorUid { get; }

    /// <summary>MPS INTI flags (Table 5.26).</summary>
    public ushort Flags { get; }

    /// <summary>The local APIC input: 0 for LINT0, 1 for LINT1.</summary>
    public byte Lint { get; }

    /// <summary>Whether this came from a Local x2APIC NMI structure.</summary>
    public bool IsX2Apic { get; }

    /// <summary>Whether the entry applies to every processor.</summary>
    public bool AppliesToAllProcessors => IsX2Apic ? ProcessorUid == Madt.AllX2ApicProcessors : ProcessorUid == Madt.AllLocalApicProcessors;

    /// <summary>Polarity, flags bits 0-1.</summary>
    public InterruptPolarity Polarity => Madt.PolarityOf(Flags);

    /// <summary>Trigger mode, flags bits 2-3.</summary>
    public InterruptTriggerMode TriggerMode => Madt.TriggerModeOf(Flags);
}

/// <summary>Where an ISA IRQ arrives at the I/O APICs and how, after interrupt source overrides.</summary>
public readonly struct IsaIrqRoute
{
    /// <summary>Creates a route.</summary>
    public IsaIrqRoute(bool isValid, uint gsi, bool activeLow, bool levelTriggered, bool isOverridden, bool isShadowed)
    {
        IsValid = isValid;
        Gsi = gsi;
        ActiveLow = activeLow;
        LevelTriggered = levelTriggered;
        IsOverridden = isOverridden;
        IsShadowed = isShadowed;
    }

    /// <summary>False when the IRQ is not an ISA IRQ (0-15).</summary>
    public bool IsValid { get; }

    /// <summary>The global system interrupt.</summary>
    public uint Gsi { get; }

    /// <summary>Whether the input is active low (ISA default: active high).</summary>
    public bool ActiveLow { get; }

    /// <summary>Whether the input is level-triggered (ISA default: edge).</summary>
    public bool LevelTriggered { get; }

    /// <summary>Whether an interrupt source override gave this route.</summary>
    public bool IsOverridden { get; }

    /// <summary>
    /// Whether the identity route's GSI is taken by another IRQ's override (IRQ 2 on most PCs, whose GSI 2 is the
    /// timer's): the IRQ then has no input of its own and must not be programmed.
    /// </summary>
    public bool IsShadowed { get; }
}
