// EFI_SYSTEM_TABLE, EFI_TABLE_HEADER and EFI_CONFIGURATION_TABLE (UEFI 2.10 §4.2, §4.3, §4.6).
using System;

namespace Efi;

/// <summary>EFI_TABLE_HEADER: the common header of the system, boot and runtime services tables.</summary>
public struct EfiTableHeader
{
    public ulong Signature;
    public uint Revision;
    public uint HeaderSize;
    public uint CRC32;
    public uint Reserved;
}

/// <summary>EFI_SYSTEM_TABLE: what the firmware hands the image at entry.</summary>
public unsafe struct EfiSystemTable
{
    public EfiTableHeader Hdr;
    public char* FirmwareVendor;
    public uint FirmwareRevision;
    public IntPtr ConsoleInHandle;
    public void* ConIn;
    public IntPtr ConsoleOutHandle;
    public EfiSimpleTextOutputProtocol* ConOut;
    public IntPtr StandardErrorHandle;
    public EfiSimpleTextOutputProtocol* StdErr;
    public EfiRuntimeServices* RuntimeServices;
    public EfiBootServices* BootServices;
    public ulong NumberOfTableEntries;
    public EfiConfigurationTable* ConfigurationTable;

    /// <summary>The configuration table entry with the given GUID, or null.</summary>
    public void* FindConfigurationTable(in EfiGuid guid)
    {
        for (ulong i = 0; i < NumberOfTableEntries; i++)
        {
            if (ConfigurationTable[i].VendorGuid.Equals(guid))
                return ConfigurationTable[i].VendorTable;
        }
        return null;
    }
}

/// <summary>EFI_CONFIGURATION_TABLE: a GUID-tagged pointer to a firmware table (ACPI, SMBIOS, ...).</summary>
public unsafe struct EfiConfigurationTable
{
    public EfiGuid VendorGuid;
    public void* VendorTable;
}

/// <summary>EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL (§12.4): the firmware console, used only before our own exists.</summary>
public unsafe struct EfiSimpleTextOutputProtocol
{
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, bool, EfiStatus> Reset;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, char*, EfiStatus> OutputString;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, char*, EfiStatus> TestString;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, ulong, ulong*, ulong*, EfiStatus> QueryMode;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, ulong, EfiStatus> SetMode;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, ulong, EfiStatus> SetAttribute;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, EfiStatus> ClearScreen;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, ulong, ulong, EfiStatus> SetCursorPosition;
    public delegate* unmanaged<EfiSimpleTextOutputProtocol*, bool, EfiStatus> EnableCursor;
    public void* Mode;
}
