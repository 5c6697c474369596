// EFI_GUID (UEFI 2.10 Appendix A) and the protocol and table GUIDs this kernel uses.
namespace Efi;

/// <summary>A 128-bit GUID in the UEFI in-memory layout (Data1..Data3 little-endian, Data4 bytes).</summary>
public readonly struct EfiGuid
{
    /// <summary>First 32 bits.</summary>
    public readonly uint Data1;

    /// <summary>Next 16 bits.</summary>
    public readonly ushort Data2;

    /// <summary>Next 16 bits.</summary>
    public readonly ushort Data3;

    /// <summary>Last 64 bits, as bytes in order (stored as one little-endian ulong).</summary>
    public readonly ulong Data4;

    /// <summary>Builds a GUID from its textual groups.</summary>
    public EfiGuid(uint data1, ushort data2, ushort data3, byte b0, byte b1, byte b2, byte b3, byte b4, byte b5, byte b6, byte b7)
    {
        Data1 = data1;
        Data2 = data2;
        Data3 = data3;
        Data4 = b0 | (ulong)b1 << 8 | (ulong)b2 << 16 | (ulong)b3 << 24 | (ulong)b4 << 32 | (ulong)b5 << 40 | (ulong)b6 << 48 | (ulong)b7 << 56;
    }

    /// <summary>Field-wise equality.</summary>
    public bool Equals(in EfiGuid other) => Data1 == other.Data1 && Data2 == other.Data2 && Data3 == other.Data3 && Data4 == other.Data4;

    /// <summary>EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID (§12.9).</summary>
    public static EfiGuid GraphicsOutputProtocol => new EfiGuid(0x9042a9de, 0x23dc, 0x4a38, 0x96, 0xfb, 0x7a, 0xde, 0xd0, 0x80, 0x51, 0x6a);

    /// <summary>EFI_LOADED_IMAGE_PROTOCOL_GUID (§9.1).</summary>
    public static EfiGuid LoadedImageProtocol => new EfiGuid(0x5b1b31a1, 0x9562, 0x11d2, 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b);

    /// <summary>EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID (§13.4).</summary>
    public static EfiGuid SimpleFileSystemProtocol => new EfiGuid(0x964e5b22, 0x6459, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b);

    /// <summary>EFI_FILE_INFO_ID (§13.5.16).</summary>
    public static EfiGuid FileInfo => new EfiGuid(0x09576e92, 0x6d3f, 0x11d2, 0x8e, 0x39, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b);

    /// <summary>EFI_ACPI_20_TABLE_GUID (§4.6.1): the ACPI 2.0+ RSDP.</summary>
    public static EfiGuid Acpi20Table => new EfiGuid(0x8868e871, 0xe4f1, 0x11d3, 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81);

    /// <summary>ACPI_TABLE_GUID (§4.6.1): the ACPI 1.0 RSDP.</summary>
    public static EfiGuid Acpi10Table => new EfiGuid(0xeb9d2d30, 0x2d88, 0x11d3, 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d);

    /// <summary>EFI_MEMORY_ATTRIBUTES_TABLE_GUID (§4.6.4): the rights runtime code and data may be mapped with.</summary>
    public static EfiGuid MemoryAttributesTable => new EfiGuid(0xdcfa911d, 0x26eb, 0x469f, 0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20);
}
