// Why an ACPI structure was not trusted (ACPI 6.5 §5.2.5.3 RSDP, §5.2.6 system description table header).
namespace Kernel.Acpi;

/// <summary>What became of the Root System Description Pointer (ACPI 6.5 §5.2.5.3).</summary>
public enum RsdpStatus
{
    /// <summary>The RSDP is valid; with revision 2 or later its extended checksum is valid too.</summary>
    Ok = 0,

    /// <summary>The firmware gave no RSDP address (zero).</summary>
    NotProvided,

    /// <summary>The RSDP's bytes could not be read.</summary>
    Unreadable,

    /// <summary>The first eight bytes are not "RSD PTR ".</summary>
    BadSignature,

    /// <summary>The ACPI 1.0 checksum over the first 20 bytes is not zero: nothing in the RSDP is used.</summary>
    BadChecksum,

    /// <summary>
    /// The ACPI 2.0 extended checksum over 36 bytes is not zero (or bytes 20-35 are unreadable). The first 20
    /// bytes checked out, so the RSDT is still used, but the XSDT address (outside those 20 bytes) is not trusted.
    /// </summary>
    BadExtendedChecksum,
}

/// <summary>What became of one system description table (ACPI 6.5 §5.2.6).</summary>
public enum AcpiTableStatus
{
    /// <summary>No table: a null (zero) address in the RSDP or the root table, or a default entry.</summary>
    Missing = 0,

    /// <summary>Header and checksum are valid; the table's bytes are available.</summary>
    Ok,

    /// <summary>The 36-byte header could not be read.</summary>
    Unreadable,

    /// <summary>
    /// The signature is not four printable ASCII characters (or, for the root table, not "XSDT"/"RSDT"): the
    /// pointer most likely leads to something that is not a table at all.
    /// </summary>
    BadSignature,

    /// <summary>The header's length is below the 36-byte header or above <see cref="AcpiTables.MaxTableLength"/>.</summary>
    BadLength,

    /// <summary>The header was readable but the table's declared length runs into unreadable memory.</summary>
    Truncated,

    /// <summary>The bytes of the whole table do not sum to zero.</summary>
    BadChecksum,
}
