// The Fixed ACPI Description Table, signature "FACP" (ACPI 6.5 §5.2.9, Table 5.9): the fields the kernel needs
// now (IA-PC boot architecture flags, Table 5.11; the DSDT's address; the reset register, §4.8.4.6).
using System;

namespace Kernel.Acpi;

/// <summary>Why a FADT was not parsed.</summary>
public enum FadtStatus
{
    /// <summary>The fields this parser reads were present (as far as the table's revision has them).</summary>
    Ok = 0,

    /// <summary>The signature is not "FACP".</summary>
    BadSignature,

    /// <summary>The table is shorter than ACPI 1.0's 116 bytes, or than the length its header declares.</summary>
    TooShort,
}

/// <summary>A Generic Address Structure (ACPI 6.5 §5.2.3.2, Table 5.1): a register in some address space.</summary>
public readonly struct GenericAddress
{
    /// <summary>Address space id 0: system memory.</summary>
    public const byte SystemMemory = 0;

    /// <summary>Address space id 1: system I/O ports.</summary>
    public const byte SystemIo = 1;

    /// <summary>Address space id 2: PCI configuration space.</summary>
    public const byte PciConfiguration = 2;

    /// <summary>Creates a generic address.</summary>
    public GenericAddress(byte addressSpaceId, byte bitWidth, byte bitOffset, byte accessSize, ulong address)
    {
        AddressSpaceId = addressSpaceId;
        BitWidth = bitWidth;
        BitOffset = bitOffset;
        AccessSize = accessSize;
        Address = address;
    }

    /// <summary>Which address space <see cref="Address"/> is in (see the constants).</summary>
    public byte AddressSpaceId { get; }

    /// <summary>Width of the register in bits.</summary>
    public byte BitWidth { get; }

    /// <summary>Bit offset of the register at the address.</summary>
    public byte BitOffset { get; }

    /// <summary>Access size: 0 undefined (legacy), 1 byte, 2 word, 3 dword, 4 qword.</summary>
    public byte AccessSize { get; }

    /// <summary>The register's address in its space.</summary>
    public ulong Address { get; }
}

/// <summary>A parsed FADT. Never trusted beyond its length: fields past the end of a short (older) table are "unknown".</summary>
public sealed class Fadt
{
    /// <summary>The FADT's signature.</summary>
    public const string Signature = "FACP";

    /// <summary>Length of the ACPI 1.0 FADT, the shortest there is; it ends right after the Flags field.</summary>
    public const int Acpi1Length = 116;

    /// <summary>IAPC_BOOT_ARCH bit 0 LEGACY_DEVICES: user-visible devices on the LPC or ISA bus.</summary>
    public const ushort BootLegacyDevices = 1 << 0;

    /// <summary>IAPC_BOOT_ARCH bit 1 8042: a keyboard controller at ports 0x60 and 0x64.</summary>
    public const ushort Boot8042 = 1 << 1;

    /// <summary>IAPC_BOOT_ARCH bit 2 VGA Not Present: VGA registers must not be probed.</summary>
    public const ushort BootVgaNotPresent = 1 << 2;

    /// <summary>IAPC_BOOT_ARCH bit 5 CMOS RTC Not Present.</summary>
    public const ushort BootCmosRtcNotPresent = 1 << 5;

    /// <summary>Flags bit 10 RESET_REG_SUP: the reset register is supported.</summary>
    public const uint FlagResetRegisterSupported = 1 << 10;

    /// <summary>Flags bit 20 HW_REDUCED_ACPI: no fixed hardware (no PM timer, no legacy SCI registers).</summary>
    public const uint FlagHardwareReduced = 1 << 20;

    // Field offsets (Table 5.9).
    private const int LengthOffset = 4;
    private const int RevisionOffset = 8;
    private const int DsdtOffset = 40;
    private const int SciInterruptOffset = 46;
    private const int BootArchitectureOffset = 109;
    private const int FlagsOffset = 112;
    private const int ResetRegisterOffset = 116;
    private const int ResetValueOffset = 128;
    private const int ExtendedDsdtOffset = 140;

    // IAPC_BOOT_ARCH arrived with ACPI 2.0 (FADT revision 3); revisions 1 and 2 (ACPI 1.0 and 1.0b) have a
    // reserved field at that offset, which QEMU's "pc" machine, for one, leaves zero.
    private const byte FirstBootArchitectureRevision = 3;

    private Fadt()
    {
    }

    /// <summary>Whether the table was parsed.</summary>
    public FadtStatus Status { get; private set; }

    /// <summary>The table's revision byte (1 for ACPI 1.0; 3 and up for ACPI 2.0 and later).</summary>
    public byte Revision { get; private set; }

    /// <summary>The table's declared length.</summary>
    public uint Length { get; private set; }

