// The PCI Express memory-mapped configuration space table, signature "MCFG" (PCI Firmware spec 3.2 §4.1.2,
// Tables 4-2 and 4-3; listed by ACPI 6.5 §5.2.6, Table 5.6): where each PCI segment's ECAM window is and which
// buses it covers.
using System;

namespace Kernel.Acpi;

/// <summary>Why an MCFG was not parsed, or which problem its entries have.</summary>
public enum McfgStatus
{
    /// <summary>The table and every entry are well formed.</summary>
    Ok = 0,

    /// <summary>The signature is not "MCFG".</summary>
    BadSignature,

    /// <summary>The table is shorter than the header and reserved field (44 bytes), or than the length its header declares.</summary>
    TooShort,

    /// <summary>The bytes after the reserved field are not a whole number of 16-byte entries; the whole ones are kept.</summary>
    PartialEntry,

    /// <summary>The table lists no entries.</summary>
    NoEntries,

    /// <summary>An entry's end bus is below its start bus.</summary>
    EmptyBusRange,

    /// <summary>An entry's base address is not on a 1 MiB boundary, where every bus's window starts.</summary>
    MisalignedBase,
}

/// <summary>One Configuration Space Base Address Allocation Structure (Table 4-3): one segment's ECAM window.</summary>
public readonly struct McfgEntry
{
    /// <summary>Creates an entry.</summary>
    public McfgEntry(ulong baseAddress, ushort segment, byte startBus, byte endBus)
    {
        BaseAddress = baseAddress;
        Segment = segment;
        StartBus = startBus;
        EndBus = endBus;
    }

    /// <summary>
    /// Where bus 0 of the segment would be: bus b's 1 MiB window is at BaseAddress + b MiB, also when the range
    /// starts at a later bus (how Linux and FreeBSD read the table, the spec being unclear).
    /// </summary>
    public ulong BaseAddress { get; }

    /// <summary>The PCI Segment Group Number.</summary>
    public ushort Segment { get; }

    /// <summary>The first bus decoded by this window.</summary>
    public byte StartBus { get; }

    /// <summary>The last bus decoded by this window.</summary>
    public byte EndBus { get; }
}

/// <summary>
/// A parsed MCFG. Entries have a fixed size and do not depend on one another, so a bad entry is skipped and the
/// others kept: <see cref="Status"/> names the first problem and <see cref="ErrorIndex"/> which entry had it. A
/// table whose status is not Ok comes from confused firmware; callers should stay with the legacy PCI ports.
/// The checksum is not checked here: <see cref="AcpiTables.Discover"/> already did.
/// </summary>
public sealed class Mcfg
{
    /// <summary>The MCFG's signature.</summary>
    public const string Signature = "MCFG";

    /// <summary>Size of one allocation structure.</summary>
    public const int EntryLength = 16;

    // Table 4-2: the header, 8 reserved bytes, then the entries. Table 4-3: base address (u64), segment (u16),
    // start bus (u8), end bus (u8), 4 reserved bytes.
    private const int LengthOffset = 4;
    private const int EntriesOffset = AcpiTables.HeaderLength + 8;
    private const int BaseAddressOffset = 0;
    private const int SegmentOffset = 8;
    private const int StartBusOffset = 10;
    private const int EndBusOffset = 11;

    // Each bus's window is 1 MiB (PCIe Base 4.0 §7.2.2), so the base (bus 0's window) is on a 1 MiB boundary.
    private const ulong BusWindowBytes = 1UL << 20;

    private Mcfg()
    {
    }

    /// <summary>Whether the table was well formed, or its first problem.</summary>
    public McfgStatus Status { get; private set; }

    /// <summary>The entry with the first entry problem (EmptyBusRange, MisalignedBase); -1 otherwise.</summary>
    public int ErrorIndex { get; private set; }

    /// <summary>The well-formed entries, in table order.</summary>
    public McfgEntry[] Entries { get; private set; }

    /// <summary>Parses <paramref name="table"/> (the whole MCFG, header included). Never returns null and never throws.</summary>
    public static Mcfg Parse(ReadOnlySpan<byte> table)
    {
        Mcfg mcfg = new Mcfg();
        mcfg.ErrorIndex = -1;
        mcfg.Entries = new McfgEntry[0];
        if (table.Length < EntriesOffset)
        {
            mcfg.Status = McfgStatus.TooShort;
            return mcfg;
        }

        if (!AcpiBytes.StartsWithAscii(table, Signature))
        {
            mcfg.Status = McfgStatus.BadSignature;
            return mcfg;
        }

        uint declared = AcpiBytes.ReadUInt32(table, LengthOffset);
        if (declared < EntriesOffset || declared > (uint)table.Length)
        {
            mcfg.Status = McfgStatus.TooShort;
            return mcfg;
        }

        int entryBytes = (int)declared - EntriesOffset;
        int count = entryBytes / EntryLength;
        McfgStatus status = entryBytes % EntryLength != 0 ? McfgStatus.PartialEntry : count == 0 ? McfgStatus.NoEntries : McfgStatus.Ok;
        int valid = 0;
        McfgEntry[] entries = new McfgEntry[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = table.Slice(EntriesOffset + i * EntryLength, EntryLength);
            McfgEntry parsed = new McfgEntry(AcpiBytes.ReadUInt64(entry, BaseAddressOffset), AcpiBytes.ReadUInt16(entry, SegmentOffset),
                entry[StartBusOffset], entry[EndBusOffset]);
            McfgStatus problem = parsed.EndBus < parsed.StartBus ? McfgStatus.EmptyBusRange
                : (parsed.BaseAddress & (BusWindowBytes - 1)) != 0 ? McfgStatus.MisalignedBase
                : McfgStatus.Ok;
            if (problem == McfgStatus.Ok)
            {
                entries[valid++] = parsed;
            }
            else if (status == McfgStatus.Ok)
            {
                status = problem;
                mcfg.ErrorIndex = i;
            }
        }

        mcfg.Status = status;
        mcfg.Entries = new McfgEntry[valid];
        Array.Copy(entries, mcfg.Entries, valid);
        return mcfg;
    }

    /// <summary>The first well-formed entry for <paramref name="segment"/>, if there is one.</summary>
    public bool TryFindSegment(ushort segment, out McfgEntry entry)
    {
        for (int i = 0; i < Entries.Length; i++)
        {
            if (Entries[i].Segment == segment)
            {
                entry = Entries[i];
                return true;
            }
        }

        entry = default;
        return false;
    }

    /// <summary>A short name for a status, e.g. "end bus below start bus".</summary>
    public static string StatusName(McfgStatus status)
    {
        switch (status)
        {
            case McfgStatus.Ok: return "ok";
            case McfgStatus.BadSignature: return "bad signature";
            case McfgStatus.TooShort: return "table too short";
            case McfgStatus.PartialEntry: return "partial entry at the end";
            case McfgStatus.NoEntries: return "no entries";
            case McfgStatus.EmptyBusRange: return "end bus below start bus";
            case McfgStatus.MisalignedBase: return "base address not on a 1 MiB boundary";
            default: return "unknown status";
        }
    }

    /// <summary>What is wrong, for a log line: "MCFG: end bus below start bus (entry 1)"; "MCFG ok" when nothing is.</summary>
    public string DescribeStatus() =>
        Status == McfgStatus.Ok ? "MCFG ok" : "MCFG: " + StatusName(Status) + (ErrorIndex >= 0 ? " (entry " + ErrorIndex.ToString() + ")" : "");
}
