// Walks the MADT's interrupt controller structures (ACPI 6.5 §5.2.12, Table 5.22 types; layouts in
// §5.2.12.2-§5.2.12.13), checking each entry's length before reading it.
using System;

namespace Kernel.Acpi;

/// <summary>How many entries of each kind a MADT walk met (or has filled in so far).</summary>
public struct MadtEntryCounts
{
    public int Processors;
    public int IoApics;
    public int Overrides;
    public int NmiSources;
    public int LocalApicNmis;
    public int Unknown;
}

/// <summary>The MADT entry walk shared by the counting pass and the filling pass of <see cref="Madt.Parse"/>.</summary>
public static class MadtEntryReader
{
    // Entry types (Table 5.22) and the length of each structure.
    private const byte ProcessorLocalApic = 0;
    private const byte IoApic = 1;
    private const byte InterruptSourceOverride = 2;
    private const byte NmiSource = 3;
    private const byte LocalApicNmi = 4;
    private const byte LocalApicAddressOverride = 5;
    private const byte ProcessorLocalX2Apic = 9;
    private const byte LocalX2ApicNmi = 0xA;
    private const int ProcessorLocalApicLength = 8;
    private const int IoApicLength = 12;
    private const int InterruptSourceOverrideLength = 10;
    private const int NmiSourceLength = 8;
    private const int LocalApicNmiLength = 6;
    private const int LocalApicAddressOverrideLength = 12;
    private const int ProcessorLocalX2ApicLength = 16;
    private const int LocalX2ApicNmiLength = 12;
    private const int EntryHeaderLength = 2;

    /// <summary>
    /// Walks the entries of <paramref name="table"/> from <paramref name="offset"/> to its end, counting them in
    /// <paramref name="counts"/> and, when <paramref name="madt"/> is not null, adding them to it. Returns the
    /// offset where the walk ended: the table's length, or the offset of the entry that stopped it.
    /// </summary>
    public static int Walk(ReadOnlySpan<byte> table, int offset, Madt madt, ref MadtEntryCounts counts, out MadtStatus status, out int errorOffset)
    {
        status = MadtStatus.Ok;
        errorOffset = -1;
        while (offset < table.Length)
        {
            if (table.Length - offset < EntryHeaderLength)
            {
                return Stop(MadtStatus.EntryOverrunsTable, offset, out status, out errorOffset);
            }

            byte type = table[offset];
            int length = table[offset + 1];
            if (length < EntryHeaderLength)
            {
                return Stop(MadtStatus.BadEntryLength, offset, out status, out errorOffset);
            }

            if (length > table.Length - offset)
            {
                return Stop(MadtStatus.EntryOverrunsTable, offset, out status, out errorOffset);
            }

            int needed = StructureLength(type);
            if (length < needed)
            {
                return Stop(MadtStatus.EntryTooShort, offset, out status, out errorOffset);
            }

            Read(type, table.Slice(offset, length), madt, ref counts);
            offset += length;
        }

        return offset;
    }

    private static int Stop(MadtStatus reason, int offset, out MadtStatus status, out int errorOffset)
    {
        status = reason;
        errorOffset = offset;
        return offset;
    }

    // The minimum length of a known type; unknown types need only their header.
    private static int StructureLength(byte type)
    {
        switch (type)
        {
            case ProcessorLocalApic: return ProcessorLocalApicLength;
            case IoApic: return IoApicLength;
            case InterruptSourceOverride: return InterruptSourceOverrideLength;
            case NmiSource: return NmiSourceLength;
            case LocalApicNmi: return LocalApicNmiLength;
            case LocalApicAddressOverride: return LocalApicAddressOverrideLength;
            case ProcessorLocalX2Apic: return ProcessorLocalX2ApicLength;
            case LocalX2ApicNmi: return LocalX2ApicNmiLength;
            default: return EntryHeaderLength;
        }
    }

