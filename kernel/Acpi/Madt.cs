// The Multiple APIC Description Table, signature "APIC" (ACPI 6.5 §5.2.12): local APIC address, PC-AT
// compatibility, processors, I/O APICs, ISA interrupt overrides and NMI wiring.
using System;

namespace Kernel.Acpi;

/// <summary>
/// A parsed MADT. The walk stops at the first entry whose length is impossible (<see cref="Status"/> names it and
/// <see cref="ErrorOffset"/> says where); the entries before it each passed their own checks and are kept, but a
/// table with <see cref="Status"/> other than Ok is malformed and callers should not rely on it being complete
/// (an override or a processor may be missing), e.g. stay with the 8259 PIC. Unknown entry types are skipped.
/// The checksum is not checked here: <see cref="AcpiTables.Discover"/> already did.
/// </summary>
public sealed class Madt
{
    /// <summary>The MADT's signature.</summary>
    public const string Signature = "APIC";

    /// <summary>Table 5.21 Flags bit 0 PCAT_COMPAT: the system also has dual 8259 PICs, to be masked before using the APICs.</summary>
    public const uint PcAtCompatible = 1;

    /// <summary>Local APIC flags bit 0 (Table 5.23): the processor is ready for use.</summary>
    public const uint LocalApicEnabled = 1;

    /// <summary>Local APIC flags bit 1 (Table 5.23, ACPI 6.3): a disabled processor can be enabled at runtime.</summary>
    public const uint LocalApicOnlineCapable = 2;

    /// <summary>Processor UID meaning "all processors" in a Local APIC NMI structure (§5.2.12.7).</summary>
    public const uint AllLocalApicProcessors = 0xFF;

    /// <summary>Processor UID meaning "all processors" in a Local x2APIC NMI structure (§5.2.12.13).</summary>
    public const uint AllX2ApicProcessors = 0xFFFFFFFF;

    /// <summary>ISA IRQs are 0-15; the ISA bus is bus 0 in an override.</summary>
    public const int IsaIrqCount = 16;

    // Fixed part (Table 5.21): header, Local Interrupt Controller Address (u32), Flags (u32), then entries,
    // each starting with a type byte and a length byte (§5.2.12, Table 5.22).
    private const int LocalApicAddressOffset = 36;
    private const int FlagsOffset = 40;
    private const int EntriesOffset = 44;
    private const int LengthOffset = 4;
    private const int RevisionOffset = 8;
    private const byte IsaBus = 0;

    // Online Capable arrived with MADT revision 5 (ACPI 6.3). ACPI 6.2 errata B tables carry revision 45, which
    // is larger but predates the bit, so it is excluded by name.
    private const byte FirstOnlineCapableRevision = 5;
    private const byte Acpi62ErrataBRevision = 45;

    private Madt()
    {
    }

    /// <summary>Whether every entry was walked, or why the walk stopped.</summary>
    public MadtStatus Status { get; private set; }

    /// <summary>Byte offset in the table of the entry that stopped the walk; -1 when <see cref="Status"/> is Ok.</summary>
    public int ErrorOffset { get; private set; }

    /// <summary>The table's revision byte.</summary>
    public byte Revision { get; private set; }

    /// <summary>The 32-bit local APIC address from the fixed part of the table.</summary>
    public uint LocalApicAddress32 { get; private set; }

    /// <summary>The 64-bit address from a Local APIC Address Override (type 5), if there was one.</summary>
    public bool HasLocalApicAddressOverride { get; private set; }

    /// <summary>The local APIC's physical address: the override's when present (it wins, §5.2.12.8), else the 32-bit one.</summary>
    public ulong LocalApicAddress { get; private set; }

    /// <summary>The Flags field (Table 5.21).</summary>
    public uint Flags { get; private set; }

    /// <summary>Whether dual 8259 PICs are present too (PCAT_COMPAT).</summary>
    public bool IsPcAtCompatible => (Flags & PcAtCompatible) != 0;

    /// <summary>Processors, in table order (types 0 and 9).</summary>
    public MadtProcessor[] Processors { get; private set; }