    /// <summary>The ISA IRQ (or GSI on systems without an 8259) of the SCI, the ACPI event interrupt.</summary>
    public ushort SciInterrupt { get; private set; }

    /// <summary>The fixed feature flags (Table 5.10).</summary>
    public uint Flags { get; private set; }

    /// <summary>Whether <see cref="BootArchitectureFlags"/> comes from the table (revision 3 and later).</summary>
    public bool BootArchitectureKnown { get; private set; }

    /// <summary>The IA-PC boot architecture flags (Table 5.11); 0 when not known.</summary>
    public ushort BootArchitectureFlags { get; private set; }

    /// <summary>
    /// Whether there is an 8042 keyboard controller: the 8042 flag when known, else true, because an ACPI 1.0
    /// system has no way to say otherwise and is a PC-AT with one.
    /// </summary>
    public bool Has8042 => !BootArchitectureKnown || (BootArchitectureFlags & Boot8042) != 0;

    /// <summary>Whether there are legacy LPC/ISA devices: the LEGACY_DEVICES flag when known, else true.</summary>
    public bool HasLegacyDevices => !BootArchitectureKnown || (BootArchitectureFlags & BootLegacyDevices) != 0;

    /// <summary>Whether the reset register may be used: RESET_REG_SUP is set and the table holds the register.</summary>
    public bool ResetRegisterSupported { get; private set; }

    /// <summary>The reset register (valid when <see cref="ResetRegisterSupported"/>).</summary>
    public GenericAddress ResetRegister { get; private set; }

    /// <summary>The value to write to the reset register to reset the system.</summary>
    public byte ResetValue { get; private set; }

    /// <summary>
    /// Physical address of the DSDT: X_DSDT when the table has it and it is not zero (ACPI 2.0 and later), else the
    /// 32-bit DSDT field; 0 when neither is set.
    /// </summary>
    public ulong DsdtAddress { get; private set; }

    /// <summary>
    /// Parses <paramref name="table"/> (the whole FADT, header included; the checksum was checked by
    /// <see cref="AcpiTables.Discover"/>). Never returns null.
    /// </summary>
    public static Fadt Parse(ReadOnlySpan<byte> table)
    {
        Fadt fadt = new Fadt();
        if (table.Length < Acpi1Length)
        {
            fadt.Status = FadtStatus.TooShort;
            return fadt;
        }

        if (!AcpiBytes.StartsWithAscii(table, Signature))
        {
            fadt.Status = FadtStatus.BadSignature;
            return fadt;
        }

        uint declared = AcpiBytes.ReadUInt32(table, LengthOffset);
        if (declared < Acpi1Length || declared > (uint)table.Length)
        {
            fadt.Status = FadtStatus.TooShort;
            return fadt;
        }

        ReadOnlySpan<byte> whole = table.Slice(0, (int)declared);
        fadt.Length = declared;
        fadt.Revision = whole[RevisionOffset];
        fadt.SciInterrupt = AcpiBytes.ReadUInt16(whole, SciInterruptOffset);
        fadt.Flags = AcpiBytes.ReadUInt32(whole, FlagsOffset);
        ulong extendedDsdt = whole.Length >= ExtendedDsdtOffset + sizeof(ulong) ? AcpiBytes.ReadUInt64(whole, ExtendedDsdtOffset) : 0;
        fadt.DsdtAddress = extendedDsdt != 0 ? extendedDsdt : AcpiBytes.ReadUInt32(whole, DsdtOffset);
        if (fadt.Revision >= FirstBootArchitectureRevision)
        {
            fadt.BootArchitectureKnown = true;
            fadt.BootArchitectureFlags = AcpiBytes.ReadUInt16(whole, BootArchitectureOffset);
        }

        // The reset register first appeared in ACPI 1.0b's longer FADT (revision 2), so go by length.
        if (whole.Length > ResetValueOffset)
        {
            fadt.ResetRegister = new GenericAddress(
                whole[ResetRegisterOffset],
                whole[ResetRegisterOffset + 1],
                whole[ResetRegisterOffset + 2],
                whole[ResetRegisterOffset + 3],
                AcpiBytes.ReadUInt64(whole, ResetRegisterOffset + 4));
            fadt.ResetValue = whole[ResetValueOffset];
            fadt.ResetRegisterSupported = (fadt.Flags & FlagResetRegisterSupported) != 0;
        }

        return fadt;
    }

    /// <summary>A short name for a status.</summary>
    public static string StatusName(FadtStatus status)
    {
        switch (status)
        {
            case FadtStatus.Ok: return "ok";
            case FadtStatus.BadSignature: return "bad signature";
            case FadtStatus.TooShort: return "table too short";
            default: return "unknown status";
        }
    }
}
