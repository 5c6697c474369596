// Which rights each page of the UEFI runtime regions gets in the firmware's address space (FirmwareAddressSpace):
// from the memory attributes table where it speaks (UEFI 2.10 §4.6.4), else from the region's type.
using System.Collections.Generic;

namespace Kernel.Memory;

/// <summary>A run of runtime pages, mapped identity, with the rights they get.</summary>
public readonly struct RuntimeMapping
{
    /// <summary>Creates a mapping of pageCount pages from physicalStart.</summary>
    public RuntimeMapping(ulong physicalStart, ulong pageCount, bool writable, bool executable, bool fromAttributesTable, bool device = false)
    {
        Device = device;
        PhysicalStart = physicalStart;
        PageCount = pageCount;
        Writable = writable;
        Executable = executable;
        FromAttributesTable = fromAttributesTable;
    }

    /// <summary>First page (identity: virtual = physical).</summary>
    public ulong PhysicalStart { get; }

    /// <summary>Number of 4 KiB pages.</summary>
    public ulong PageCount { get; }

    /// <summary>Whether the pages are mapped writable.</summary>
    public bool Writable { get; }

    /// <summary>Whether the pages are mapped executable (no NX).</summary>
    public bool Executable { get; }

    /// <summary>Whether the rights come from the memory attributes table (else from the fallback by type).</summary>
    public bool FromAttributesTable { get; }

    /// <summary>Whether the pages are device registers (EFI_MEMORY_RUNTIME MMIO), mapped uncached.</summary>
    public bool Device { get; }

    /// <summary>First address after the pages.</summary>
    public ulong EndExclusive => PhysicalStart + PageCount * MemoryRegion.PageSize;
}

/// <summary>Plans the runtime regions' mappings.</summary>
public static class RuntimeMappings
{
    /// <summary>EFI_MEMORY_RUNTIME (UEFI 2.10 §7.2.3): the region must be mapped for runtime services.</summary>
    public const ulong RuntimeAttribute = 1UL << 63;

    /// <summary>
    /// Every page of every runtime region of map, in address order, and the MMIO regions marked EFI_MEMORY_RUNTIME. A page a table entry covers gets the entry's
    /// rights: read-only with EFI_MEMORY_RO, non-executable with EFI_MEMORY_XP (as Linux applies them). Other pages
    /// (all of them when table is null) fall back by type: runtime data read-write and non-executable, runtime code
    /// read-write and executable, because without the table nothing says where code ends and its data begins. That
    /// fallback is writable and executable, which is why these mappings live only in the firmware's own address space.
    /// </summary>
    public static List<RuntimeMapping> Plan(MemoryMap map, MemoryAttributesTable table)
    {
        var plan = new List<RuntimeMapping>();
        int next = 0;
        for (int i = 0; i < map.Count; i++)
        {
            MemoryRegion region = map[i];
            if (IsRuntimeDevice(region))
            {
                plan.Add(new RuntimeMapping(region.PhysicalStart, region.PageCount, writable: true, executable: false, false, device: true));
                continue;
            }
            if (!MemoryAttributesTable.IsRuntime(region.Type))
                continue;
            ulong cursor = region.PhysicalStart;
            if (table != null)
            {
                while (next < table.Count && table[next].EndExclusive <= region.PhysicalStart)
                    next++;
                for (int e = next; e < table.Count && table[e].PhysicalStart < region.EndExclusive; e++)
                {
                    MemoryRegion entry = table[e];
                    ulong start = entry.PhysicalStart > region.PhysicalStart ? entry.PhysicalStart : region.PhysicalStart;
                    ulong end = entry.EndExclusive < region.EndExclusive ? entry.EndExclusive : region.EndExclusive;
                    if (start > cursor)
                        plan.Add(Fallback(region.Type, cursor, start));
                    bool writable = (entry.Attribute & MemoryAttributesTable.ReadOnly) == 0;
                    bool executable = (entry.Attribute & MemoryAttributesTable.ExecuteProtect) == 0;
                    plan.Add(new RuntimeMapping(start, (end - start) / MemoryRegion.PageSize, writable, executable, true));
                    cursor = end;
                }
            }
            if (cursor < region.EndExclusive)
                plan.Add(Fallback(region.Type, cursor, region.EndExclusive));
        }
        return plan;
    }

    // Device registers a runtime service uses (the variable store's flash, for one) are listed as MMIO with the
    // runtime attribute; they get a mapping, never execute rights.
    private static bool IsRuntimeDevice(in MemoryRegion region) =>
        (region.Type == MemoryType.MemoryMappedIo || region.Type == MemoryType.MemoryMappedIoPortSpace) && (region.Attribute & RuntimeAttribute) != 0;

    private static RuntimeMapping Fallback(MemoryType type, ulong start, ulong end) =>
        new RuntimeMapping(start, (end - start) / MemoryRegion.PageSize, writable: true, executable: type == MemoryType.RuntimeServicesCode, false);
}
