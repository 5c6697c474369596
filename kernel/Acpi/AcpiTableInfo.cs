// One entry of the ACPI table list: where a table is and what its system description header says
// (ACPI 6.5 §5.2.6, Table 5.4: Signature, Length, Revision, Checksum, OEMID, OEM Table ID, ...).
namespace Kernel.Acpi;

/// <summary>A table found through the RSDT/XSDT, valid or not; invalid tables are listed but never used.</summary>
public readonly struct AcpiTableInfo
{
    /// <summary>Creates a table entry.</summary>
    public AcpiTableInfo(
        string signature, ulong physicalAddress, uint length, byte revision, string oemId, string oemTableId, AcpiTableStatus status)
    {
        Signature = signature;
        PhysicalAddress = physicalAddress;
        Length = length;
        Revision = revision;
        OemId = oemId;
        OemTableId = oemTableId;
        Status = status;
    }

    /// <summary>The four-character signature, e.g. "APIC"; unprintable bytes as '?'; empty when unreadable or missing.</summary>
    public string Signature { get; }

    /// <summary>Physical address of the table's header.</summary>
    public ulong PhysicalAddress { get; }

    /// <summary>The length the header declares (whole table, header included); 0 when unreadable.</summary>
    public uint Length { get; }

    /// <summary>The table's revision byte (its own format version, not the ACPI version).</summary>
    public byte Revision { get; }

    /// <summary>The OEM id (6 characters, padding removed), e.g. "BOCHS".</summary>
    public string OemId { get; }

    /// <summary>The OEM table id (8 characters, padding removed), e.g. "BXPC".</summary>
    public string OemTableId { get; }

    /// <summary>Whether the table is valid, or why it was skipped.</summary>
    public AcpiTableStatus Status { get; }

    /// <summary>Whether the table passed every check.</summary>
    public bool IsValid => Status == AcpiTableStatus.Ok;

    /// <summary>A one-line description for the boot log, e.g. "ACPI table APIC at 0xfb78000: bad checksum, skipped".</summary>
    public string Describe()
    {
        string name = Signature == null || Signature.Length == 0 ? "(no signature)" : Signature;
        string where = "ACPI table " + name + " at " + AcpiBytes.Hex(PhysicalAddress);
        if (Status == AcpiTableStatus.Ok)
        {
            return where + ": " + Length.ToString() + " bytes, revision " + ((uint)Revision).ToString() + ", OEM " + OemId;
        }

        return where + ": " + AcpiTables.StatusName(Status) + ", skipped";
    }
}