    /// <summary>I/O APICs, in table order.</summary>
    public MadtIoApic[] IoApics { get; private set; }

    /// <summary>Interrupt source overrides, in table order.</summary>
    public MadtInterruptOverride[] Overrides { get; private set; }

    /// <summary>NMI sources, in table order.</summary>
    public MadtNmiSource[] NmiSources { get; private set; }

    /// <summary>Local APIC and local x2APIC NMI entries, in table order.</summary>
    public MadtLocalApicNmi[] LocalApicNmis { get; private set; }

    /// <summary>Entries of types this parser does not know (SAPIC, GIC, ...), skipped.</summary>
    public int UnknownEntryCount { get; private set; }

    /// <summary>Processors the OS may use: enabled, or disabled but online capable.</summary>
    public int ProcessorCount
    {
        get
        {
            int count = 0;
            for (int i = 0; i < Processors.Length; i++)
            {
                if (Processors[i].IsUsable)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>
    /// Parses <paramref name="table"/> (the whole MADT, header included). Never returns null: when the fixed
    /// part is bad the result has no entries and the default local APIC address 0.
    /// </summary>
    public static Madt Parse(ReadOnlySpan<byte> table)
    {
        Madt madt = new Madt();
        madt.ErrorOffset = -1;
        madt.Processors = new MadtProcessor[0];
        madt.IoApics = new MadtIoApic[0];
        madt.Overrides = new MadtInterruptOverride[0];
        madt.NmiSources = new MadtNmiSource[0];
        madt.LocalApicNmis = new MadtLocalApicNmi[0];
        if (table.Length < EntriesOffset)
        {
            madt.Status = MadtStatus.TooShort;
            return madt;
        }

        if (!AcpiBytes.StartsWithAscii(table, Signature))
        {
            madt.Status = MadtStatus.BadSignature;
            return madt;
        }

        uint declared = AcpiBytes.ReadUInt32(table, LengthOffset);
        if (declared < EntriesOffset || declared > (uint)table.Length)
        {
            madt.Status = MadtStatus.TooShort;
            return madt;
        }

        ReadOnlySpan<byte> whole = table.Slice(0, (int)declared);
        madt.Revision = whole[RevisionOffset];
        madt.LocalApicAddress32 = AcpiBytes.ReadUInt32(whole, LocalApicAddressOffset);
        madt.LocalApicAddress = madt.LocalApicAddress32;
        madt.Flags = AcpiBytes.ReadUInt32(whole, FlagsOffset);

        // Two passes over the same entries: the first counts (and finds where the walk must stop), the second
        // fills arrays of exactly the right sizes.
        MadtEntryCounts counts = default;
        int end = MadtEntryReader.Walk(whole, EntriesOffset, null, ref counts, out MadtStatus status, out int errorOffset);
        madt.Processors = new MadtProcessor[counts.Processors];
        madt.IoApics = new MadtIoApic[counts.IoApics];
        madt.Overrides = new MadtInterruptOverride[counts.Overrides];
        madt.NmiSources = new MadtNmiSource[counts.NmiSources];
        madt.LocalApicNmis = new MadtLocalApicNmi[counts.LocalApicNmis];
        MadtEntryCounts filled = default;
        MadtEntryReader.Walk(whole.Slice(0, end), EntriesOffset, madt, ref filled, out _, out _);
        madt.Status = status;
        madt.ErrorOffset = errorOffset;
        madt.UnknownEntryCount = counts.Unknown;
        return madt;
    }

    /// <summary>Index into <see cref="IoApics"/> of the I/O APIC serving <paramref name="gsi"/>, or -1.</summary>
    /// <remarks>
    /// The MADT gives only each I/O APIC's first GSI; how many inputs it has is in its own version register. This
    /// picks the I/O APIC with the highest base at or below the GSI; the caller checks the input count.
    /// </remarks>
    public int IoApicFor(uint gsi)
    {
        int best = -1;
        for (int i = 0; i < IoApics.Length; i++)
        {
            if (IoApics[i].GsiBase <= gsi && (best < 0 || IoApics[i].GsiBase > IoApics[best].GsiBase))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// Where ISA IRQ <paramref name="irq"/> arrives: the override for it on bus 0 if there is one (its
    /// "conforms" polarity and trigger meaning ISA's active high and edge), else GSI = IRQ, edge, active high.
    /// </summary>
    public IsaIrqRoute ResolveIsaIrq(int irq)
    {
        if (irq < 0 || irq >= IsaIrqCount)
        {
            return new IsaIrqRoute(false, 0, false, false, false, false);
        }

        for (int i = 0; i < Overrides.Length; i++)
        {
            MadtInterruptOverride entry = Overrides[i];
            if (entry.Bus == IsaBus && entry.SourceIrq == irq)
            {
                bool activeLow = entry.Polarity == InterruptPolarity.ActiveLow;
                bool level = entry.TriggerMode == InterruptTriggerMode.Level;
                return new IsaIrqRoute(true, entry.Gsi, activeLow, level, true, false);
            }
        }

        bool shadowed = false;
        for (int i = 0; i < Overrides.Length; i++)
        {
            shadowed |= Overrides[i].Bus == IsaBus && Overrides[i].Gsi == (uint)irq;
        }

        return new IsaIrqRoute(true, (uint)irq, false, false, false, shadowed);
    }

    /// <summary>Polarity from MPS INTI flags bits 0-1.</summary>
    public static InterruptPolarity PolarityOf(ushort flags) => (InterruptPolarity)(flags & 0x3);

    /// <summary>Trigger mode from MPS INTI flags bits 2-3.</summary>
    public static InterruptTriggerMode TriggerModeOf(ushort flags) => (InterruptTriggerMode)((flags >> 2) & 0x3);

    /// <summary>The boot log's MADT line: status, processors, I/O APICs, overrides, local APIC address.</summary>
    public string Summary() =>
        "acpi: MADT " + StatusName(Status) + ": " + ProcessorCount.ToString() + " processors, "
        + IoApics.Length.ToString() + " I/O APIC, " + Overrides.Length.ToString() + " source overrides, local APIC at 0x"
        + LocalApicAddress.ToString("x") + (IsPcAtCompatible ? ", PCAT_COMPAT" : "");

    /// <summary>A short name for a status, e.g. "zero-length entry".</summary>
    public static string StatusName(MadtStatus status)
    {
        switch (status)
        {
            case MadtStatus.Ok: return "ok";
            case MadtStatus.BadSignature: return "bad signature";
            case MadtStatus.TooShort: return "table too short";
            case MadtStatus.BadEntryLength: return "zero-length entry";
            case MadtStatus.EntryOverrunsTable: return "entry overruns the table";
            case MadtStatus.EntryTooShort: return "entry too short for its type";
            default: return "unknown status";
        }
    }

    internal void Add(MadtProcessor processor, ref MadtEntryCounts filled) => Processors[filled.Processors++] = processor;

    internal void Add(MadtIoApic ioApic, ref MadtEntryCounts filled) => IoApics[filled.IoApics++] = ioApic;

    internal void Add(MadtInterruptOverride entry, ref MadtEntryCounts filled) => Overrides[filled.Overrides++] = entry;

    internal void Add(MadtNmiSource entry, ref MadtEntryCounts filled) => NmiSources[filled.NmiSources++] = entry;

    internal void Add(MadtLocalApicNmi entry, ref MadtEntryCounts filled) => LocalApicNmis[filled.LocalApicNmis++] = entry;

    /// <summary>Records a Local APIC Address Override; only the first one counts (the spec allows one).</summary>
    internal void SetLocalApicAddressOverride(ulong address)
    {
        if (!HasLocalApicAddressOverride)
        {
            HasLocalApicAddressOverride = true;
            LocalApicAddress = address;
        }
    }

    /// <summary>Whether flags bit 1 means Online Capable in this table's revision.</summary>
    internal bool OnlineCapableDefined => Revision >= FirstOnlineCapableRevision && Revision != Acpi62ErrataBRevision;
}
