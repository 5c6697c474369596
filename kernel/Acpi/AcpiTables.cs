// ACPI table discovery (ACPI 6.5 §5.2.5 RSDP, §5.2.6 table header, §5.2.7 RSDT, §5.2.8 XSDT): from the RSDP the
// firmware hands over, through the root table, to a validated list of every table it names, and the DSDT the
// FADT names.
using System;
using Kernel.Memory;

namespace Kernel.Acpi;

/// <summary>
/// The ACPI tables reachable from the RSDP. Every problem is recorded against the structure it concerns and the
/// structure is skipped: nothing whose signature, length or checksum is wrong is ever handed out, and nothing
/// here is fatal. Valid tables are copied, so later parsing needs no further physical memory access.
/// </summary>
public sealed class AcpiTables
{
    /// <summary>Size of the system description table header (Table 5.4).</summary>
    public const int HeaderLength = 36;

    /// <summary>Largest table accepted. Real tables listed by the XSDT are a few KiB; a larger length is garbage.</summary>
    public const uint MaxTableLength = 1024 * 1024;

    /// <summary>Most root-table entries looked at; real firmware lists a few dozen.</summary>
    public const int MaxTables = 256;

    // RSDP (Table 5.3): "RSD PTR ", checksum over bytes 0-19, OEMID, revision, RSDT address; from revision 2 on,
    // length, XSDT address and an extended checksum over all 36 bytes.
    private const string RsdpSignature = "RSD PTR ";
    private const int RsdpV1Length = 20;
    private const int RsdpV2Length = 36;
    private const int RsdpOemIdOffset = 9;
    private const int OemIdLength = 6;
    private const int RsdpRevisionOffset = 15;
    private const int RsdtAddressOffset = 16;
    private const int XsdtAddressOffset = 24;
    private const byte FirstExtendedRsdpRevision = 2;

    // The RSDT holds 32-bit table addresses, the XSDT 64-bit ones, both right after the header.
    private const string RsdtSignature = "RSDT";
    private const string XsdtSignature = "XSDT";
    private const int RsdtEntrySize = 4;
    private const int XsdtEntrySize = 8;

    // The DSDT is not listed by the root table: the FADT points to it (§5.2.9, DSDT and X_DSDT).
    private const string DsdtSignature = "DSDT";

    private readonly AcpiTableInfo[] _tables;
    private readonly byte[][] _bytes;
    private byte[] _dsdtBytes;

    private AcpiTables(RsdpStatus rsdpStatus, byte rsdpRevision, string rsdpOemId, AcpiTableInfo[] tables, byte[][] bytes, int count)
    {
        RsdpStatus = rsdpStatus;
        RsdpRevision = rsdpRevision;
        RsdpOemId = rsdpOemId;
        _tables = tables;
        _bytes = bytes;
        Count = count;
    }

    /// <summary>Whether the RSDP was valid, or why (part of) it was not used.</summary>
    public RsdpStatus RsdpStatus { get; }

    /// <summary>The RSDP's revision: 0 for ACPI 1.0 (RSDT only), 2 for ACPI 2.0 and later (XSDT).</summary>
    public byte RsdpRevision { get; }

    /// <summary>The OEM id in the RSDP, padding removed; empty when the RSDP was unreadable.</summary>
    public string RsdpOemId { get; }

    /// <summary>The root table used (XSDT or RSDT), or the one that failed; <see cref="AcpiTableStatus.Missing"/> if none.</summary>
    public AcpiTableInfo Root { get; private set; }

    /// <summary>
    /// The XSDT when it was rejected and the RSDT used instead (its status says why); a
    /// <see cref="AcpiTableStatus.Missing"/> entry when that did not happen.
    /// </summary>
    public AcpiTableInfo RejectedXsdt { get; private set; }

    /// <summary>Number of tables the root table lists (valid or not), at most <see cref="MaxTables"/>.</summary>
    public int Count { get; }

    /// <summary>Root-table entries beyond <see cref="MaxTables"/>, not looked at.</summary>
    public int IgnoredEntries { get; private set; }

    /// <summary>Table <paramref name="index"/> in root-table order; a Missing entry when out of range.</summary>
    public AcpiTableInfo this[int index] => index >= 0 && index < Count ? _tables[index] : default;

    /// <summary>
    /// The DSDT the FADT points to, valid or not; a <see cref="AcpiTableStatus.Missing"/> entry when there is no
    /// valid FADT or it names no DSDT.
    /// </summary>
    public AcpiTableInfo Dsdt { get; private set; }

    /// <summary>The DSDT's bytes (AML after the header); empty unless <see cref="Dsdt"/> is valid.</summary>
    public ReadOnlySpan<byte> DsdtBytes => _dsdtBytes != null ? new ReadOnlySpan<byte>(_dsdtBytes) : default;