    private static void Read(byte type, ReadOnlySpan<byte> entry, Madt madt, ref MadtEntryCounts counts)
    {
        if (madt == null)
        {
            Count(type, ref counts);
        }
        else
        {
            Add(type, entry, madt, ref counts);
        }
    }

    private static void Count(byte type, ref MadtEntryCounts counts)
    {
        switch (type)
        {
            case ProcessorLocalApic:
            case ProcessorLocalX2Apic: counts.Processors++; break;
            case IoApic: counts.IoApics++; break;
            case InterruptSourceOverride: counts.Overrides++; break;
            case NmiSource: counts.NmiSources++; break;
            case LocalApicNmi:
            case LocalX2ApicNmi: counts.LocalApicNmis++; break;
            case LocalApicAddressOverride: break;
            default: counts.Unknown++; break;
        }
    }

    // Entries may be longer than the structures described here (later revisions append fields); only the
    // known prefix is read. Offsets are the spec's, from the entry's type byte.
    private static void Add(byte type, ReadOnlySpan<byte> entry, Madt madt, ref MadtEntryCounts filled)
    {
        switch (type)
        {
            case ProcessorLocalApic:
            {
                // ACPI processor UID u8 @2, APIC ID u8 @3, flags u32 @4.
                uint flags = AcpiBytes.ReadUInt32(entry, 4);
                madt.Add(new MadtProcessor(entry[2], entry[3], flags, false, OnlineCapable(madt, flags)), ref filled);
                break;
            }

            case ProcessorLocalX2Apic:
            {
                // Reserved u16 @2, x2APIC ID u32 @4, flags u32 @8, ACPI processor UID u32 @12.
                uint flags = AcpiBytes.ReadUInt32(entry, 8);
                uint uid = AcpiBytes.ReadUInt32(entry, 12);
                madt.Add(new MadtProcessor(uid, AcpiBytes.ReadUInt32(entry, 4), flags, true, OnlineCapable(madt, flags)), ref filled);
                break;
            }

            case IoApic:
                // I/O APIC ID u8 @2, reserved u8 @3, address u32 @4, GSI base u32 @8.
                madt.Add(new MadtIoApic(entry[2], AcpiBytes.ReadUInt32(entry, 4), AcpiBytes.ReadUInt32(entry, 8)), ref filled);
                break;
            case InterruptSourceOverride:
                // Bus u8 @2, source u8 @3, GSI u32 @4, flags u16 @8.
                madt.Add(new MadtInterruptOverride(entry[2], entry[3], AcpiBytes.ReadUInt32(entry, 4), AcpiBytes.ReadUInt16(entry, 8)), ref filled);
                break;
            case NmiSource:
                // Flags u16 @2, GSI u32 @4.
                madt.Add(new MadtNmiSource(AcpiBytes.ReadUInt16(entry, 2), AcpiBytes.ReadUInt32(entry, 4)), ref filled);
                break;
            case LocalApicNmi:
                // ACPI processor UID u8 @2, flags u16 @3, LINT# u8 @5.
                madt.Add(new MadtLocalApicNmi(entry[2], AcpiBytes.ReadUInt16(entry, 3), entry[5], false), ref filled);
                break;
            case LocalX2ApicNmi:
                // Flags u16 @2, ACPI processor UID u32 @4, LINT# u8 @8, 3 reserved bytes.
                madt.Add(new MadtLocalApicNmi(AcpiBytes.ReadUInt32(entry, 4), AcpiBytes.ReadUInt16(entry, 2), entry[8], true), ref filled);
                break;
            case LocalApicAddressOverride:
                // Reserved u16 @2, 64-bit local APIC address @4.
                madt.SetLocalApicAddressOverride(AcpiBytes.ReadUInt64(entry, 4));
                break;
        }
    }

    // Online Capable is reserved when Enabled is set, and undefined before MADT revision 5.
    private static bool OnlineCapable(Madt madt, uint flags) =>
        madt.OnlineCapableDefined && (flags & Madt.LocalApicEnabled) == 0 && (flags & Madt.LocalApicOnlineCapable) != 0;
}
