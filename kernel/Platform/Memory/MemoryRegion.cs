// One physical memory range of the UEFI memory map (UEFI 2.10 §7.2.3 EFI_MEMORY_DESCRIPTOR).
namespace Kernel.Memory;

/// <summary>A validated, non-empty physical memory range with its UEFI type and attributes.</summary>
public readonly struct MemoryRegion
{
    /// <summary>Size of a UEFI page (EFI_PAGE_SIZE), the unit of <see cref="PageCount"/>.</summary>
    public const ulong PageSize = 4096;

    /// <summary>Creates a region; <paramref name="rawType"/> is the descriptor's Type field as reported.</summary>
    public MemoryRegion(uint rawType, ulong physicalStart, ulong pageCount, ulong attribute)
    {
        RawType = rawType;
        Type = IsStandardType(rawType) ? (MemoryType)rawType : MemoryType.Reserved;
        PhysicalStart = physicalStart;
        PageCount = pageCount;
        Attribute = attribute;
    }

    /// <summary>Memory type; every non-standard raw value is reported as <see cref="MemoryType.Reserved"/>.</summary>
    public MemoryType Type { get; }

    /// <summary>The descriptor's Type field exactly as the firmware reported it.</summary>
    public uint RawType { get; }

    /// <summary>First physical address of the region; 4 KiB aligned.</summary>
    public ulong PhysicalStart { get; }

    /// <summary>Number of 4 KiB pages.</summary>
    public ulong PageCount { get; }

    /// <summary>EFI_MEMORY_* capability and protection attribute bits (cacheability, runtime, etc.).</summary>
    public ulong Attribute { get; }

    /// <summary>Size in bytes.</summary>
    public ulong SizeInBytes => PageCount * PageSize;

    /// <summary>First physical address after the region.</summary>
    public ulong EndExclusive => PhysicalStart + SizeInBytes;

    /// <summary>True when the kernel may use the region after ExitBootServices (conventional and boot services memory).</summary>
    public bool IsUsableAfterBootServices =>
        Type == MemoryType.Conventional || Type == MemoryType.BootServicesCode || Type == MemoryType.BootServicesData;

    /// <summary>True for the types named in <see cref="MemoryType"/>.</summary>
    public static bool IsStandardType(uint rawType)
    {
        return rawType <= (uint)MemoryType.Unaccepted;
    }
}