    /// <summary>Number of listed tables that were skipped because of a problem.</summary>
    public int ProblemCount
    {
        get
        {
            int problems = 0;
            for (int i = 0; i < Count; i++)
            {
                if (!_tables[i].IsValid)
                {
                    problems++;
                }
            }

            return problems;
        }
    }

    /// <summary>The bytes of table <paramref name="index"/>; empty unless that table is valid.</summary>
    public ReadOnlySpan<byte> TableBytes(int index) =>
        index >= 0 && index < Count && _bytes[index] != null ? new ReadOnlySpan<byte>(_bytes[index]) : default;

    /// <summary>Index of the first valid table with <paramref name="signature"/> (e.g. "APIC"), or -1.</summary>
    public int IndexOf(string signature)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_tables[i].IsValid && _tables[i].Signature == signature)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The bytes of the first valid table with <paramref name="signature"/>; empty if there is none.</summary>
    public ReadOnlySpan<byte> Find(string signature) => TableBytes(IndexOf(signature));

    /// <summary>
    /// Finds and validates the tables from the RSDP at <paramref name="rsdpAddress"/>. Uses the XSDT when the RSDP
    /// has revision 2 or later, a valid extended checksum and a non-zero XSDT address and the XSDT itself is
    /// valid; otherwise the RSDT. Never returns null.
    /// </summary>
    public static AcpiTables Discover(ulong rsdpAddress, IPhysicalMemoryReader memory)
    {
        byte[] rsdp = new byte[RsdpV2Length];
        RsdpStatus status = ReadRsdp(rsdpAddress, memory, rsdp);
        bool firstPartValid = status == RsdpStatus.Ok || status == RsdpStatus.BadExtendedChecksum;
        byte revision = status == RsdpStatus.NotProvided || status == RsdpStatus.Unreadable ? (byte)0 : rsdp[RsdpRevisionOffset];
        string oemId = status == RsdpStatus.NotProvided || status == RsdpStatus.Unreadable
            ? ""
            : AcpiBytes.Text(new ReadOnlySpan<byte>(rsdp, RsdpOemIdOffset, OemIdLength), true);
        if (!firstPartValid)
        {
            return new AcpiTables(status, revision, oemId, new AcpiTableInfo[0], new byte[0][], 0);
        }

        ReadOnlySpan<byte> rsdpBytes = rsdp;
        ulong rsdtAddress = AcpiBytes.ReadUInt32(rsdpBytes, RsdtAddressOffset);
        ulong xsdtAddress = status == RsdpStatus.Ok && revision >= FirstExtendedRsdpRevision
            ? AcpiBytes.ReadUInt64(rsdpBytes, XsdtAddressOffset)
            : 0;

        byte[] scratch = new byte[AcpiTableReader.ChunkLength];
        AcpiTableInfo rejectedXsdt = default;
        AcpiTableInfo root = default;
        byte[] rootBytes = null;
        int entrySize = XsdtEntrySize;
        if (xsdtAddress != 0)
        {
            root = AcpiTableReader.Read(xsdtAddress, memory, XsdtSignature, scratch, out rootBytes);
            if (!root.IsValid)
            {
                rejectedXsdt = root;
            }
        }

        if (!root.IsValid)
        {
            entrySize = RsdtEntrySize;
            root = rsdtAddress != 0 ? AcpiTableReader.Read(rsdtAddress, memory, RsdtSignature, scratch, out rootBytes) : default;
        }

        int entries = root.IsValid ? (rootBytes.Length - HeaderLength) / entrySize : 0;
        int count = Math.Min(entries, MaxTables);
        AcpiTableInfo[] tables = new AcpiTableInfo[count];
        byte[][] bytes = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = new ReadOnlySpan<byte>(rootBytes, HeaderLength + i * entrySize, entrySize);
            ulong address = entrySize == XsdtEntrySize ? AcpiBytes.ReadUInt64(entry, 0) : AcpiBytes.ReadUInt32(entry, 0);
            int earlier = IndexOfAddress(tables, i, address);
            if (earlier >= 0)
            {
                // Listed twice: the same table, read once (and kept once).
                tables[i] = tables[earlier];
                bytes[i] = bytes[earlier];
            }
            else
            {
                tables[i] = address != 0 ? AcpiTableReader.Read(address, memory, null, scratch, out bytes[i]) : default;
            }
        }

        AcpiTables result = new AcpiTables(status, revision, oemId, tables, bytes, count);
        result.Root = root;
        result.RejectedXsdt = rejectedXsdt;
        result.IgnoredEntries = entries - count;
        result.ReadDsdt(memory, scratch);
        return result;
    }

    /// <summary>A short name for a table status, e.g. "bad checksum".</summary>
    public static string StatusName(AcpiTableStatus status)
    {
        switch (status)
        {
            case AcpiTableStatus.Missing: return "missing";
            case AcpiTableStatus.Ok: return "ok";
            case AcpiTableStatus.Unreadable: return "unreadable";
            case AcpiTableStatus.BadSignature: return "bad signature";
            case AcpiTableStatus.BadLength: return "bad length";
            case AcpiTableStatus.Truncated: return "truncated";
            case AcpiTableStatus.BadChecksum: return "bad checksum";
            default: return "unknown status";
        }
    }

    /// <summary>The boot log's ACPI lines: the RSDP and the tables found, then one line per table skipped (the DSDT too).</summary>
    public string[] Summary()
    {
        string tables = "";
        int skipped = 0;
        for (int i = 0; i < Count; i++)
        {
            tables = tables + (i == 0 ? "" : " ") + this[i].Signature;
            if (!this[i].IsValid)
                skipped++;
        }
        bool dsdtSkipped = Dsdt.Status != AcpiTableStatus.Missing && !Dsdt.IsValid;
        string[] lines = new string[1 + skipped + (dsdtSkipped ? 1 : 0)];
        lines[0] = "acpi: " + DescribeRsdp() + ", tables: " + tables;
        int line = 1;
        for (int i = 0; i < Count; i++)
        {
            if (!this[i].IsValid)
                lines[line++] = "acpi: table skipped: " + this[i].Describe();
        }
        if (dsdtSkipped)
            lines[line] = "acpi: table skipped: " + Dsdt.Describe();
        return lines;
    }

    /// <summary>A one-line description of the RSDP outcome for the boot log.</summary>
    public string DescribeRsdp()
    {
        switch (RsdpStatus)
        {
            case RsdpStatus.Ok: return "ACPI RSDP revision " + ((uint)RsdpRevision).ToString() + ", OEM " + RsdpOemId;
            case RsdpStatus.NotProvided: return "ACPI RSDP not provided by the firmware";
            case RsdpStatus.Unreadable: return "ACPI RSDP unreadable";
            case RsdpStatus.BadSignature: return "ACPI RSDP has a bad signature; ACPI not used";
            case RsdpStatus.BadChecksum: return "ACPI RSDP has a bad checksum; ACPI not used";
            case RsdpStatus.BadExtendedChecksum: return "ACPI RSDP has a bad extended checksum; XSDT not trusted, RSDT used";
            default: return "ACPI RSDP unknown status";
        }
    }

    // Validated like any other table, but with its signature required, since nothing else vouches for the pointer.
    private void ReadDsdt(IPhysicalMemoryReader memory, byte[] scratch)
    {
        ReadOnlySpan<byte> fadtBytes = Find(Fadt.Signature);
        if (fadtBytes.IsEmpty)
        {
            return;
        }

        Fadt fadt = Fadt.Parse(fadtBytes);
        if (fadt.Status != FadtStatus.Ok || fadt.DsdtAddress == 0)
        {
            return;
        }

        Dsdt = AcpiTableReader.Read(fadt.DsdtAddress, memory, DsdtSignature, scratch, out _dsdtBytes);
    }

    private static int IndexOfAddress(AcpiTableInfo[] tables, int count, ulong address)
    {
        for (int i = 0; i < count; i++)
        {
            if (address != 0 && tables[i].PhysicalAddress == address)
            {
                return i;
            }
        }

        return -1;
    }

    private static RsdpStatus ReadRsdp(ulong address, IPhysicalMemoryReader memory, byte[] rsdp)
    {
        if (address == 0)
        {
            return RsdpStatus.NotProvided;
        }

        // Read the ACPI 1.0 part first: an ACPI 1.0 RSDP may be the last thing in readable memory.
        if (!memory.TryRead(address, new Span<byte>(rsdp, 0, RsdpV1Length)))
        {
            return RsdpStatus.Unreadable;
        }

        ReadOnlySpan<byte> bytes = rsdp;
        if (!AcpiBytes.StartsWithAscii(bytes, RsdpSignature))
        {
            return RsdpStatus.BadSignature;
        }

        if (!AcpiBytes.ChecksumIsValid(bytes.Slice(0, RsdpV1Length)))
        {
            return RsdpStatus.BadChecksum;
        }

        if (rsdp[RsdpRevisionOffset] < FirstExtendedRsdpRevision)
        {
            return RsdpStatus.Ok;
        }

        // The extended part is only needed for the XSDT, so failing to read it is no worse than a bad checksum.
        if (address > ulong.MaxValue - RsdpV2Length || !memory.TryRead(address, new Span<byte>(rsdp)))
        {
            return RsdpStatus.BadExtendedChecksum;
        }

        return AcpiBytes.ChecksumIsValid(bytes) ? RsdpStatus.Ok : RsdpStatus.BadExtendedChecksum;
    }
}
