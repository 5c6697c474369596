// UEFI memory types (UEFI 2.10 §7.2.1 EFI_MEMORY_TYPE, the Type field of EFI_MEMORY_DESCRIPTOR).
namespace Kernel.Memory;

/// <summary>
/// The memory types UEFI defines. Firmware may also report OEM-defined (0x70000000-0x7FFFFFFF) and
/// OS-loader-defined (0x80000000-0xFFFFFFFF) values; <see cref="MemoryRegion.Type"/> reports those, and any
/// other undefined value, as <see cref="Reserved"/> while <see cref="MemoryRegion.RawType"/> keeps the original.
/// </summary>
public enum MemoryType
{
    /// <summary>EfiReservedMemoryType: not usable.</summary>
    Reserved = 0,

    /// <summary>EfiLoaderCode: code of loaded UEFI applications, including this kernel image.</summary>
    LoaderCode = 1,

    /// <summary>EfiLoaderData: data allocated by loaded UEFI applications.</summary>
    LoaderData = 2,

    /// <summary>EfiBootServicesCode: free once ExitBootServices has been called.</summary>
    BootServicesCode = 3,

    /// <summary>EfiBootServicesData: free once ExitBootServices has been called.</summary>
    BootServicesData = 4,

    /// <summary>EfiRuntimeServicesCode: must be preserved for UEFI runtime services.</summary>
    RuntimeServicesCode = 5,

    /// <summary>EfiRuntimeServicesData: must be preserved for UEFI runtime services.</summary>
    RuntimeServicesData = 6,

    /// <summary>EfiConventionalMemory: free memory.</summary>
    Conventional = 7,

    /// <summary>EfiUnusableMemory: memory with detected errors.</summary>
    Unusable = 8,

    /// <summary>EfiACPIReclaimMemory: ACPI tables, reusable once they have been read.</summary>
    AcpiReclaim = 9,

    /// <summary>EfiACPIMemoryNVS: must be preserved for ACPI firmware.</summary>
    AcpiNvs = 10,

    /// <summary>EfiMemoryMappedIO: MMIO space used by runtime services.</summary>
    MemoryMappedIo = 11,

    /// <summary>EfiMemoryMappedIOPortSpace: system memory-mapped I/O port space.</summary>
    MemoryMappedIoPortSpace = 12,

    /// <summary>EfiPalCode: processor firmware code (Itanium only).</summary>
    PalCode = 13,

    /// <summary>EfiPersistentMemory: non-volatile memory.</summary>
    Persistent = 14,

    /// <summary>EfiUnacceptedMemoryType: must be accepted by the boot target before use (confidential computing).</summary>
    Unaccepted = 15,
}
